import * as tf from '@tensorflow/tfjs-core';

/*
 * How the lecture model's reward head is fitted: the scale of its targets and the weight of its rows.
 * Measured on the pendulum preset (docs/RESULTS.md, "Pixels: pendulum", session 7), neither beat the
 * plain fit: 'sqrt' made the head fine near upright but the smaller reward terms shaped the dynamics
 * less and the swing-up failed; the focus weighting cost the code its accuracy. Kept as spec fields so
 * those runs can be repeated and other costs tried.
 */

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

/**
 * Extra weight on the rows whose reward is above a level (the near-optimal states): `weight` there, 1
 * elsewhere. Why: a quadratic cost's differences near its optimum (the pendulum's 0…−0.09 inside the
 * upright band) are smaller than a squared-error head's error, which the swing's large rewards set;
 * weighting those rows buys precision there without taking it from the rest (as a rescaled target does).
 */
export interface RewardFocus {
  /** Reward level, task units: rows with r > above are weighted. */
  above: number;
  /** Weight of those rows (≥ 1; the others keep 1). */
  weight: number;
}

/** ½·w(r)·(r − r̂)² summed over columns, mean over rows, with w from {@link RewardFocus} (1 without it). head, target: [B, K]. */
export function focusedRewardNll(head: tf.Tensor2D, target: tf.Tensor2D, reward: tf.Tensor2D, focus?: RewardFocus): tf.Scalar {
  const se = tf.square(tf.sub(head, target));
  const weighted = focus ? tf.mul(se, tf.add(1, tf.mul(focus.weight - 1, tf.cast(tf.greater(reward, focus.above), 'float32')))) : se;
  return tf.mean(tf.mul(0.5, tf.sum(weighted, 1)));
}
