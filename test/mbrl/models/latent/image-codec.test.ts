/** The image codec's fixed parts: the encoder's input blur and the decoder's mean-image offset. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { blurImages, gaussianBlurMatrix, ImageDecoder, ImageEncoder, meanImageLogits } from '../../../../src-main/mbrl/models/latent/image-codec';
import { useWasmBackend } from './latent-test-setup';

beforeAll(useWasmBackend);

describe('gaussianBlurMatrix / blurImages', () => {
  it('rows sum to 1, weights fall off as a Gaussian, and the blur of one lit pixel is the outer product of two rows', () => {
    const M = gaussianBlurMatrix(7, 1.5);
    const m = M.arraySync();
    for (const row of m) expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 6);
    expect(m[3][4] / m[3][3]).toBeCloseTo(Math.exp(-1 / (2 * 1.5 ** 2)), 5);
    expect(m[3][5] / m[3][3]).toBeCloseTo(Math.exp(-4 / (2 * 1.5 ** 2)), 5);
    // A 7×5 image, 2 channels, one pixel lit in channel 1 at (row 2, col 3).
    const img = new Float32Array(7 * 5 * 2);
    img[(2 * 5 + 3) * 2 + 1] = 1;
    const rows = gaussianBlurMatrix(7, 1.5);
    const cols = gaussianBlurMatrix(5, 1);
    const out = tf.tidy(() => blurImages(tf.tensor4d(img, [1, 7, 5, 2]), rows, cols).arraySync()[0]);
    const r = rows.arraySync();
    const c = cols.arraySync();
    for (let i = 0; i < 7; i++) {
      for (let j = 0; j < 5; j++) {
        expect(out[i][j][0]).toBe(0); // channels stay apart
        expect(out[i][j][1]).toBeCloseTo(r[i][2] * c[j][3], 6);
      }
    }
    tf.dispose([M, rows, cols]);
  });

  it('an encoder with inputBlur sees a blurred image: a one-pixel shift changes its output far less than without', () => {
    const codec = { imageShape: [12, 12, 1] as [number, number, number], stages: [], hidden: [32], activation: 'relu' as const };
    const sharp = new ImageEncoder(codec, 4, 3);
    const blurred = new ImageEncoder({ ...codec, inputBlur: 2 }, 4, 3);
    const dot = (r: number, c: number) => {
      const x = new Float32Array(144);
      x[r * 12 + c] = 1;
      return x;
    };
    const change = (enc: ImageEncoder) =>
      tf.tidy(() => {
        const a = enc.forward(tf.tensor2d(dot(5, 5), [1, 144]));
        const b = enc.forward(tf.tensor2d(dot(5, 6), [1, 144]));
        return tf.norm(tf.sub(a, b)).dataSync()[0] / tf.norm(a).dataSync()[0];
      });
    expect(change(blurred)).toBeLessThan(0.5 * change(sharp));
    const before = tf.memory().numTensors;
    blurred.dispose();
    sharp.dispose();
    expect(tf.memory().numTensors).toBeLessThan(before);
  });
});

describe('decoder output offset', () => {
  it('meanImageLogits inverts the sigmoid (clamped away from 0 and 1); a fresh decoder with it outputs ≈ the mean image', () => {
    const mean = Float32Array.from({ length: 4 * 4 * 3 }, (_, i) => (i % 7) / 6);
    const logits = meanImageLogits(mean);
    expect(logits[1]).toBeCloseTo(Math.log((1 / 6) / (5 / 6)), 5);
    expect(logits[0]).toBeCloseTo(Math.log(0.01 / 0.99), 5); // mean 0 → ε
    expect(logits[6]).toBeCloseTo(Math.log(0.99 / 0.01), 5); // mean 1 → 1 − ε
    const decoder = new ImageDecoder({ imageShape: [4, 4, 3], stages: [], hidden: [8], activation: 'relu' }, 2, 0);
    const z = tf.zeros([3, 2]) as tf.Tensor2D;
    const without = tf.tidy(() => decoder.forward(z).dataSync());
    decoder.setOutputOffset(logits);
    const withOffset = tf.tidy(() => decoder.forward(z).dataSync());
    for (let i = 0; i < 48; i++) expect(withOffset[i] - without[i]).toBeCloseTo(logits[i % 48], 5);
    // Fixed, not trained, but saved with the weights.
    const vars = decoder.namedVariables('decoder');
    const k = vars.names.indexOf('decoder/output/offset');
    expect(k).toBeGreaterThanOrEqual(0);
    expect(vars.variables[k].trainable).toBe(false);
    z.dispose();
    decoder.dispose();
  });
});
