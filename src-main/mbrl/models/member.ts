import * as tf from '@tensorflow/tfjs-core';
import type { LogVarBounds } from './gaussian-head';
import { gaussianNll } from './gaussian-head';
import type { Mlp } from './mlp';

/**
 * One network of a dynamics model: deterministic (outputs the normalized target) or probabilistic
 * (outputs mean and raw log-variance side by side, [B, 2D], the log-variance softly bounded).
 */
export interface Member {
  mlp: Mlp;
  /** Present for probabilistic members. */
  bounds: LogVarBounds | null;
}

/** Output width D of a member (half the MLP's width when probabilistic). */
export function targetDim(member: Member): number {
  return member.bounds ? member.mlp.config.outputDim / 2 : member.mlp.config.outputDim;
}

/** x: [B, in] (normalized) → mean [B, D] and, when probabilistic, bounded logVar [B, D] (normalized units). */
export function memberForward(member: Member, x: tf.Tensor2D, training = false): { mean: tf.Tensor2D; logVar: tf.Tensor2D | null } {
  const out = member.mlp.forward(x, training);
  if (!member.bounds) return { mean: out, logVar: null };
  const D = targetDim(member);
  return {
    mean: tf.slice(out, [0, 0], [-1, D]) as tf.Tensor2D,
    logVar: member.bounds.apply(tf.slice(out, [0, D], [-1, D]) as tf.Tensor2D),
  };
}

/** Penalty weight on the log-variance bounds' spread (PETS uses 0.01). */
export const BOUNDS_PENALTY = 0.01;

/** Training loss on a batch: MSE, or Gaussian NLL plus the bounds penalty. A scalar. */
export function memberLoss(member: Member, x: tf.Tensor2D, y: tf.Tensor2D, weightDecay: number): tf.Scalar {
  const { mean, logVar } = memberForward(member, x, true);
  let loss: tf.Scalar = logVar
    ? (tf.add(tf.mean(gaussianNll(mean, logVar, y)), tf.mul(BOUNDS_PENALTY, member.bounds!.spread())) as tf.Scalar)
    : (tf.mean(tf.square(tf.sub(mean, y))) as tf.Scalar);
  if (weightDecay > 0) loss = tf.add(loss, tf.mul(weightDecay, member.mlp.kernelSquaredNorm())) as tf.Scalar;
  return loss;
}

/** All trainable variables of a member. */
export function memberVariables(member: Member): tf.Variable[] {
  return [...member.mlp.variables, ...(member.bounds?.variables ?? [])];
}
