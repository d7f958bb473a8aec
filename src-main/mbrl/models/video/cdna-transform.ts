import * as tf from '@tensorflow/tfjs-core';

/**
 * Depthwise 'same' convolution with one filter per (input channel, transformation) and a
 * hand-written gradient: x: [1, S, S, N], f: [k, k, N, K] → [1, S, S, N·K] (channel n·K + m is
 * channel n convolved with filter m of channel n).
 *
 * Why: CDNA convolves every sample with its own kernels. Folding the batch into the channels turns
 * that into one depthwise convolution (XNNPACK on wasm). The wasm backend has no depthwise
 * gradients, so both are written as forward depthwise convolutions: dx correlates dy with the
 * spatially flipped filters and sums over the K transformations; df correlates the padded input
 * with dy used as an S×S filter ('valid' → k×k). Slicing out k² shifted copies instead is 30–60×
 * slower on wasm (tfjs 4.22, B 16, 64×64: df 6 ms this way, 350 ms from slices).
 */
const depthwiseSame = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, f, save] = args as unknown as [tf.Tensor4D, tf.Tensor4D, tf.GradSaveFunc];
  save([x, f]);
  return {
    value: tf.depthwiseConv2d(x, f, 1, 'same'),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, fs] = saved as [tf.Tensor4D, tf.Tensor4D];
      const [k, , N, K] = fs.shape;
      const S = xs.shape[1];
      const p = (k - 1) / 2;
      const flipped = tf.reshape(tf.reverse(fs, [0, 1]), [k, k, N * K, 1]) as tf.Tensor4D;
      const dx = tf.sum(tf.reshape(tf.depthwiseConv2d(dy as tf.Tensor4D, flipped, 1, 'same'), [1, S, xs.shape[2], N, K]), 4);
      const padded = tf.pad(xs, [[0, 0], [p, p], [p, p], [0, 0]]) as tf.Tensor4D;
      const df = tf.depthwiseConv2d(padded, tf.reshape(dy, [S, xs.shape[2], N, K]) as tf.Tensor4D, 1, 'valid');
      return [dx, tf.reshape(df, [k, k, N, K])];
    },
  };
}) as (x: tf.Tensor4D, f: tf.Tensor4D) => tf.Tensor4D;

/**
 * Images in the folded layout [1, S, S, B·C] (batch folded into channels) and the filter that gives
 * every channel of sample b that sample's K kernels: [k, k, B·C, K].
 */
function folded(images: tf.Tensor4D, kernels: tf.Tensor4D): { x: tf.Tensor4D; f: tf.Tensor4D } {
  const [B, H, W, C] = images.shape;
  const [, k, , K] = kernels.shape;
  // Channel layout b·C + c on both sides, so sample b's channels meet sample b's kernels.
  const x = tf.reshape(tf.transpose(images, [1, 2, 0, 3]), [1, H, W, B * C]) as tf.Tensor4D;
  const perSample = tf.reshape(tf.transpose(kernels, [1, 2, 0, 3]), [k, k, B, 1, K]);
  const f = tf.reshape(tf.mul(perSample, tf.ones([1, 1, 1, C, 1])), [k, k, B * C, K]) as tf.Tensor4D;
  return { x, f };
}

/**
 * Applies each sample's K normalised kernels to every channel of that sample's image (CDNA's
 * transformations, Finn et al. 2016): out[b, y, x, c, m] = Σ_ij images[b, y+i−p, x+j−p, c] · kernels[b, i, j, m],
 * zero outside the image. images: [B, S, S, C], kernels: [B, k, k, K] → [B, S, S, C, K].
 */
export function applyKernels(images: tf.Tensor4D, kernels: tf.Tensor4D): tf.Tensor5D {
  const [B, H, W, C] = images.shape;
  const K = kernels.shape[3];
  const { x, f } = folded(images, kernels);
  return tf.transpose(tf.reshape(depthwiseSame(x, f), [H, W, B, C, K]), [2, 0, 1, 3, 4]) as tf.Tensor5D;
}

/**
 * CDNA's compositing: next = m₀ · previous + Σ_m m_{m+1} · transformed_m.
 * previous: [B, S, S, C], transformed: [B, S, S, C, K], masks: [B, S, S, K+1] (a softmax over the
 * last axis; channel 0 keeps the previous pixel in place, the "static background") → [B, S, S, C].
 */
export function composite(previous: tf.Tensor4D, transformed: tf.Tensor5D, masks: tf.Tensor4D): tf.Tensor4D {
  const [B, H, W, K1] = masks.shape;
  const still = tf.mul(previous, tf.slice(masks, [0, 0, 0, 0], [B, H, W, 1]));
  const moving = tf.sum(tf.mul(transformed, tf.reshape(tf.slice(masks, [0, 0, 0, 1], [B, H, W, K1 - 1]), [B, H, W, 1, K1 - 1])), 4);
  return tf.add(still, moving) as tf.Tensor4D;
}

/**
 * One step of pixel motion, {@link composite} of {@link applyKernels}, computed in the folded layout
 * [S, S, B, C]: only the images, the masks and the result are transposed, never the K-times larger
 * transformed stack, and the background term is an identity kernel in front of the K kernels, so
 * the masks need no slicing (transposes and slices of large tensors dominated a step on wasm).
 * previous: [B, S, S, C], kernels: [B, k, k, K], masks: [B, S, S, K+1] → [B, S, S, C].
 */
export function transformImages(previous: tf.Tensor4D, kernels: tf.Tensor4D, masks: tf.Tensor4D): tf.Tensor4D {
  const [B, H, W, C] = previous.shape;
  const [, k, , K] = kernels.shape;
  const delta = new Float32Array(k * k);
  delta[(k * k - 1) / 2] = 1;
  const withStill = tf.concat([tf.tile(tf.tensor4d(delta, [1, k, k, 1]), [B, 1, 1, 1]), kernels], 3) as tf.Tensor4D;
  const { x, f } = folded(previous, withStill);
  const moved = tf.reshape(depthwiseSame(x, f), [H, W, B, C, K + 1]);
  const m = tf.reshape(tf.transpose(masks, [1, 2, 0, 3]), [H, W, B, 1, K + 1]);
  return tf.transpose(tf.sum(tf.mul(moved, m), 4), [2, 0, 1, 3]) as tf.Tensor4D;
}
