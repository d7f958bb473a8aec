import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { conv2dSame, downsample2, upsample2 } from '../../../../src-main/mbrl/models/video/conv2d';
import { useCpuBackend } from '../../tf-setup';

beforeAll(useCpuBackend);

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

describe('conv2dSame', () => {
  it.each([1, 3, 5])('matches tfjs conv2d and its gradients (kernel %i)', (k) => {
    tf.tidy(() => {
      const x = tf.randomNormal([2, 7, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
      const w = tf.randomNormal([k, k, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
      const b = tf.randomNormal([4], 0, 1, 'float32', 3) as tf.Tensor1D;
      const probe = tf.randomNormal([2, 7, 6, 4], 0, 1, 'float32', 4);
      const ours = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(conv2dSame(x as tf.Tensor4D, w as tf.Tensor4D, b as tf.Tensor1D), probe));
      const theirs = (x: tf.Tensor, w: tf.Tensor, b: tf.Tensor) => tf.sum(tf.mul(tf.add(tf.conv2d(x as tf.Tensor4D, w as tf.Tensor4D, 1, 'same'), b), probe));
      expect(maxDiff(conv2dSame(x, w, b), tf.add(tf.conv2d(x, w, 1, 'same'), b))).toBeLessThan(1e-5);
      const g1 = tf.grads(ours)([x, w, b]);
      const g2 = tf.grads(theirs)([x, w, b]);
      g1.forEach((g, i) => expect(maxDiff(g, g2[i])).toBeLessThan(1e-3));
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

  it('repeats pixels when upsampling', () => {
    const x = tf.tensor4d([1, 2, 3, 4], [1, 2, 2, 1]);
    const y = upsample2(x);
    expect(Array.from(y.dataSync())).toEqual([1, 1, 2, 2, 1, 1, 2, 2, 3, 3, 4, 4, 3, 3, 4, 4]);
    tf.dispose([x, y]);
  });
});
