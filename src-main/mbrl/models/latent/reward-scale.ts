import * as tf from '@tensorflow/tfjs-core';

/**
 * The scale a reward head is fitted on. 'linear': r itself. 'sqrt': sign(r)·√|r|, inverted on the way
 * out (r̂ = sign(t̂)·t̂²), so the head still reports rewards in the task's units.
 *
 * Why 'sqrt': a quadratic cost such as the pendulum's −(θ² + …) spans 0…−16 over the swing but only
 * 0…−0.09 inside the 0.3 rad upright band. A squared-error head spends its accuracy on the large
 * values and stays ±0.1 off near upright, more than the differences it must rank there, and latent MPC
 * then holds the pole steadily 0.2–0.35 rad off. On the square-root scale the band spans 0…−0.3 (≈ −|θ|),
 * so the same absolute error ranks states near the top correctly.
 */
export type RewardScale = 'linear' | 'sqrt';

/** Targets on the head's scale: rewards [B, K] → [B, K] (call inside tidy). */
export function toRewardScale(reward: tf.Tensor2D, scale: RewardScale): tf.Tensor2D {
  if (scale === 'linear') return reward;
  return tf.mul(tf.sign(reward), tf.sqrt(tf.abs(reward))) as tf.Tensor2D;
}

/** Rewards in the task's units from the head's outputs: [B] → [B] (call inside tidy). */
export function fromRewardScale(head: tf.Tensor1D, scale: RewardScale): tf.Tensor1D {
  if (scale === 'linear') return head;
  return tf.mul(tf.sign(head), tf.square(head)) as tf.Tensor1D;
}
