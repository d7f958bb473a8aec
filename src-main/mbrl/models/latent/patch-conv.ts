import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util';
import { dense } from '../dense';

/**
 * Convolutions whose kernel equals their stride ("patch convolutions"), written as reshape/transpose
 * plus one weight-shared dense layer over every patch, so forward and backward are plain 2-D matMuls.
 *
 * Why not tf.conv2d: on the wasm backend (tfjs 4.22) the Conv2DBackpropFilter kernel is missing,
 * Conv3DBackpropFilterV2 returns wrong values for strides > 1, and Conv2DBackpropInput is a naive loop
 * 10× slower than the forward conv. A conv2d with a custom gradient (conv2dTranspose for dx, im2col +
 * matMul for dW) measured 5.5 s per training step of a 3-layer 64×64×3 encoder at batch 32; the same
 * encoder of patch convolutions 0.12 s (see /tmp notes in the latent architecture section).
 */

/** x: [B, H, W, C] → [B, H/p, W/p, p·p·C] (each p×p patch's pixels, row-major, channels last). */
export function spaceToDepth(x: tf.Tensor4D, p: number): tf.Tensor4D {
  const [B, H, W, C] = x.shape;
  if (H % p || W % p) throw new Error(`patch conv: ${H}×${W} is not divisible by patch ${p}`);
  const six = tf.reshape(x, [B, H / p, p, W / p, p, C]);
  return tf.reshape(tf.transpose(six, [0, 1, 3, 2, 4, 5]), [B, H / p, W / p, p * p * C]) as tf.Tensor4D;
}

/** The inverse of {@link spaceToDepth}: x: [B, h, w, p·p·C] → [B, h·p, w·p, C]. */
export function depthToSpace(x: tf.Tensor4D, p: number): tf.Tensor4D {
  const [B, h, w, D] = x.shape;
  const C = D / (p * p);
  if (!Number.isInteger(C)) throw new Error(`patch conv: depth ${D} is not divisible by ${p}×${p}`);
  const six = tf.reshape(x, [B, h, w, p, p, C]);
  return tf.reshape(tf.transpose(six, [0, 1, 3, 2, 4, 5]), [B, h * p, w * p, C]) as tf.Tensor4D;
}

/** A kernel [in, out] and bias [out] as variables, He-normal from our seeded Rng (reproducible on every backend). */
export interface Linear {
  kernel: tf.Variable<tf.Rank.R2>;
  bias: tf.Variable<tf.Rank.R1>;
}

/** A new {@link Linear}; `gain` scales the He-normal standard deviation (small for output heads). */
export function createLinear(inDim: number, outDim: number, rng: Rng, gain = 1): Linear {
  const values = new Float32Array(inDim * outDim);
  const scale = gain * Math.sqrt(2 / inDim);
  for (let i = 0; i < values.length; i++) values[i] = rng.normal() * scale;
  return {
    kernel: tf.tidy(() => tf.variable(tf.tensor2d(values, [inDim, outDim]))),
    bias: tf.tidy(() => tf.variable(tf.zeros([outDim]))),
  };
}

/** x: [N, in] → [N, out]; the custom-gradient dense while training (faster backward on wasm). */
export function applyLinear(layer: Linear, x: tf.Tensor2D, training: boolean): tf.Tensor2D {
  return training ? dense(x, layer.kernel, layer.bias) : (tf.add(tf.matMul(x, layer.kernel), layer.bias) as tf.Tensor2D);
}

/** Downsampling patch conv: x: [B, H, W, C] → [B, H/p, W/p, out] (kernel p×p, stride p, no padding). */
export function patchConv(x: tf.Tensor4D, layer: Linear, p: number, training: boolean): tf.Tensor4D {
  const y = spaceToDepth(x, p);
  const [B, h, w, D] = y.shape;
  const out = applyLinear(layer, tf.reshape(y, [B * h * w, D]) as tf.Tensor2D, training);
  return tf.reshape(out, [B, h, w, out.shape[1]]) as tf.Tensor4D;
}

/**
 * Upsampling patch conv (a transposed conv with kernel = stride = p): x: [B, h, w, C] → [B, h·p, w·p, out];
 * `layer` maps C → p·p·out.
 */
export function patchDeconv(x: tf.Tensor4D, layer: Linear, p: number, training: boolean): tf.Tensor4D {
  const [B, h, w, C] = x.shape;
  const y = applyLinear(layer, tf.reshape(x, [B * h * w, C]) as tf.Tensor2D, training);
  return depthToSpace(tf.reshape(y, [B, h, w, y.shape[1]]) as tf.Tensor4D, p);
}
