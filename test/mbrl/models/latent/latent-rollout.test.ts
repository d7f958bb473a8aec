/** The lecture model's multi-step reward term (rolloutSteps) and the sequence layout fitLatent reads it from. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LatentWorldModel, fitLatent, sequenceRuns, type LatentEpochReport, type LatentWorldModelConfig, type ImageTransitions } from '../../../../src-main/mbrl/models/latent';
import { Rng } from '../../../../src-main/mbrl/util';
import { DISC, moveDisc, renderDisc } from './planar-disc';
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

const config: LatentWorldModelConfig = {
  kind: 'deterministic',
  imageShape: [16, 16, 1],
  actDim: 2,
  latentDim: 4,
  stages: [],
  hidden: [64],
  dynamicsHidden: [32],
  rewardHidden: [32],
  activation: 'relu',
  weights: { dynamics: 1, reconstruction: 1, reward: 1, kl: 1, rollout: 1 },
  rolloutSteps: 3,
  seed: 0,
};

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
