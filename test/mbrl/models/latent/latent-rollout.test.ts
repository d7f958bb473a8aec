/** The lecture model's multi-step reward term (rolloutSteps) and the sequence layout fitLatent reads it from. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LatentWorldModel, fitLatent, sequenceRuns, type LatentEpochReport, type LatentWorldModelConfig, type ImageTransitions } from '../../../../src-main/mbrl/models/latent';
import { Rng } from '../../../../src-main/mbrl/util';
import { DISC, DISC_LECTURE_MODEL, moveDisc, renderDisc } from './planar-disc';
import { useWasmBackend } from './latent-test-setup';

beforeAll(useWasmBackend);

/**
 * Episodes of the planar disc laid out row after row (o_{t+1} of a row is o_t of the next): random
 * starts and actions, reward −‖p′‖ of the position reached.
 */
function discEpisodes(episodes: number, steps: number, seed: number): ImageTransitions {
  const rng = new Rng(seed);
  const P = DISC.size * DISC.size;
  const n = episodes * steps;
  const obs = new Uint8Array(n * P);
  const nextObs = new Uint8Array(n * P);
  const act = new Float32Array(n * 2);
  const reward = new Float32Array(n);
  for (let e = 0, row = 0; e < episodes; e++) {
    let p: [number, number] = [rng.uniform(-1, 1), rng.uniform(-1, 1)];
    for (let t = 0; t < steps; t++, row++) {
      const a: [number, number] = [rng.uniform(-1, 1), rng.uniform(-1, 1)];
      const q = moveDisc(p, a);
      obs.set(renderDisc(p[0], p[1]), row * P);
      nextObs.set(renderDisc(q[0], q[1]), row * P);
      act.set(a, row * 2);
      reward[row] = -Math.hypot(q[0], q[1]);
      p = q;
    }
  }
  return { size: n, imageShape: [DISC.size, DISC.size, 1], actDim: 2, obs, act, reward, nextObs };
}

const config: LatentWorldModelConfig = { ...DISC_LECTURE_MODEL, weights: { ...DISC_LECTURE_MODEL.weights, rollout: 1 }, rolloutSteps: 3 };

describe('sequenceRuns', () => {
  it('counts the consecutive steps of one episode from each row, restarting at episode boundaries', () => {
    const data = discEpisodes(3, 4, 1);
    expect(Array.from(sequenceRuns(data))).toEqual([4, 3, 2, 1, 4, 3, 2, 1, 4, 3, 2, 1]);
  });
});

describe('LatentWorldModel rollout term', () => {
  it("adds 'rollout' = (1/K) Σ_j ½(r_{t+j−1} − r̂(ẑ_{t+j}))² over the codes the dynamics reach, weighted in the total", () => {
    const data = discEpisodes(1, 4, 2);
    const P = 256;
    const K = 3;
    const batch = {
      obs: tf.tensor2d(Float32Array.from(data.obs.subarray(0, P), (v) => v / 255), [1, P]),
      nextObs: tf.tensor2d(Float32Array.from(data.nextObs.subarray(0, P), (v) => v / 255), [1, P]),
      act: tf.tensor2d(data.act.subarray(0, 2), [1, 2]),
      reward: tf.tensor2d(data.reward.subarray(0, 1), [1, 1]),
      actSeq: tf.tensor2d(data.act.subarray(0, 2 * K), [1, 2 * K]),
      rewardSeq: tf.tensor2d(data.reward.subarray(0, K), [1, K]),
    };
    const model = LatentWorldModel.create(config);
    expect(model.termNames).toEqual(['reconstruction', 'dynamics', 'reward', 'rollout']);
    const [total, rec, dyn, rew, rollout] = tf.tidy(() => {
      const { total, terms } = model.lossTerms(batch, false, 0);
      return [total, ...terms].map((t) => t.dataSync()[0]);
    });
    const expected = tf.tidy(() => {
      let z = model.encode(batch.obs);
      let sum = 0;
      for (let j = 0; j < K; j++) {
        z = model.step(z, tf.tensor2d(data.act.subarray(2 * j, 2 * j + 2), [1, 2]));
        sum += 0.5 * (data.reward[j] - model.reward(z).dataSync()[0]) ** 2;
      }
      return sum / K;
    });
    expect(rollout).toBeCloseTo(expected, 4);
    expect(total).toBeCloseTo(rec + dyn + rew + rollout, 2);
    const heavier = LatentWorldModel.create({ ...config, weights: { ...config.weights, rollout: 5 } });
    const total5 = tf.tidy(() => heavier.lossTerms(batch, false, 0).total.dataSync()[0]);
    expect(total5).toBeCloseTo(rec + dyn + rew + 5 * rollout, 2);
    tf.dispose(Object.values(batch));
    model.dispose();
    heavier.dispose();
  });

  it('needs the sequence tensors, and fitting on rows with no K-step run is a clear error', async () => {
    const model = LatentWorldModel.create(config);
    const data = discEpisodes(1, 2, 3);
    const batch = {
      obs: tf.zeros([1, 256]) as tf.Tensor2D,
      nextObs: tf.zeros([1, 256]) as tf.Tensor2D,
      act: tf.zeros([1, 2]) as tf.Tensor2D,
      reward: tf.zeros([1, 1]) as tf.Tensor2D,
    };
    expect(() => tf.tidy(() => model.lossTerms(batch, false, 0).total)).toThrow(/rolloutSteps 3 needs batches with actSeq/);
    await expect(fitLatent(model, data, { epochs: 1, batchSize: 2, learningRate: 1e-3, valFraction: 0, seed: 0 })).rejects.toThrow(/no row starts 3 consecutive steps/);
    expect(() => LatentWorldModel.create({ ...config, rolloutSteps: 0 })).toThrow(/rolloutSteps must be a positive integer/);
    tf.dispose(Object.values(batch));
    model.dispose();
  });

  it('fitting lowers the rollout term (train and validation) and leaves no tensors behind', async () => {
    const before = tf.memory().numTensors;
    // The rollout term weighted up so that it, not the reconstruction, leads on this tiny budget.
    const model = LatentWorldModel.create({ ...config, weights: { ...config.weights, rollout: 20 } });
    const history: LatentEpochReport[] = [];
    const data = discEpisodes(24, 8, 4);
    await model.fit(data, { epochs: 10, batchSize: 32, learningRate: 3e-3, valFraction: 0.15, seed: 1 }, (r) => {
      history.push(r);
    });
    const [first, last] = [history[0], history[history.length - 1]];
    for (const r of history) expect(Number.isFinite(r.train.rollout) && Number.isFinite(r.val.rollout)).toBe(true);
    expect(last.train.rollout).toBeLessThan(first.train.rollout);
    // Better than predicting the mean reward at every step (½·Var r) on held-out rows.
    const mean = data.reward.reduce((s, r) => s + r, 0) / data.size;
    const halfVar = data.reward.reduce((s, r) => s + (r - mean) ** 2, 0) / data.size / 2;
    expect(last.val.rollout).toBeLessThan(halfVar);
    model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});

describe('LatentWorldModel overshoot term (overshootEvery)', () => {
  const every: LatentWorldModelConfig = { ...config, rolloutSteps: 4, overshootEvery: 2, weights: { ...config.weights, overshoot: 1 } };

  it("adds 'overshoot' = (1/|J|) Σ_{j∈J} ½‖ẑ_{t+j} − g(o_{t+j})‖² at j = e, 2e, … ≤ K, weighted in the total", () => {
    const data = discEpisodes(1, 5, 5);
    const P = 256;
    const K = 4;
    const image = (images: Uint8Array, row: number) => tf.tensor2d(Float32Array.from(images.subarray(row * P, (row + 1) * P), (v) => v / 255), [1, P]);
    const batch = {
      obs: image(data.obs, 0),
      nextObs: image(data.nextObs, 0),
      act: tf.tensor2d(data.act.subarray(0, 2), [1, 2]),
      reward: tf.tensor2d(data.reward.subarray(0, 1), [1, 1]),
      actSeq: tf.tensor2d(data.act.subarray(0, 2 * K), [1, 2 * K]),
      rewardSeq: tf.tensor2d(data.reward.subarray(0, K), [1, K]),
      // o_{t+2} and o_{t+4}: the next observations of rows 1 and 3.
      obsAhead: [image(data.nextObs, 1), image(data.nextObs, 3)],
    };
    const model = LatentWorldModel.create(every);
    expect(model.aheadSteps).toEqual([2, 4]);
    expect(model.termNames).toEqual(['reconstruction', 'dynamics', 'reward', 'rollout', 'overshoot']);
    const [total, rec, dyn, rew, rollout, overshoot] = tf.tidy(() => {
      const { total, terms } = model.lossTerms(batch, false, 0);
      return [total, ...terms].map((t) => t.dataSync()[0]);
    });
    const expected = tf.tidy(() => {
      let z = model.encode(batch.obs);
      let sum = 0;
      for (let j = 1; j <= K; j++) {
        z = model.step(z, tf.tensor2d(data.act.subarray(2 * (j - 1), 2 * j), [1, 2]));
        if (j % 2 === 0) {
          const target = Array.from(model.encode(image(data.nextObs, j - 1)).dataSync());
          const code = Array.from(z.dataSync());
          sum += 0.5 * code.reduce((s, c, i) => s + (c - target[i]) ** 2, 0);
        }
      }
      return sum / 2;
    });
    expect(overshoot).toBeGreaterThan(0);
    expect(overshoot).toBeCloseTo(expected, 4);
    expect(total).toBeCloseTo(rec + dyn + rew + rollout + overshoot, 2);
    const heavier = LatentWorldModel.create({ ...every, weights: { ...every.weights, overshoot: 3 } });
    const total3 = tf.tidy(() => heavier.lossTerms(batch, false, 0).total.dataSync()[0]);
    expect(total3).toBeCloseTo(rec + dyn + rew + rollout + 3 * overshoot, 2);
    // Offsets e, 2e, … that fit in K: every 3 of K 4 → [3].
    const three = LatentWorldModel.create({ ...every, overshootEvery: 3 });
    expect(three.aheadSteps).toEqual([3]);
    // Without the observations ahead it is a clear error.
    const { obsAhead: _o, ...without } = batch;
    expect(() => tf.tidy(() => model.lossTerms(without, false, 0).total)).toThrow(/overshootEvery needs batches with obsAhead at steps 2, 4/);
    tf.dispose([...Object.values(without), ...batch.obsAhead]);
    for (const m of [model, heavier, three]) m.dispose();
  });

  it('needs rolloutSteps > 1 and e ≤ K', () => {
    expect(() => LatentWorldModel.create({ ...every, overshootEvery: 5 })).toThrow(/overshootEvery must be an integer in 1..rolloutSteps \(4\)/);
    expect(() => LatentWorldModel.create({ ...every, overshootEvery: 0 })).toThrow(/overshootEvery must be an integer/);
    expect(() => LatentWorldModel.create({ ...every, rolloutSteps: 1, overshootEvery: 1 })).toThrow(/with rolloutSteps > 1/);
  });

  it('fitting serves the observations ahead, and weighting the term makes the rolled-out codes meet the encoder\'s; no tensors left behind', async () => {
    const before = tf.memory().numTensors;
    const data = discEpisodes(24, 8, 6);
    // The same model and data with the term weighted 0 (reported, not trained) and 10.
    const fitWith = async (weight: number) => {
      const model = LatentWorldModel.create({ ...every, weights: { ...every.weights, overshoot: weight } });
      const history: LatentEpochReport[] = [];
      await model.fit(data, { epochs: 8, batchSize: 32, learningRate: 3e-3, valFraction: 0.15, seed: 1 }, (r) => {
        history.push(r);
      });
      model.dispose();
      for (const r of history) expect(Number.isFinite(r.train.overshoot) && Number.isFinite(r.val.overshoot)).toBe(true);
      return history[history.length - 1];
    };
    const off = await fitWith(0);
    const on = await fitWith(10);
    expect(on.val.overshoot).toBeLessThan(0.5 * off.val.overshoot);
    expect(on.train.overshoot).toBeLessThan(0.5 * off.train.overshoot);
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);
});
