import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { LatentWorldModel, loadLatentModel, type LatentEpochReport, type LatentWorldModelConfig } from '../../../../src-main/mbrl/models/latent';
import { DISC_LECTURE_MODEL, discTransitions } from './planar-disc';
import { useWasmBackend } from './latent-test-setup';

beforeAll(useWasmBackend);

const base: LatentWorldModelConfig = {
  ...DISC_LECTURE_MODEL,
  // Two patch-conv stages (16 → 8 → 4), then a hidden layer: the convolutional encoder and its mirror.
  stages: [
    { patch: 2, channels: 8 },
    { patch: 2, channels: 16 },
  ],
};

const data = discTransitions(400, 2);
const options = { epochs: 8, batchSize: 50, learningRate: 3e-3, valFraction: 0.1, seed: 1 };

describe.each(['deterministic', 'stochastic'] as const)('LatentWorldModel (%s encoder)', (kind) => {
  it('reports finite per-term curves; reconstruction, reward and the total decrease on a tiny dataset', async () => {
    const model = LatentWorldModel.create({ ...base, kind });
    const history: LatentEpochReport[] = [];
    await model.fit(data, options, (r) => {
      history.push(r);
    });
    const names = kind === 'stochastic' ? ['reconstruction', 'dynamics', 'reward', 'kl'] : ['reconstruction', 'dynamics', 'reward'];
    expect(model.termNames).toEqual(names);
    for (const r of history) for (const n of [...names, 'total']) expect(Number.isFinite(r.train[n]) && Number.isFinite(r.val[n]), `${n} at epoch ${r.epoch}`).toBe(true);
    const [first, last] = [history[0], history[history.length - 1]];
    expect(last.train.total).toBeLessThan(first.train.total);
    expect(last.val.total).toBeLessThan(first.val.total);
    expect(last.train.reconstruction).toBeLessThan(first.train.reconstruction);
    expect(last.train.reward).toBeLessThan(first.train.reward);
    model.dispose();
  }, 30_000);

  it('saves and loads exactly', async () => {
    const model = LatentWorldModel.create({ ...base, kind, seed: 4 });
    await model.fit(data, { ...options, epochs: 1 });
    const loaded = loadLatentModel(await model.save());
    expect(loaded.kind).toBe(kind);
    const images = tf.tensor2d(Float32Array.from(data.obs.subarray(0, 2 * 256), (v) => v / 255), [2, 256]);
    const act = tf.tensor2d([[0.2, 0.1], [-1, 1]]);
    const run = (m: typeof loaded) =>
      tf.tidy(() => {
        const z = m.encode(images);
        return [z, m.step(z, act), m.reward(z), m.decode(z)].map((t) => Array.from(t.dataSync()));
      });
    expect(run(loaded)).toEqual(run(model));
    tf.dispose([images, act]);
    model.dispose();
    loaded.dispose();
  });
});

describe('LatentWorldModel loss weights', () => {
  it('weights scale their terms in the total (w = 0 removes a term)', () => {
    const batch = {
      obs: tf.tensor2d(Float32Array.from(data.obs.subarray(0, 8 * 256), (v) => v / 255), [8, 256]),
      nextObs: tf.tensor2d(Float32Array.from(data.nextObs.subarray(0, 8 * 256), (v) => v / 255), [8, 256]),
      act: tf.tensor2d(data.act.subarray(0, 16), [8, 2]),
      reward: tf.tensor2d(data.reward.subarray(0, 8), [8, 1]),
    };
    const totals = [
      { dynamics: 1, reconstruction: 1, reward: 1, kl: 1 },
      { dynamics: 2, reconstruction: 0, reward: 3, kl: 1 },
    ].map((weights) => {
      const model = LatentWorldModel.create({ ...base, weights });
      const out = tf.tidy(() => {
        const { total, terms } = model.lossTerms(batch, false, 0);
        return [total.dataSync()[0], ...terms.map((t) => t.dataSync()[0])];
      });
      model.dispose();
      return out;
    });
    const [t1, rec, dyn, rew] = totals[0];
    expect(t1).toBeCloseTo(rec + dyn + rew, 3);
    expect(totals[1][0]).toBeCloseTo(2 * dyn + 3 * rew, 3);
    tf.dispose(Object.values(batch));
  });
});
