import * as tf from '@tensorflow/tfjs-core';

/**
 * y = x·W + b with a hand-written gradient that transposes explicitly and then multiplies.
 * Why: tfjs's own MatMul gradient uses matMul's transposeA/transposeB flags, which the wasm backend
 * runs 10–15× slower than a plain matMul (measured in bench/profile.ts); an explicit transpose costs
 * far less than that. x: [B, in], W: [in, out], b: [out] → [B, out].
 */
export const dense = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, b, save] = args as unknown as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x, w), b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      return [tf.matMul(g, tf.transpose(ws)), tf.matMul(tf.transpose(xs), g), tf.sum(g, 0)];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;
