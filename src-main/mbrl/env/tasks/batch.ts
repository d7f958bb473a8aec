/**
 * Small building blocks for the batched reward and termination functions of the task files. All use
 * tfjs-core's functional ops only (tf.sin(x), never x.sin()): chained ops are not registered in this
 * library, which imports no backend and no op side-effect modules.
 */
import * as tf from '@tensorflow/tfjs-core';

/** Column j of x [B, D] as [B]. */
export function column(x: tf.Tensor2D, j: number): tf.Tensor1D {
  return tf.reshape(tf.slice(x, [0, j], [-1, 1]), [-1]);
}

/** Row-wise squared Euclidean norm: x [B, D] → [B]. */
export function sumSquares(x: tf.Tensor2D): tf.Tensor1D {
  return tf.sum(tf.square(x), 1);
}

/**
 * Row-wise Euclidean distance between the 2-D points at columns (i, i + 1) and (j, j + 1) of x [B, D]
 * → [B]. Written as sqrt(dx² + dy²) to match the per-step Math.hypot up to float32 rounding.
 */
export function planarDistance(x: tf.Tensor2D, i: number, j: number): tf.Tensor1D {
  const dx = tf.sub(column(x, i), column(x, j));
  const dy = tf.sub(column(x, i + 1), column(x, j + 1));
  return tf.sqrt(tf.add(tf.square(dx), tf.square(dy))) as tf.Tensor1D;
}

/** Row-wise Euclidean norm of the 2-D vector at columns (i, i + 1) of x [B, D] → [B]. */
export function planarNorm(x: tf.Tensor2D, i: number): tf.Tensor1D {
  return tf.sqrt(tf.add(tf.square(column(x, i)), tf.square(column(x, i + 1)))) as tf.Tensor1D;
}

/** Termination for tasks that never terminate: [B] zeros for nextObs [B, D]. */
export function neverTerminatedBatch(nextObs: tf.Tensor2D): tf.Tensor1D {
  return tf.zeros([nextObs.shape[0]]);
}

/** Squared Euclidean norm of a short array (per-step counterpart of {@link sumSquares}). */
export function sumSquaresOf(x: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < x.length; i++) s += x[i] * x[i];
  return s;
}
