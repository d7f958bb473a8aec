import * as tf from '@tensorflow/tfjs-core';

/**
 * Stride-1, 'same'-padded 2-D convolution plus bias with a hand-written gradient:
 * y = conv2d(x, W) + b.  x: [B, H, W, Cin], W: [k, k, Cin, Cout] (k odd), b: [Cout] → [B, H, W, Cout].
 *
 * Why: the wasm backend has no Conv2DBackpropFilter kernel, so tfjs's own conv2d gradient cannot
 * train there, and its Conv2DBackpropInput is 3–20× slower than a forward conv2d. Both gradients are
 * therefore forward convolutions, which every backend runs fast (XNNPACK on wasm):
 * - dx = conv2d(dy, W flipped in space with in/out swapped), 'same';
 * - dW = conv2d over the batch: the padded input transposed to [Cin, H+k−1, W+k−1, B] convolved
 *   ('valid') with dy transposed to [H, W, B, Cout] gives [Cin, k, k, Cout].
 * Measured on wasm (tfjs 4.22, B 16, 32×32×12 → 16): dW 11 ms this way, 72 ms from an im2col of k²
 * slices; dx 6 ms this way, 15–30 ms with conv2dTranspose.
 * Downsampling uses {@link downsample2} after a stride-1 convolution instead of strides, so no
 * strided gradient is needed (the same multiply-adds as space-to-depth + conv, without the 6-D
 * transposes that took a third of a training step on wasm).
 */
export const conv2dSame = sameConvolution(true) as (x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D) => tf.Tensor4D;

/**
 * {@link conv2dSame} without a bias: y = conv2d(x, W), for all but the first part of a convolution
 * summed over parts (a zero bias would still cost a fill, an add and a bias-gradient sum a frame).
 */
export const conv2dSameNoBias = sameConvolution(false) as (x: tf.Tensor4D, w: tf.Tensor4D) => tf.Tensor4D;

/**
 * {@link conv2dSame} (or without a bias when b is null) whose backward pass takes W's flipped kernel
 * from `flipped` ({@link flippedKernel} of w, owned by the caller and alive until the gradient is
 * taken) instead of flipping W itself. Why: a network unrolled over T frames convolves with the same
 * W at every frame, and the flip (a Reverse and a Transpose, slow on wasm) cost ~9 % of a video
 * training step when done at every frame; see {@link ConvKernelCache}.
 */
export function conv2dSameFlipped(x: tf.Tensor4D, w: tf.Tensor4D, b: tf.Tensor1D | null, flipped: tf.Tensor4D): tf.Tensor4D {
  const conv = sameConvolution(b !== null, flipped);
  return (b ? conv(x, w, b) : conv(x, w)) as tf.Tensor4D;
}

/** The kernel the input gradient convolves with: W flipped in space, in/out swapped. [k, k, Cin, Cout] → [k, k, Cout, Cin]. */
export function flippedKernel(w: tf.Tensor4D): tf.Tensor4D {
  return tf.transpose(tf.reverse(w, [0, 1]), [0, 1, 3, 2]) as tf.Tensor4D;
}

function sameConvolution(withBias: boolean, flippedGiven?: tf.Tensor4D) {
  return tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
    const x = args[0] as tf.Tensor4D;
    const w = args[1] as tf.Tensor4D;
    const b = withBias ? (args[2] as tf.Tensor1D) : null;
    const save = args[args.length - 1] as tf.GradSaveFunc;
    if (w.shape[0] % 2 !== 1 || w.shape[0] !== w.shape[1]) throw new Error(`conv2dSame: kernel must be square and odd, got ${w.shape[0]}×${w.shape[1]}`);
    save([x, w]);
    const y = tf.conv2d(x, w, 1, 'same');
    return {
      value: b ? tf.add(y, b) : y,
      gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
        const [xs, ws] = saved as [tf.Tensor4D, tf.Tensor4D];
        const g = dy as tf.Tensor4D;
        const k = ws.shape[0];
        const p = (k - 1) / 2;
        const dx = tf.conv2d(g, flippedGiven ?? flippedKernel(ws), 1, 'same');
        const padded = tf.pad(xs, [[0, 0], [p, p], [p, p], [0, 0]]);
        const dwT = tf.conv2d(tf.transpose(padded, [3, 1, 2, 0]) as tf.Tensor4D, tf.transpose(g, [1, 2, 0, 3]) as tf.Tensor4D, 1, 'valid');
        const dw = tf.transpose(dwT, [1, 2, 0, 3]);
        return withBias ? [dx, dw, tf.sum(g, [0, 1, 2])] : [dx, dw];
      },
    };
  });
}

/**
 * Halves the resolution by 2×2 average pooling: [B, H, W, C] → [B, H/2, W/2, C] (H, W even).
 * Its gradient is dy repeated over each 2×2 block, a quarter each: tfjs's AvgPoolGrad took 0.7 ms a call
 * on wasm against 0.1 ms for the nearest-neighbour resize that computes the same.
 */
export const downsample2 = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor4D;
  const [, H, W] = x.shape;
  if (H % 2 !== 0 || W % 2 !== 0) throw new Error(`downsample2: height and width must be even, got ${H}×${W}`);
  return {
    value: tf.avgPool(x, 2, 2, 'valid'),
    gradFunc: (dy: tf.Tensor) => tf.mul(tf.image.resizeNearestNeighbor(dy as tf.Tensor4D, [H, W]), 0.25),
  };
}) as (x: tf.Tensor4D) => tf.Tensor4D;

/**
 * Doubles the resolution by repeating each pixel: [B, H, W, C] → [B, 2H, 2W, C].
 * Its gradient is the sum over each 2×2 block, 4 × a 2×2 average pool. Why not tfjs's
 * ResizeNearestNeighborGrad: 0.6 ms a call on wasm against 0.1 ms for the pool, and on the cpu backend
 * (the tests') it is wrong for batches of more than one (tfjs 4.22; checked against finite differences).
 */
export const upsample2 = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const x = args[0] as tf.Tensor4D;
  const [, H, W] = x.shape;
  return {
    value: tf.image.resizeNearestNeighbor(x, [2 * H, 2 * W]),
    gradFunc: (dy: tf.Tensor) => tf.mul(tf.avgPool(dy as tf.Tensor4D, 2, 2, 'valid'), 4),
  };
}) as (x: tf.Tensor4D) => tf.Tensor4D;
