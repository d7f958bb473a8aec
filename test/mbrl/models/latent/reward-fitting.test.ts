/** The reward head's fitting scale (LatentWorldModelConfig.rewardScale): the transform, its inverse, and the model using both. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LatentWorldModel, loadLatentModel, type LatentWorldModelConfig } from '../../../../src-main/mbrl/models/latent';
import { focusedRewardNll, fromRewardScale, toRewardScale } from '../../../../src-main/mbrl/models/latent/reward-fitting';
import { DISC_LECTURE_MODEL, discTransitions } from './planar-disc';
import { useWasmBackend } from './latent-test-setup';

beforeAll(useWasmBackend);

describe('toRewardScale / fromRewardScale', () => {
  const rewards = [-16, -0.09, -0.0025, 0, 0.25, 4];

  it("'sqrt' maps r to sign(r)·√|r| (the pendulum's upright band 0…−0.09 becomes 0…−0.3) and back", () => {
    const [scaled, back] = tf.tidy(() => {
      const t = toRewardScale(tf.tensor2d(rewards, [rewards.length, 1]), 'sqrt');
      return [Array.from(t.dataSync()), Array.from(fromRewardScale(tf.reshape(t, [-1]) as tf.Tensor1D, 'sqrt').dataSync())];
    });
    [-4, -0.3, -0.05, 0, 0.5, 2].forEach((v, i) => expect(scaled[i]).toBeCloseTo(v, 5));
    rewards.forEach((r, i) => expect(back[i]).toBeCloseTo(r, 5));
  });

  it("'linear' leaves rewards as they are", () => {
    const [scaled, back] = tf.tidy(() => [toRewardScale(tf.tensor2d(rewards, [rewards.length, 1]), 'linear'), fromRewardScale(tf.tensor1d(rewards), 'linear')].map((t) => Array.from(t.dataSync())));
    rewards.forEach((r, i) => expect([scaled[i], back[i]]).toEqual([Math.fround(r), Math.fround(r)]));
  });
});

describe('focusedRewardNll', () => {
  it('weights the rows above the level by `weight` (the others 1), ½·Σ over columns, mean over rows', () => {
    const reward = [[-0.1, -2], [-3, -0.01]];
    const head = [[0.1, -1], [-2, 0.19]];
    const [plain, focused] = tf.tidy(() => {
      const [h, r] = [tf.tensor2d(head), tf.tensor2d(reward)];
      return [focusedRewardNll(h, r, r), focusedRewardNll(h, r, r, { above: -0.5, weight: 10 })].map((t) => t.dataSync()[0]);
    });
    // Squared errors 0.04, 1 | 1, 0.04; the two near-optimal ones (r > −0.5) weigh 10.
    expect(plain).toBeCloseTo((0.5 * (0.04 + 1) + 0.5 * (1 + 0.04)) / 2, 5);
    expect(focused).toBeCloseTo((0.5 * (0.4 + 1) + 0.5 * (1 + 0.4)) / 2, 5);
  });
});

const config: LatentWorldModelConfig = { ...DISC_LECTURE_MODEL, rewardScale: 'sqrt' };

describe("LatentWorldModel with rewardScale 'sqrt'", () => {
  const data = discTransitions(64, 3);
  const P = 256;
  const rows = (images: Uint8Array, n: number) => tf.tensor2d(Float32Array.from(images.subarray(0, n * P), (v) => v / 255), [n, P]);

  it("fits the head to sign(r)·√|r| and reports r̂ in the task's units", () => {
    const model = LatentWorldModel.create(config);
    expect(model.rewardScale).toBe('sqrt');
    const n = 8;
    const batch = { obs: rows(data.obs, n), nextObs: rows(data.nextObs, n), act: tf.tensor2d(data.act.subarray(0, 2 * n), [n, 2]), reward: tf.tensor2d(data.reward.subarray(0, n), [n, 1]) };
    const [rewardTerm, predicted] = tf.tidy(() => [model.lossTerms(batch, false, 0).terms[2].dataSync()[0], Array.from(model.reward(model.encode(batch.nextObs)).dataSync())]);
    // The head's raw output is sign(r̂)·√|r̂|; the term compares it with the scaled target.
    const scaled = (r: number) => Math.sign(r) * Math.sqrt(Math.abs(r));
    const expected = predicted.reduce((s, r, i) => s + 0.5 * (scaled(data.reward[i]) - scaled(r)) ** 2, 0) / n;
    expect(rewardTerm).toBeCloseTo(expected, 4);
    const linear = LatentWorldModel.create({ ...config, rewardScale: 'linear' });
    const linearTerm = tf.tidy(() => linear.lossTerms(batch, false, 0).terms[2].dataSync()[0]);
    // The same weights (same seed) with the linear target: r̂ is the head's output itself.
    const head = predicted.map(scaled);
    expect(linearTerm).toBeCloseTo(head.reduce((s, h, i) => s + 0.5 * (data.reward[i] - h) ** 2, 0) / n, 4);
    tf.dispose(Object.values(batch));
    model.dispose();
    linear.dispose();
  });

  it('with rewardFocus weights the reward term\'s near-optimal rows, and rejects a weight below 1', () => {
    const n = 8;
    const batch = { obs: rows(data.obs, n), nextObs: rows(data.nextObs, n), act: tf.tensor2d(data.act.subarray(0, 2 * n), [n, 2]), reward: tf.tensor2d(data.reward.subarray(0, n), [n, 1]) };
    const level = [...data.reward.subarray(0, n)].sort((a, b) => a - b)[n / 2];
    const term = (focus?: { above: number; weight: number }) => {
      const model = LatentWorldModel.create({ ...config, rewardScale: 'linear', rewardFocus: focus });
      const [value, predicted] = tf.tidy(() => [model.lossTerms(batch, false, 0).terms[2].dataSync()[0], Array.from(model.reward(model.encode(batch.nextObs)).dataSync())]);
      model.dispose();
      return { value, predicted };
    };
    const { value, predicted } = term({ above: level, weight: 4 });
    const expected = predicted.reduce((s, r, i) => s + 0.5 * (data.reward[i] > level ? 4 : 1) * (data.reward[i] - r) ** 2, 0) / n;
    expect(value).toBeCloseTo(expected, 4);
    expect(value).toBeGreaterThan(term().value);
    tf.dispose(Object.values(batch));
    expect(() => LatentWorldModel.create({ ...config, rewardFocus: { above: -1, weight: 0.5 } })).toThrow(/rewardFocus needs a finite 'above' and a weight ≥ 1/);
  });

  it('keeps the scale through save and load, and rejects an unknown scale', async () => {
    const model = LatentWorldModel.create(config);
    const loaded = loadLatentModel(await model.save());
    expect((loaded as LatentWorldModel).rewardScale).toBe('sqrt');
    const images = rows(data.obs, 3);
    const run = (m: typeof loaded) => tf.tidy(() => Array.from(m.reward(m.encode(images)).dataSync()));
    expect(run(loaded)).toEqual(run(model));
    tf.dispose(images);
    model.dispose();
    loaded.dispose();
    expect(() => LatentWorldModel.create({ ...config, rewardScale: 'log' as 'sqrt' })).toThrow(/rewardScale must be 'linear' or 'sqrt', got 'log'/);
  });
});
