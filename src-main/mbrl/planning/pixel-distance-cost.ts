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
 * → [N], in pixels. `terminalWeight` w counts the last step w times (1: the papers' plain sum), see
 * {@link sumOverSteps}.
 */
export function expectedDistanceCost(maps: tf.Tensor5D, distances: tf.Tensor3D, terminalWeight = 1): tf.Tensor1D {
  return tf.tidy(() => sumOverSteps(tf.sum(tf.mul(maps, distances), [2, 3, 4]) as tf.Tensor2D, terminalWeight));
}

/**
 * The goal-image baseline: pixel-wise squared distance of each predicted frame to the goal image,
 * averaged over pixels and channels and summed over steps (the last counted `terminalWeight` times).
 * frames: [N, T, S, S, C], goal: [S, S, C] → [N].
 */
export function goalImageCost(frames: tf.Tensor5D, goal: tf.Tensor3D, terminalWeight = 1): tf.Tensor1D {
  return tf.tidy(() => sumOverSteps(tf.mean(tf.squaredDifference(frames, goal), [2, 3, 4]) as tf.Tensor2D, terminalWeight));
}

/**
 * Σ_t c_t + (w − 1)·c_T over per-step costs [N, T] → [N]. Why a terminal weight: in the plain sum a
 * plan that must first travel to the object (going around it) earns only its last few steps, which a
 * model's small errors on the travel steps can outweigh; w > 1 credits where the object ends up. The
 * latent planner's goal cost has the same knob (latent-objectives.ts).
 */
export function sumOverSteps(perStep: tf.Tensor2D, terminalWeight: number): tf.Tensor1D {
  if (!(terminalWeight >= 1)) throw new Error(`visual foresight: terminalWeight must be ≥ 1, got ${terminalWeight}`);
  const total = tf.sum(perStep, 1) as tf.Tensor1D;
  if (terminalWeight === 1) return total;
  const [N, T] = perStep.shape;
  return tf.add(total, tf.mul(terminalWeight - 1, tf.reshape(tf.slice(perStep, [0, T - 1], [N, 1]), [N]))) as tf.Tensor1D;
}

/**
 * A control cost: `weight` · Σ_t ‖a_t‖² per plan, actions [N, H, A] → [N] (the cost's units per
 * squared action unit and step). Why offered: once no plan moves the object, every plan that leaves it
 * still scores the same whatever the pusher does, so the planner picks among them at random and the
 * pusher can wander off to where no short corrective push is in reach; a small weight makes the
 * cheapest such plan the one that keeps still. Measured on the pushing task (session 20, weight 0.1):
 * no better (4/20 against 5/20), so it is off unless a spec sets it.
 */
export function actionEffortCost(actions: tf.Tensor3D, weight: number): tf.Tensor1D {
  return tf.tidy(() => tf.mul(weight, tf.sum(tf.square(actions), [1, 2])) as tf.Tensor1D);
}
