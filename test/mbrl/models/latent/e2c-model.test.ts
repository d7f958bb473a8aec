import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2cModel, loadLatentModel, type E2cConfig, type LatentEpochReport } from '../../../../src-main/mbrl/models/latent';
import { discTransitions, pairwiseDistances, spearman } from './planar-disc';
import { useWasmBackend } from './latent-test-setup';

beforeAll(useWasmBackend);

const config: E2cConfig = {
  imageShape: [16, 16, 1],
  actDim: 2,
  latentDim: 2,
  stages: [],
  hidden: [64],
  transitionHidden: [32],
  activation: 'relu',
  weights: { reconstruction: 1, nextReconstruction: 1, kl: 1, consistency: 1 },
  seed: 0,
};

describe('E2cModel', () => {
  let model: E2cModel;
  const history: LatentEpochReport[] = [];
  const data = discTransitions(1200, 1);

  beforeAll(async () => {
    model = E2cModel.create(config);
    await model.fit(data, { epochs: 24, batchSize: 64, learningRate: 5e-3, valFraction: 0.1, seed: 0 }, (r) => {
      history.push(r);
    });
  }, 60_000);

  afterAll(() => model.dispose());

  it('reports every loss term, finite, for train and validation; the reconstructions and the total decrease', () => {
    expect(history).toHaveLength(24);
    for (const r of history) {
      for (const name of [...model.termNames, 'total']) {
        expect(Number.isFinite(r.train[name]), `train ${name} at epoch ${r.epoch}`).toBe(true);
        expect(Number.isFinite(r.val[name]), `val ${name} at epoch ${r.epoch}`).toBe(true);
      }
      expect(r.transitionsPerSecond).toBeGreaterThan(0);
    }
    const first = history[0];
    const last = history[history.length - 1];
    expect(last.train.total).toBeLessThan(0.5 * first.train.total);
    expect(last.val.total).toBeLessThan(0.5 * first.val.total);
    expect(last.train.reconstruction).toBeLessThan(first.train.reconstruction);
    expect(last.train.nextReconstruction).toBeLessThan(first.train.nextReconstruction);
    // KL terms are KL divergences: never negative (up to float error).
    for (const r of history) expect(r.train.kl).toBeGreaterThan(-1e-4);
  });

  it('learns a 2-D latent that preserves neighbourhoods of the true position (Spearman ρ of pairwise distances > 0.6)', () => {
    // Held-out positions. ρ compares the ranking of all pairwise distances in the code with that of the
    // true positions: ≈ 0 for a code unrelated to position (random init or collapse), 1 for any map
    // that preserves distance order; a smooth one-to-one warp of the square keeps ρ near 0.8–0.9, while a
    // code that folds or tears the square (distant positions on nearby codes) drops it well below 0.6.
    // Measured with this recipe: ρ = 0.93 (seed 0); seeds 1–4 gave 0.77, 0.67, 0.88, 0.93.
    const test = discTransitions(150, 99);
    const z = tf.tidy(() => model.encode(tf.tensor2d(Float32Array.from(test.obs, (v) => v / 255), [150, 256])));
    const codes = z.dataSync();
    z.dispose();
    const rho = spearman(pairwiseDistances(codes, 2), pairwiseDistances(test.pos, 2));
    expect(rho).toBeGreaterThan(0.6);
    // The untrained encoder does not: the bar is not met by construction.
    const fresh = E2cModel.create({ ...config, seed: 5 });
    const z0 = tf.tidy(() => fresh.encode(tf.tensor2d(Float32Array.from(test.obs, (v) => v / 255), [150, 256])));
    const rho0 = spearman(pairwiseDistances(z0.dataSync(), 2), pairwiseDistances(test.pos, 2));
    z0.dispose();
    fresh.dispose();
    expect(rho0).toBeLessThan(rho);
  });

  it('saves and loads in tfjs format; the loaded model computes the same codes, steps and images', async () => {
    const artifacts = await model.save();
    expect(artifacts.modelJson.format).toBe('mbrl-lab/latent-model');
    expect(artifacts.modelJson.kind).toBe('e2c');
    const loaded = loadLatentModel(artifacts);
    expect(loaded).toBeInstanceOf(E2cModel);
    const images = tf.tensor2d(Float32Array.from(data.obs.subarray(0, 3 * 256), (v) => v / 255), [3, 256]);
    const act = tf.tensor2d([[0.5, -0.5], [1, 0], [0, 1]]);
    for (const m of [model, loaded]) expect(m.latentDim).toBe(2);
    const outs = [model, loaded].map((m) => tf.tidy(() => {
      const z = m.encode(images);
      return [z, m.step(z, act), m.decode(z)].map((t) => Array.from(t.dataSync()));
    }));
    expect(outs[1]).toEqual(outs[0]);
    loaded.dispose();
    tf.dispose([images, act]);
  });

  it('with meanImageOffset and inputBlur: starts decoding the mean training frame, trains, and saves/loads exactly', async () => {
    const small = discTransitions(200, 7);
    const m = E2cModel.create({ ...config, meanImageOffset: true, inputBlur: 1.5, pixelStd: 0.1 });
    let first: LatentEpochReport | null = null;
    let last: LatentEpochReport | null = null;
    // One epoch at learning rate 0: the fit sets the offset and input statistics, the weights stay at init.
    await m.fit(small, { epochs: 1, batchSize: 50, learningRate: 1e-12, valFraction: 0, seed: 0 }, (r) => void (first = r));
    const mean = new Float64Array(256);
    for (let i = 0; i < small.size; i++) for (let j = 0; j < 256; j++) mean[j] += small.obs[i * 256 + j] / 255 / small.size;
    const decoded = tf.tidy(() => m.decode(tf.zeros([1, 2])).dataSync());
    // The output layer's init is small, so the untrained decoder draws ≈ the mean frame (within its clamp).
    let err = 0;
    for (let j = 0; j < 256; j++) err = Math.max(err, Math.abs(decoded[j] - Math.min(0.99, Math.max(0.01, mean[j]))));
    expect(err).toBeLessThan(0.35);
    await m.fit(small, { epochs: 4, batchSize: 50, learningRate: 5e-3, valFraction: 0, seed: 0 }, (r) => void (last = r));
    expect(last!.train.reconstruction).toBeLessThan(first!.train.reconstruction);
    const loaded = loadLatentModel(await m.save());
    const images = tf.tensor2d(Float32Array.from(small.obs.subarray(0, 2 * 256), (v) => v / 255), [2, 256]);
    const outs = [m, loaded].map((x) => tf.tidy(() => [x.encode(images), x.decode(x.encode(images))].map((t) => Array.from(t.dataSync()))));
    expect(outs[1]).toEqual(outs[0]);
    tf.dispose(images);
    m.dispose();
    loaded.dispose();
  }, 60_000);

  it('with keypoints and initialLogVariance: starts from the narrow posterior, trains, and saves/loads exactly', async () => {
    const small = discTransitions(200, 7);
    const m = E2cModel.create({ ...config, meanImageOffset: true, pixelStd: 0.1, keypoints: { channels: 4, kernel: 3 }, initialLogVariance: -6 });
    let first: LatentEpochReport | null = null;
    let last: LatentEpochReport | null = null;
    await m.fit(small, { epochs: 1, batchSize: 50, learningRate: 1e-12, valFraction: 0, seed: 0 }, (r) => void (first = r));
    // KL(N(μ, σ²) ‖ N(0, 1)) per dimension = ½(σ² + μ² − 1 − log σ²): ≈ 2.5 at log σ² = −6 (the output
    // layer's small weights move it by a few tenths), ≈ μ²/2 < 0.5 at the default σ = 1.
    expect(first!.train.kl).toBeGreaterThan(3.5);
    await m.fit(small, { epochs: 4, batchSize: 50, learningRate: 5e-3, valFraction: 0, seed: 0 }, (r) => void (last = r));
    expect(last!.train.reconstruction).toBeLessThan(first!.train.reconstruction);
    const loaded = loadLatentModel(await m.save());
    const images = tf.tensor2d(Float32Array.from(small.obs.subarray(0, 2 * 256), (v) => v / 255), [2, 256]);
    const act = tf.tensor2d([[0.5, -0.5], [1, 0]]);
    const outs = [m, loaded].map((x) => tf.tidy(() => {
      const z = x.encode(images);
      return [z, x.step(z, act), x.decode(z)].map((t) => Array.from(t.dataSync()));
    }));
    expect(outs[1]).toEqual(outs[0]);
    tf.dispose([images, act]);
    m.dispose();
    loaded.dispose();
  }, 60_000);

  it('rejects artifacts of another format and data of another shape, naming the field', async () => {
    expect(() => E2cModel.load({ modelJson: { format: 'mbrl-lab/ensemble-dynamics' }, weightData: new ArrayBuffer(0) })).toThrow(/format is 'mbrl-lab\/ensemble-dynamics'/);
    const bad = { ...discTransitions(20, 3), actDim: 3 };
    await expect(model.fit(bad, { epochs: 1, batchSize: 8, learningRate: 1e-3, valFraction: 0, seed: 0 })).rejects.toThrow(/action dims/);
    const short = { ...discTransitions(20, 3), reward: new Float32Array(19) };
    await expect(model.fit(short, { epochs: 1, batchSize: 8, learningRate: 1e-3, valFraction: 0, seed: 0 })).rejects.toThrow(/reward has 19 values/);
  });
});
