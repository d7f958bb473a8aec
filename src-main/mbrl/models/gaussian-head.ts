import * as tf from '@tensorflow/tfjs-core';

/**
 * Learned soft bounds on a predicted log-variance (PETS, Chua et al. 2018, appendix A.1):
 *   logVar = max − softplus(max − raw);  logVar = min + softplus(logVar − min).
 * The bounds are trainable per output dimension and kept honest by a small penalty
 * `boundsPenalty · (Σ max − Σ min)`, so they stay close to the data instead of drifting apart.
 */
export class LogVarBounds {
  private constructor(readonly max: tf.Variable<tf.Rank.R1>, readonly min: tf.Variable<tf.Rank.R1>) {}

  /** PETS's initial bounds: max 0.5, min −10 (in normalized target units). */
  static create(dim: number, max = 0.5, min = -10): LogVarBounds {
    return new LogVarBounds(tf.tidy(() => tf.variable(tf.fill([dim], max) as tf.Tensor1D)), tf.tidy(() => tf.variable(tf.fill([dim], min) as tf.Tensor1D)));
  }

  static fromArrays(max: Float32Array, min: Float32Array): LogVarBounds {
    return new LogVarBounds(tf.tidy(() => tf.variable(tf.tensor1d(max))), tf.tidy(() => tf.variable(tf.tensor1d(min))));
  }

  get variables(): tf.Variable[] {
    return [this.max, this.min];
  }

  /** raw: [B, D] → bounded log-variance [B, D]. */
  apply(raw: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const upper = tf.sub(this.max, tf.softplus(tf.sub(this.max, raw)));
      return tf.add(this.min, tf.softplus(tf.sub(upper, this.min))) as tf.Tensor2D;
    });
  }

  /** Σ max − Σ min: the penalty that keeps the bounds tight. */
  spread(): tf.Scalar {
    return tf.tidy(() => tf.sub(tf.sum(this.max), tf.sum(this.min)) as tf.Scalar);
  }

  dispose(): void {
    this.max.dispose();
    this.min.dispose();
  }
}

/**
 * Gaussian negative log-likelihood per sample, up to the constant ½·log 2π per dimension, averaged
 * over dimensions: mean, logVar, target [B, D] → [B]. (The ½ factor is dropped as in PETS; it only
 * scales the loss.)
 */
export function gaussianNll(mean: tf.Tensor2D, logVar: tf.Tensor2D, target: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.mean(tf.add(tf.mul(tf.square(tf.sub(mean, target)), tf.exp(tf.neg(logVar))), logVar), 1) as tf.Tensor1D);
}
