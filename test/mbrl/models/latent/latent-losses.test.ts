import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { bernoulliNll, klDiagonal, klToStandardNormal, pixelNll, pixelStats } from '../../../../src-main/mbrl/models/latent';
import { useWasmBackend } from './latent-test-setup';

beforeAll(useWasmBackend);

const scalar = (f: () => tf.Scalar) => {
  const t = tf.tidy(f);
  const v = t.dataSync()[0];
  t.dispose();
  return v;
};

describe('latent loss terms', () => {
  it('Bernoulli and Gaussian pixel NLLs are per-image sums averaged over images', () => {
    const logits = [[0.5, -1], [2, 0]];
    const target = [[1, 0.2], [0.7, 0]];
    const sig = (l: number) => 1 / (1 + Math.exp(-l));
    let bce = 0;
    let sq = 0;
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) {
      const p = sig(logits[i][j]);
      const t = target[i][j];
      bce -= t * Math.log(p) + (1 - t) * Math.log(1 - p);
      sq += (p - t) ** 2;
    }
    expect(scalar(() => bernoulliNll(tf.tensor2d(logits), tf.tensor2d(target)))).toBeCloseTo(bce / 2, 4);
    expect(scalar(() => pixelNll(tf.tensor2d(logits), tf.tensor2d(target)))).toBeCloseTo(bce / 2, 4);
    expect(scalar(() => pixelNll(tf.tensor2d(logits), tf.tensor2d(target), 0.1))).toBeCloseTo(sq / (2 * 0.01) / 2, 2);
  });

  it('KL terms vanish for equal distributions and match the closed form otherwise', () => {
    expect(scalar(() => klToStandardNormal(tf.zeros([3, 2]), tf.zeros([3, 2])))).toBeCloseTo(0, 6);
    // KL(N(1, e^0.5) ‖ N(0, 1)) in one dim: ½(e^0.5 + 1 − 1 − 0.5).
    expect(scalar(() => klToStandardNormal(tf.tensor2d([[1]]), tf.tensor2d([[0.5]])))).toBeCloseTo(0.5 * (Math.exp(0.5) - 0.5), 5);
    const mu = tf.tensor2d([[0.3, -0.2]]);
    const lv = tf.tensor2d([[0.1, -0.4]]);
    expect(scalar(() => klDiagonal(mu, lv, mu, lv))).toBeCloseTo(0, 6);
    tf.dispose([mu, lv]);
  });

  it('pixelStats: per-pixel mean and std over images, std floored for pixels that never change', () => {
    const images = Uint8Array.from([0, 255, 100, 255, 255, 100]); // 2 images × 3 pixels
    const { mean, std } = pixelStats(images, 3, 0.05);
    expect(Array.from(mean).map((v) => +v.toFixed(4))).toEqual([0.5, 1, +(100 / 255).toFixed(4)]);
    expect(std[0]).toBeCloseTo(0.5, 5);
    expect(std[1]).toBeCloseTo(0.05, 7);
    expect(std[2]).toBeCloseTo(0.05, 7);
  });
});
