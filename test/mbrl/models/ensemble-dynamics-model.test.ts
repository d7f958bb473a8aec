import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TransitionBuffer } from '../../../src-main/mbrl/data';
import { EnsembleDynamicsModel, multiStepError } from '../../../src-main/mbrl/models';
import { Rng } from '../../../src-main/mbrl/util';
import { useCpuBackend } from '../tf-setup';

beforeAll(useCpuBackend);

/** s′ = M s + B a for a fixed stable 2-D system. */
function linearData(n: number, seed: number): TransitionBuffer {
  const rng = new Rng(seed);
  const buf = new TransitionBuffer(2, 1);
  for (let i = 0; i < n; i++) {
    const s = [rng.uniform(-1, 1), rng.uniform(-1, 1)];
    const a = [rng.uniform(-1, 1)];
    const next = [0.9 * s[0] + 0.1 * s[1], -0.2 * s[0] + 0.8 * s[1] + 0.5 * a[0]];
    buf.add(s, a, next, 0, false);
  }
  return buf;
}

const small = { obsDim: 2, actDim: 1, angleDims: [], hidden: [32, 32], activation: 'relu' as const, seed: 1, members: 1, probabilistic: false, sampling: 'shuffle' as const, elites: 1 };
const fitOptions = { epochs: 60, batchSize: 64, learningRate: 3e-3, weightDecay: 0, valFraction: 0.1, patience: 60, seed: 2 };

describe('EnsembleDynamicsModel with one deterministic member (the lecture\'s MLP)', () => {
  it('learns a known linear system to low error, reporting each epoch', async () => {
    const model = EnsembleDynamicsModel.create(small);
    const reports: number[] = [];
    const result = await model.fit(linearData(2000, 3).view(), fitOptions, (r) => void reports.push(r.valLoss));
    expect(reports.length).toBe(result.history.length);
    expect(reports.at(-1)!).toBeLessThan(reports[0]);
    const test = linearData(200, 99).view();
    const pred = tf.tidy(() => model.predict(tf.tensor2d(test.obs, [200, 2]), tf.tensor2d(test.act, [200, 1])));
    const p = pred.dataSync();
    let se = 0;
    for (let i = 0; i < p.length; i++) se += (p[i] - test.nextObs[i]) ** 2;
    expect(Math.sqrt(se / p.length)).toBeLessThan(0.03); // targets span ~±1
    pred.dispose();
    model.dispose();
  });

  it('a saved and loaded model predicts exactly what the saved one did', async () => {
    const model = EnsembleDynamicsModel.create({ ...small, angleDims: [1] });
    await model.fit(linearData(300, 5).view(), { ...fitOptions, epochs: 3 });
    const artifacts = await model.save();
    const json = JSON.parse(JSON.stringify(artifacts.modelJson));
    expect(json.weightsManifest[0].paths).toEqual(['weights.bin']);
    const loaded = EnsembleDynamicsModel.load({ modelJson: json, weightData: artifacts.weightData.slice(0) });
    const obs = tf.tensor2d([0.3, -0.2, -1, 0.5], [2, 2]);
    const act = tf.tensor2d([0.7, -0.1], [2, 1]);
    const a = model.predict(obs, act).dataSync();
    const b = loaded.predict(obs, act).dataSync();
    expect(Array.from(b)).toEqual(Array.from(a));
    tf.dispose([obs, act]);
    model.dispose();
    loaded.dispose();
  });

  it('rejects artifacts of another format, naming the field', () => {
    expect(() => EnsembleDynamicsModel.load({ modelJson: { format: 'keras' }, weightData: new ArrayBuffer(0) })).toThrow(/model\.json: format is 'keras'/);
  });

  it('reports open-loop error growing with the horizon', async () => {
    const model = EnsembleDynamicsModel.create(small);
    await model.fit(linearData(500, 7).view(), { ...fitOptions, epochs: 5 });
    // One recorded episode of the true system.
    const T = 30;
    const obs = new Float32Array((T + 1) * 2);
    const act = new Float32Array(T);
    const rng = new Rng(8);
    obs.set([0.5, -0.5]);
    for (let t = 0; t < T; t++) {
      act[t] = rng.uniform(-1, 1);
      const s = obs.subarray(2 * t, 2 * t + 2);
      obs.set([0.9 * s[0] + 0.1 * s[1], -0.2 * s[0] + 0.8 * s[1] + 0.5 * act[t]], 2 * (t + 1));
    }
    const rmse = await multiStepError(model, obs, act, 10);
    expect(rmse.length).toBe(10);
    expect(rmse.every(Number.isFinite)).toBe(true);
    expect(rmse[9]).toBeGreaterThan(rmse[0]);
    model.dispose();
  });

  it('holds tf.memory().numTensors flat across predictions and fits', async () => {
    const model = EnsembleDynamicsModel.create(small);
    const data = linearData(200, 9).view();
    await model.fit(data, { ...fitOptions, epochs: 1 });
    tf.tidy(() => void model.predict(tf.zeros([4, 2]), tf.zeros([4, 1])));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 3; i++) {
      await model.fit(data, { ...fitOptions, epochs: 2 });
      tf.tidy(() => void model.predict(tf.zeros([4, 2]), tf.zeros([4, 1])));
    }
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  });
});
