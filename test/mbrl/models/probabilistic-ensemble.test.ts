import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TransitionBuffer } from '../../../src-main/mbrl/data';
import { calibrationReport, EnsembleDynamicsModel, oneStepBands, type EnsembleConfig } from '../../../src-main/mbrl/models';
import { Rng } from '../../../src-main/mbrl/util';
import { useCpuBackend } from '../tf-setup';

beforeAll(useCpuBackend);

/**
 * 1-D regression as a one-step "dynamics": s = x ∈ [0, 3], no action (zeros), s′ − s = sin x + ε with
 * noise std 0.02 + 0.25·x that grows with x.
 */
function heteroscedastic(n: number, seed: number): TransitionBuffer {
  const rng = new Rng(seed);
  const buf = new TransitionBuffer(1, 1);
  for (let i = 0; i < n; i++) {
    const x = rng.uniform(0, 3);
    buf.add([x], [0], [x + Math.sin(x) + (0.02 + 0.25 * x) * rng.normal()], 0, false);
  }
  return buf;
}

const config: EnsembleConfig = { obsDim: 1, actDim: 1, angleDims: [], hidden: [32, 32], activation: 'swish', members: 4, probabilistic: true, sampling: 'shuffle', elites: 4, seed: 5 };
const fit = { epochs: 150, batchSize: 128, learningRate: 5e-3, weightDecay: 0, valFraction: 0.1, patience: 150, seed: 6 };

/** Each member's mean and std at the inputs xs. */
function query(model: EnsembleDynamicsModel, xs: number[]): { mean: number[][]; std: number[][] } {
  return tf.tidy(() => {
    const obs = tf.tensor2d(xs, [xs.length, 1]);
    const act = tf.zeros([xs.length, 1]) as tf.Tensor2D;
    const mean: number[][] = [];
    const std: number[][] = [];
    for (let k = 0; k < model.memberCount; k++) {
      const p = model.memberPredict(k, obs, act);
      mean.push(Array.from(tf.sub(p.next, obs).dataSync()));
      std.push(Array.from(tf.exp(tf.mul(0.5, p.logVar!)).dataSync()));
    }
    return { mean, std };
  });
}

describe('probabilistic ensemble', () => {
  it('a single deterministic member reports no calibration (it predicts no spread)', async () => {
    const model = EnsembleDynamicsModel.create({ ...config, members: 1, elites: 1, probabilistic: false, hidden: [8] });
    const data = heteroscedastic(100, 9).view();
    await model.fit(data, { ...fit, epochs: 2 });
    expect(await calibrationReport(model, data)).toEqual({ nll: null, within1Sigma: null, within2Sigma: null, samples: 100 });
    model.dispose();
  });

  it('predicts variance that grows with the noise, and disagrees more away from the data', async () => {
    const model = EnsembleDynamicsModel.create(config);
    await model.fit(heteroscedastic(1000, 1).view(), { ...fit, epochs: 100 });
    const { mean, std } = query(model, [0.3, 2.7, 1.5, 7]);
    const avg = (rows: number[][], i: number) => rows.reduce((s, r) => s + r[i], 0) / rows.length;
    // Aleatoric: the predicted std follows 0.02 + 0.25·x (0.095 at 0.3, 0.695 at 2.7).
    expect(avg(std, 1)).toBeGreaterThan(3 * avg(std, 0));
    expect(avg(std, 1)).toBeGreaterThan(0.4);
    expect(avg(std, 1)).toBeLessThan(1.1);
    // Epistemic: members agree inside the data (x = 1.5) and disagree far outside it (x = 7).
    const spread = (i: number) => Math.max(...mean.map((r) => r[i])) - Math.min(...mean.map((r) => r[i]));
    expect(spread(3)).toBeGreaterThan(5 * spread(2));
    // Calibrated on fresh data from the same process: about 68% within 1σ and 95% within 2σ.
    const cal = await calibrationReport(model, heteroscedastic(1000, 77).view());
    expect(cal.within1Sigma!).toBeGreaterThan(0.58);
    expect(cal.within1Sigma!).toBeLessThan(0.78);
    expect(cal.within2Sigma!).toBeGreaterThan(0.9);
    expect(cal.nll).not.toBeNull();
    // Bands along a "trajectory" of states: the std grows with x as the noise does.
    const bands = await oneStepBands(model, Float32Array.of(0.2, 1.4, 2.8, 0), Float32Array.of(0, 0, 0));
    expect(bands.std[2]).toBeGreaterThan(bands.std[0]);
    model.dispose();
  }, 120_000);

  it('keeps the best elites by validation loss, and saves and loads exactly', async () => {
    const model = EnsembleDynamicsModel.create({ ...config, members: 3, elites: 2, hidden: [16] });
    const result = await model.fit(heteroscedastic(300, 2).view(), { ...fit, epochs: 5 });
    const ranked = result.memberValLoss.map((l, k) => [l, k]).sort((a, b) => a[0] - b[0]).map(([, k]) => k);
    expect([...model.eliteIndices]).toEqual(ranked.slice(0, 2).sort());
    const artifacts = await model.save();
    const loaded = EnsembleDynamicsModel.load({ modelJson: JSON.parse(JSON.stringify(artifacts.modelJson)), weightData: artifacts.weightData });
    expect([...loaded.eliteIndices]).toEqual([...model.eliteIndices]);
    const obs = tf.tensor2d([0.5, 2], [2, 1]);
    const act = tf.zeros([2, 1]) as tf.Tensor2D;
    for (let k = 0; k < 3; k++) {
      const a = model.memberPredict(k, obs, act);
      const b = loaded.memberPredict(k, obs, act);
      expect(Array.from(b.next.dataSync())).toEqual(Array.from(a.next.dataSync()));
      expect(Array.from(b.logVar!.dataSync())).toEqual(Array.from(a.logVar!.dataSync()));
      tf.dispose([a.next, a.logVar!, b.next, b.logVar!]);
    }
    tf.dispose([obs, act]);
    model.dispose();
    loaded.dispose();
  });

  it('predictBlocks equals each member\'s own prediction on its rows', () => {
    const model = EnsembleDynamicsModel.create({ ...config, members: 3, elites: 3, hidden: [8] });
    const obs = tf.tensor2d([0.1, 0.5, 1, 1.5, 2, 2.5], [6, 1]);
    const act = tf.zeros([6, 1]) as tf.Tensor2D;
    const blocks = [{ member: 2, start: 0, count: 2 }, { member: 0, start: 2, count: 3 }, { member: 1, start: 5, count: 1 }];
    const fast = model.predictBlocks(obs, act, blocks);
    for (const b of blocks) {
      const one = model.memberPredict(b.member, tf.slice(obs, [b.start, 0], [b.count, -1]), tf.slice(act, [b.start, 0], [b.count, -1]));
      expect(Array.from(tf.slice(fast.next, [b.start, 0], [b.count, -1]).dataSync())).toEqual(Array.from(one.next.dataSync()).map((v) => expect.closeTo(v, 6)));
      expect(Array.from(tf.slice(fast.logVar!, [b.start, 0], [b.count, -1]).dataSync())).toEqual(Array.from(one.logVar!.dataSync()).map((v) => expect.closeTo(v, 5)));
    }
    model.dispose();
  });

  it('bootstrap gives each member a different resample, shuffles the same data', async () => {
    const data = heteroscedastic(200, 3).view();
    const boot = EnsembleDynamicsModel.create({ ...config, members: 2, elites: 2, hidden: [8], sampling: 'bootstrap' });
    const shuf = EnsembleDynamicsModel.create({ ...config, members: 2, elites: 2, hidden: [8], sampling: 'shuffle' });
    // Both train; the difference is in the data each member sees, visible as different fits.
    const a = await boot.fit(data, { ...fit, epochs: 3 });
    const b = await shuf.fit(data, { ...fit, epochs: 3 });
    expect(a.memberValLoss).not.toEqual(b.memberValLoss);
    boot.dispose();
    shuf.dispose();
  });
});
