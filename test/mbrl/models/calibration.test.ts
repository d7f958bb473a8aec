import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TransitionBuffer } from '../../../src-main/mbrl/data';
import { calibrationReport, predictiveMoments, type EnsembleModel } from '../../../src-main/mbrl/models';
import { useCpuBackend } from '../tf-setup';

beforeAll(useCpuBackend);

/** Two members predicting s′ = s + offset_e with variance 1e-4: a known predictive distribution. */
const fake = (offsets: number[]): EnsembleModel => ({
  obsDim: 1,
  actDim: 1,
  memberCount: offsets.length,
  probabilistic: true,
  eliteIndices: offsets.map((_, k) => k),
  memberPredict: (k, obs) => ({ next: tf.add(obs, offsets[k]) as tf.Tensor2D, logVar: tf.fill(obs.shape, Math.log(1e-4)) as tf.Tensor2D }),
  predict: (obs) => obs,
  fit: async () => ({ history: [], bestEpoch: 0 }),
  save: async () => ({ modelJson: {}, weightData: new ArrayBuffer(0) }),
  dispose: () => {},
});

describe('calibration', () => {
  it('moment-matches the ensemble exactly, even for states far from zero (no float32 cancellation)', () => {
    const obs = tf.tensor2d([[1000], [-3000]]);
    const { mean, variance } = predictiveMoments(fake([0.01, -0.01]), obs, tf.zeros([2, 1]) as tf.Tensor2D);
    expect(Array.from(mean.dataSync())).toEqual([expect.closeTo(1000, 3), expect.closeTo(-3000, 3)]);
    // 1e-4 aleatoric + 1e-4 epistemic ((±0.01)²).
    Array.from(variance.dataSync()).forEach((v) => expect(v).toBeCloseTo(2e-4, 6));
  });

  it('scores targets drawn from the predicted distribution as calibrated', async () => {
    const data = new TransitionBuffer(1, 1);
    // s′ − s = ±σ·z with σ² = 2e-4: 68 % of targets should fall within 1σ.
    const sigma = Math.sqrt(2e-4);
    const z = [-2.5, -1.5, -0.8, -0.5, -0.2, 0, 0.1, 0.4, 0.7, 0.9, 1.2, 1.9];
    z.forEach((zi, i) => data.add([500 + i], [0], [500 + i + zi * sigma], 0, false));
    const report = await calibrationReport(fake([0.01, -0.01]), data.view());
    expect(report.within1Sigma).toBeCloseTo(8 / 12, 5);
    expect(report.within2Sigma).toBeCloseTo(11 / 12, 5);
    expect(report.nll!).toBeLessThan(0);
  });
});
