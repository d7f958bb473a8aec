import * as tf from '@tensorflow/tfjs-core';
import { pixelCount, type ImageShape } from './image-codec';

/**
 * Transitions with image observations (o_t, a_t, r_t, o_{t+1}), the training data of latent models.
 * Frames are 8-bit (as rendered), HWC row-major; they become floats in [0, 1] a minibatch at a time.
 */
export interface ImageTransitions {
  size: number;
  imageShape: ImageShape;
  actDim: number;
  /** o_t: [size, H·W·C] bytes. */
  obs: Uint8Array;
  /** a_t: [size, actDim]. */
  act: Float32Array;
  /** r_t: [size]. */
  reward: Float32Array;
  /** o_{t+1}: [size, H·W·C] bytes. */
  nextObs: Uint8Array;
}

/** Throws a one-line error naming the field whose length does not match. */
export function checkImageTransitions(d: ImageTransitions): void {
  const P = pixelCount(d.imageShape);
  const expect = (name: string, got: number, want: number) => {
    if (got !== want) throw new Error(`image transitions: ${name} has ${got} values, expected ${want} (${d.size} rows)`);
  };
  if (!Number.isInteger(d.size) || d.size < 1) throw new Error(`image transitions: size must be a positive integer, got ${d.size}`);
  expect('obs', d.obs.length, d.size * P);
  expect('nextObs', d.nextObs.length, d.size * P);
  expect('act', d.act.length, d.size * d.actDim);
  expect('reward', d.reward.length, d.size);
}

/** Rows `idx` of byte images [n, P] as a float tensor [k, P] in [0, 1]. */
export function imageRows(images: Uint8Array, pixels: number, idx: ArrayLike<number>): tf.Tensor2D {
  const out = new Float32Array(idx.length * pixels);
  for (let i = 0; i < idx.length; i++) {
    const src = idx[i] * pixels;
    for (let j = 0; j < pixels; j++) out[i * pixels + j] = images[src + j] / 255;
  }
  return tf.tensor2d(out, [idx.length, pixels]);
}

/** Byte images [n, P] as a float tensor [n, P] in [0, 1]. */
export function imagesToTensor(images: Uint8Array, pixels: number): tf.Tensor2D {
  const n = images.length / pixels;
  const out = new Float32Array(images.length);
  for (let i = 0; i < images.length; i++) out[i] = images[i] / 255;
  return tf.tensor2d(out, [n, pixels]);
}

/** Images in [0, 1] (a float tensor's data) → bytes, for streaming frames. */
export function toBytes(values: ArrayLike<number>): Uint8Array {
  const out = new Uint8Array(values.length);
  for (let i = 0; i < values.length; i++) out[i] = Math.max(0, Math.min(255, Math.round(values[i] * 255)));
  return out;
}
