import * as tf from '@tensorflow/tfjs-core';
import type { Pixel } from '../models/video';

/**
 * Distance of every pixel to each goal: [S, S, D] row-major (y, x, d), in pixels (Euclidean).
 * Goal d belongs to designated pixel d.
 */
export function goalDistanceMaps(goals: readonly Pixel[], size: number): Float32Array {
  const D = goals.length;
  const out = new Float32Array(size * size * D);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      goals.forEach((g, d) => {
        out[(y * size + x) * D + d] = Math.hypot(x - g.x, y - g.y);
      });
    }
  }
  return out;
}

/**
 * Visual foresight's cost (Finn & Levine 2017): the expected distance of each designated pixel to
 * its goal, Σ_t Σ_d Σ_x P_t,d(x) · ‖x − goal_d‖, summed over the predicted steps and the designated
 * pixels. maps: [N, T, S, S, D] (each map sums to 1), distances: [S, S, D] from {@link goalDistanceMaps}
 * → [N], in pixels.
 */
export function expectedDistanceCost(maps: tf.Tensor5D, distances: tf.Tensor3D): tf.Tensor1D {
  return tf.sum(tf.mul(maps, distances), [1, 2, 3, 4]) as tf.Tensor1D;
}

/**
 * The goal-image baseline: pixel-wise squared distance of each predicted frame to the goal image,
 * averaged over pixels and channels and summed over steps. frames: [N, T, S, S, C], goal: [S, S, C] → [N].
 */
export function goalImageCost(frames: tf.Tensor5D, goal: tf.Tensor3D): tf.Tensor1D {
  return tf.sum(tf.mean(tf.squaredDifference(frames, goal), [2, 3, 4]), 1) as tf.Tensor1D;
}
