import * as tf from '@tensorflow/tfjs-core';

/**
 * y = x·W + b with a hand-written gradient that transposes explicitly and then multiplies.
 * Why: tfjs's own MatMul gradient uses matMul's transposeA/transposeB flags, which the wasm backend
 * runs 10–15× slower than a plain matMul (measured in bench/profile.ts); an explicit transpose costs
 * far less than that. The bias gradient is a ones row times dy ([1, B]·[B, out]), ~20× faster on wasm
 * than tfjs's sum over axis 0. (Ensemble members train with member-gradients.ts, which needs no tape
 * at all; this layer serves code that uses tfjs's autodiff.) x: [B, in], W: [in, out], b: [out] → [B, out].
 */
export const dense = tf.customGrad((...args: (tf.Tensor | tf.GradSaveFunc)[]) => {
  const [x, w, b, save] = args as unknown as [tf.Tensor2D, tf.Tensor2D, tf.Tensor1D, tf.GradSaveFunc];
  save([x, w]);
  return {
    value: tf.add(tf.matMul(x, w), b),
    gradFunc: (dy: tf.Tensor, saved: tf.Tensor[]) => {
      const [xs, ws] = saved as [tf.Tensor2D, tf.Tensor2D];
      const g = dy as tf.Tensor2D;
      const db = tf.reshape(tf.matMul(tf.ones([1, g.shape[0]]), g), [g.shape[1]]);
      return [tf.matMul(g, tf.transpose(ws)), tf.matMul(tf.transpose(xs), g), db];
    },
  };
}) as (x: tf.Tensor2D, w: tf.Tensor2D, b: tf.Tensor1D) => tf.Tensor2D;
