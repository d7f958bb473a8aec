import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { applyKernels, composite, transformImages } from '../../../../src-main/mbrl/models/video/cdna-transform';
import { useCpuBackend } from '../../tf-setup';

beforeAll(useCpuBackend);

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

/** Reference: sample by sample, channel by channel, with tfjs's own depthwise conv (and its gradients on cpu). */
function reference(images: tf.Tensor4D, kernels: tf.Tensor4D): tf.Tensor5D {
  const [B, , , C] = images.shape;
  const perSample = Array.from({ length: B }, (_, b) => {
    const img = tf.slice(images, [b, 0, 0, 0], [1, -1, -1, -1]) as tf.Tensor4D;
    const ker = tf.reshape(tf.slice(kernels, [b, 0, 0, 0], [1, -1, -1, -1]), [kernels.shape[1], kernels.shape[2], 1, kernels.shape[3]]);
    const f = tf.tile(ker, [1, 1, C, 1]) as tf.Tensor4D;
    return tf.reshape(tf.depthwiseConv2d(img, f, 1, 'same'), [1, images.shape[1], images.shape[2], C, kernels.shape[3]]);
  });
  return tf.concat(perSample, 0) as tf.Tensor5D;
}

describe('applyKernels', () => {
  it('matches a per-sample depthwise convolution, values and gradients', () => {
    tf.tidy(() => {
      const images = tf.randomNormal([3, 6, 5, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
      const kernels = tf.randomNormal([3, 3, 3, 4], 0, 1, 'float32', 2) as tf.Tensor4D;
      const probe = tf.randomNormal([3, 6, 5, 2, 4], 0, 1, 'float32', 3);
      expect(maxDiff(applyKernels(images, kernels), reference(images, kernels))).toBeLessThan(1e-5);
      const g1 = tf.grads((i: tf.Tensor, k: tf.Tensor) => tf.sum(tf.mul(applyKernels(i as tf.Tensor4D, k as tf.Tensor4D), probe)))([images, kernels]);
      const g2 = tf.grads((i: tf.Tensor, k: tf.Tensor) => tf.sum(tf.mul(reference(i as tf.Tensor4D, k as tf.Tensor4D), probe)))([images, kernels]);
      g1.forEach((g, i) => expect(maxDiff(g, g2[i])).toBeLessThan(1e-4));
    });
  });

  it('a kernel with its one at (p − dy, p − dx) shifts the image by (dx, dy)', () => {
    tf.tidy(() => {
      const img = new Float32Array(8 * 8);
      img[3 * 8 + 4] = 1; // (x 4, y 3)
      const k = new Float32Array(25);
      k[(2 - 1) * 5 + (2 - 2)] = 1; // dy = 1, dx = 2
      const out = applyKernels(tf.tensor4d(img, [1, 8, 8, 1]), tf.tensor4d(k, [1, 5, 5, 1])).dataSync();
      expect(out[4 * 8 + 6]).toBe(1);
      expect(Array.from(out).reduce((a, b) => a + b, 0)).toBe(1);
    });
  });
});

describe('composite', () => {
  it('mixes the kept and the moved images by the masks', () => {
    tf.tidy(() => {
      const prev = tf.fill([1, 2, 2, 1], 2) as tf.Tensor4D;
      const moved = tf.fill([1, 2, 2, 1, 1], 4) as tf.Tensor5D;
      const masks = tf.concat([tf.fill([1, 2, 2, 1], 0.25), tf.fill([1, 2, 2, 1], 0.75)], 3) as tf.Tensor4D;
      expect(Array.from(composite(prev, moved, masks).dataSync())).toEqual([3.5, 3.5, 3.5, 3.5]);
    });
  });
});

describe('transformImages', () => {
  it('equals composite(applyKernels) in value and gradients (it only changes the layout)', () => {
    tf.tidy(() => {
      const images = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 5) as tf.Tensor4D;
      const kernels = tf.randomNormal([2, 3, 3, 2], 0, 1, 'float32', 6) as tf.Tensor4D;
      const masks = tf.softmax(tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 7)) as tf.Tensor4D;
      const probe = tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 8);
      const fused = (i: tf.Tensor, k: tf.Tensor, m: tf.Tensor) => tf.sum(tf.mul(transformImages(i as tf.Tensor4D, k as tf.Tensor4D, m as tf.Tensor4D), probe));
      const plain = (i: tf.Tensor, k: tf.Tensor, m: tf.Tensor) => tf.sum(tf.mul(composite(i as tf.Tensor4D, applyKernels(i as tf.Tensor4D, k as tf.Tensor4D), m as tf.Tensor4D), probe));
      expect(maxDiff(fused(images, kernels, masks), plain(images, kernels, masks))).toBeLessThan(1e-4);
      const g1 = tf.grads(fused)([images, kernels, masks]);
      const g2 = tf.grads(plain)([images, kernels, masks]);
      g1.forEach((g, i) => expect(maxDiff(g, g2[i])).toBeLessThan(1e-4));
    });
  });
});
