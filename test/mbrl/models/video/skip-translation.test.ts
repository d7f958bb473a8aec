import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { transformImages } from '../../../../src-main/mbrl/models/video/cdna-transform';
import { composeStep, translateImages } from '../../../../src-main/mbrl/models/video/skip-translation';
import { useCpuBackend } from '../../tf-setup';

beforeAll(useCpuBackend);

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]);

/** An S×S one-channel image with a 1 at (x, y). */
function dot(size: number, x: number, y: number): Float32Array {
  const v = new Float32Array(size * size);
  v[y * size + x] = 1;
  return v;
}

describe('translateImages', () => {
  it('moves content by whole (dx, dy), per sample and per shift, zero where it leaves the image', () => {
    tf.tidy(() => {
      const images = tf.tensor4d([...dot(8, 2, 3), ...dot(8, 5, 5)], [2, 8, 8, 1]);
      const shifts = tf.tensor3d([[[3, 1], [-2, 0]], [[0, -4], [4, 0]]]); // [B 2, J 2, (dx, dy)]
      const out = translateImages(images, shifts);
      expect(out.shape).toEqual([2, 2, 8, 8, 1]);
      const at = (b: number, j: number) => tf.slice(out, [b, j, 0, 0, 0], [1, 1, 8, 8, 1]).dataSync();
      expect(Array.from(at(0, 0))).toEqual(Array.from(dot(8, 5, 4)));
      expect(Array.from(at(0, 1))).toEqual(Array.from(dot(8, 0, 3)));
      expect(Array.from(at(1, 0))).toEqual(Array.from(dot(8, 5, 1)));
      expect(Array.from(at(1, 1)).every((v) => v === 0)).toBe(true); // x 9 is off the 8-px image
    });
  });

  it('translates one shared image for a whole batch exactly as the same image repeated, values and gradients', () => {
    tf.tidy(() => {
      const image = tf.randomUniform([1, 7, 7, 3], 0, 1, 'float32', 6) as tf.Tensor4D;
      const shifts = tf.tensor3d([[[0.4, -2.3], [5, 1.5]], [[-1.7, 0.2], [0, 0]], [[2.6, 3.1], [-0.5, -6]]]);
      const probe = tf.randomNormal([3, 2, 7, 7, 3], 0, 1, 'float32', 7);
      const repeated = tf.tile(image, [3, 1, 1, 1]) as tf.Tensor4D;
      expect(maxDiff(translateImages(image, shifts), translateImages(repeated, shifts))).toBeLessThan(1e-6);
      const loss = (img: tf.Tensor4D) => (s: tf.Tensor) => tf.sum(tf.mul(translateImages(img, s as tf.Tensor3D), probe));
      expect(maxDiff(tf.grad(loss(image))(shifts), tf.grad(loss(repeated))(shifts))).toBeLessThan(1e-4);
      expect(() => translateImages(tf.zeros([2, 7, 7, 3]) as tf.Tensor4D, shifts)).toThrow(/2 images for 3 shifts/);
    });
  });

  it('splits a half-pixel shift between the two neighbours, keeping the mass and the mean at +d', () => {
    tf.tidy(() => {
      const out = tf.reshape(translateImages(tf.tensor4d(dot(8, 3, 3), [1, 8, 8, 1]), tf.tensor3d([[[1.5, -0.25]]])), [8, 8]).arraySync() as number[][];
      let mass = 0;
      let mx = 0;
      let my = 0;
      out.forEach((row, y) => row.forEach((v, x) => ((mass += v), (mx += v * x), (my += v * y))));
      expect(mass).toBeCloseTo(1, 5);
      expect(mx / mass).toBeCloseTo(4.5, 5);
      expect(my / mass).toBeCloseTo(2.75, 5);
      expect(out[3][4]).toBeCloseTo(0.5 * 0.75, 5);
    });
  });

  it('has the gradient of its bilinear weights in the shift (finite differences)', () => {
    tf.tidy(() => {
      const images = tf.randomUniform([2, 6, 6, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
      const probe = tf.randomNormal([2, 1, 6, 6, 3], 0, 1, 'float32', 5);
      const loss = (s: tf.Tensor3D) => tf.sum(tf.mul(translateImages(images, s), probe));
      const shifts = tf.tensor3d([[[0.3, -0.6]], [[1.2, 0.4]]]);
      const g = tf.grad((s: tf.Tensor) => loss(s as tf.Tensor3D))(shifts).dataSync();
      const h = 1e-2;
      for (let i = 0; i < 4; i++) {
        const bump = (e: number) => {
          const v = shifts.dataSync().slice();
          v[i] += e;
          return loss(tf.tensor3d(v, [2, 1, 2])).dataSync()[0];
        };
        expect(g[i]).toBeCloseTo((bump(h) - bump(-h)) / (2 * h), 2);
      }
    });
  });
});

describe('composeStep', () => {
  it('without skips is CDNA’s transform of the previous frame', () => {
    tf.tidy(() => {
      const previous = tf.randomUniform([2, 6, 6, 3], 0, 1, 'float32', 1) as tf.Tensor4D;
      const kernels = tf.softmax(tf.randomNormal([2, 3, 3, 2], 0, 1, 'float32', 2), 3) as tf.Tensor4D;
      const masks = tf.softmax(tf.randomNormal([2, 6, 6, 3], 0, 1, 'float32', 3)) as tf.Tensor4D;
      expect(maxDiff(composeStep(previous, { kernels, masks, skipMasks: null }, null), transformImages(previous, kernels, masks))).toBe(0);
    });
  });

  it('takes the skip channels’ pixels from the first frame moved by their offsets', () => {
    tf.tidy(() => {
      // The previous frame is blank, the first frame has a dot at (2, 2); all mask weight on skip 1
      // (offset (3, 1)): the next frame is the dot at (5, 3), whatever the kernels do.
      const previous = tf.zeros([1, 8, 8, 1]) as tf.Tensor4D;
      const first = tf.tensor4d(dot(8, 2, 2), [1, 8, 8, 1]);
      const kernels = tf.fill([1, 3, 3, 1], 1 / 9) as tf.Tensor4D;
      const masks = tf.zeros([1, 8, 8, 2]) as tf.Tensor4D; // keep, kernel
      const skipMasks = tf.tensor4d(Array.from({ length: 64 * 2 }, (_, i) => i % 2), [1, 8, 8, 2]); // skip 0, skip 1
      const next = composeStep(previous, { kernels, masks, skipMasks }, { first, offsets: tf.tensor3d([[[-1, 0], [3, 1]]]) });
      expect(Array.from(next.dataSync())).toEqual(Array.from(dot(8, 5, 3)));
    });
  });
});
