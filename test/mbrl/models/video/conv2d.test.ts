import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dSame, conv2dSameFlipped, conv2dSameNoBias, downsample2, flippedKernel, upsample2 } from '../../../../src-main/mbrl/models/video/conv2d';
import { useCpuBackend } from '../../tf-setup';

beforeAll(useCpuBackend);

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

/** A seeded k×k convolution case: input [2, 7, 6, 3], kernel [k, k, 3, 4], bias [4], and a probe of the output's shape. */
function convCase(k: number, seed: number) {
  return {
    x: tf.randomNormal([2, 7, 6, 3], 0, 1, 'float32', seed) as tf.Tensor4D,
    w: tf.randomNormal([k, k, 3, 4], 0, 1, 'float32', seed + 1) as tf.Tensor4D,
    b: tf.randomNormal([4], 0, 1, 'float32', seed + 2) as tf.Tensor1D,
    probe: tf.randomNormal([2, 7, 6, 4], 0, 1, 'float32', seed + 3),
  };
}

describe('conv2dSame', () => {
  it.each([1, 3, 5])('matches tfjs conv2d and its gradients (kernel %i)', (k) => {
    tf.tidy(() => {
      const { x, w, b, probe } = convCase(k, 1);
      const ours = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv2dSame(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D), probe));
      const theirs = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), b), probe));
      expect(maxDiff(conv2dSame(x, w, b), tf.add(tf.conv2d(x, w, 1, 'same'), b))).toBeLessThan(1e-5);
      const g1 = tf.grads(ours)([x, w, b]);
      const g2 = tf.grads(theirs)([x, w, b]);
      g1.forEach((g, i) => expect(maxDiff(g, g2[i])).toBeLessThan(1e-3));
    });
  });

  it.each([1, 3, 5])('without a bias, and with the flipped kernel given, has the same values and gradients (kernel %i)', (k) => {
    tf.tidy(() => {
      const { x, w, b, probe } = convCase(k, 5);
      const flipped = flippedKernel(w);
      expect(flipped.shape).toEqual([k, k, 4, 3]);
      const score = (y: tf.Tensor) => tf.sum(tf.mul(y, probe));
      const reference = tf.grads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => score(tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), b)))([x, w, b]);
      const withFlip = tf.grads((x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => score(conv2dSameFlipped(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D, flipped)))([x, w, b]);
      withFlip.forEach((g, i) => expect(maxDiff(g, reference[i])).toBeLessThan(1e-3));
      const noBias = tf.grads((x: tf.Tensor, w: tf.Tensor) => score(conv2dSameNoBias(x as tf.Tensor4D, w as tf.Tensor4D)))([x, w]);
      const noBiasFlip = tf.grads((x: tf.Tensor, w: tf.Tensor) => score(conv2dSameFlipped(x as tf.Tensor4D, w as tf.Tensor4D, null, flipped)))([x, w]);
      [noBias, noBiasFlip].forEach((gs) => gs.forEach((g, i) => expect(maxDiff(g, reference[i])).toBeLessThan(1e-3)));
      expect(maxDiff(conv2dSameNoBias(x, w), tf.conv2d(x, w, 1, 'same'))).toBeLessThan(1e-5);
      expect(maxDiff(conv2dSameFlipped(x, w, b, flipped), conv2dSame(x, w, b))).toBeLessThan(1e-5);
    });
  });

  it('takes the input gradient from the flipped kernel it is given', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([1, 5, 5, 2], 0, 1, 'float32', 9) as tf.Tensor4D;
      const w = tf.randomNormal([3, 3, 2, 2], 0, 1, 'float32', 10) as tf.Tensor4D;
      // A wrong flipped kernel changes dx but neither the value nor dW: the kernel given is what dx uses.
      const wrong = tf.zeros([3, 3, 2, 2]) as tf.Tensor4D;
      const [dx, dw] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(conv2dSameFlipped(x as tf.Tensor4D, w as tf.Tensor4D, null, wrong)))([x, w]);
      const [dx0, dw0] = tf.grads((x: tf.Tensor, w: tf.Tensor) => tf.sum(conv2dSameNoBias(x as tf.Tensor4D, w as tf.Tensor4D)))([x, w]);
      expect(maxDiff(dx, tf.zerosLike(dx))).toBe(0);
      expect(maxDiff(dx0, tf.zerosLike(dx0))).toBeGreaterThan(0.1);
      expect(maxDiff(dw, dw0)).toBeLessThan(1e-5);
    });
  });

  it('rejects even kernels', () => {
    expect(() => conv2dSame(tf.zeros([1, 4, 4, 1]), tf.zeros([2, 2, 1, 1]), tf.zeros([1]))).toThrow(/odd/);
  });
});

describe('downsample2 / upsample2', () => {
  it('averages each 2×2 block', () => {
    const x = tf.tensor4d([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16], [1, 4, 4, 1]);
    const y = downsample2(x);
    expect(y.shape).toEqual([1, 2, 2, 1]);
    expect(Array.from(y.dataSync())).toEqual([3.5, 5.5, 11.5, 13.5]);
    tf.dispose([x, y]);
  });

  it('have the gradients of a 2×2 average and of a 2×2 repeat', () => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 6, 4, 3], 0, 1, 'float32', 11) as tf.Tensor4D;
      const probeDown = tf.randomNormal([2, 3, 2, 3], 0, 1, 'float32', 12);
      const [ours] = tf.grads((x: tf.Tensor) => tf.sum(tf.mul(downsample2(x as tf.Tensor4D), probeDown)))([x]);
      const [theirs] = tf.grads((x: tf.Tensor) => tf.sum(tf.mul(tf.avgPool(x as tf.Tensor4D, 2, 2, 'valid'), probeDown)))([x]);
      expect(maxDiff(ours, theirs)).toBeLessThan(1e-6);
      // Upsampling's gradient is each 2×2 block's sum of dy, written out here: tfjs's own
      // ResizeNearestNeighborGrad on the cpu backend is wrong for batches of more than one (tfjs 4.22).
      const probeUp = tf.randomNormal([2, 12, 8, 3], 0, 1, 'float32', 13);
      const [oursUp] = tf.grads((x: tf.Tensor) => tf.sum(tf.mul(upsample2(x as tf.Tensor4D), probeUp)))([x]);
      const p = probeUp.dataSync();
      const blockSums = new Float32Array(2 * 6 * 4 * 3);
      for (let b = 0; b < 2; b++)
        for (let i = 0; i < 12; i++)
          for (let j = 0; j < 8; j++)
            for (let c = 0; c < 3; c++) blockSums[((b * 6 + (i >> 1)) * 4 + (j >> 1)) * 3 + c] += p[((b * 12 + i) * 8 + j) * 3 + c];
      expect(maxDiff(oursUp, tf.tensor(blockSums, [2, 6, 4, 3]))).toBeLessThan(1e-5);
    });
  });

  it('rejects odd sizes when downsampling', () => {
    expect(() => downsample2(tf.zeros([1, 5, 4, 1]))).toThrow(/even, got 5×4/);
  });

  it('repeats pixels when upsampling', () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const y = upsample2(x);
    expect(Array.from(y.dataSync())).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    tf.dispose([x, y]);
  });
});
