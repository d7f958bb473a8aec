import * as tf from '@tensorflow/tfjs-core';

/**
 * Log-likelihood terms of the latent models, each the per-example sum over dimensions averaged over
 * the batch (so the terms are real negative log-likelihoods in nats and their weights mean what they say).
 */

/** −log Bernoulli(target | sigmoid(logits)) summed over pixels, mean over rows. logits, target: [B, P]. */
export function bernoulliNll(logits: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar {
  // Stable form: max(l, 0) − l·t + log(1 + e^{−|l|}).
  const loss = tf.add(tf.sub(tf.relu(logits), tf.mul(logits, target)), tf.log1p(tf.exp(tf.neg(tf.abs(logits)))));
  return tf.mean(tf.sum(loss, 1));
}

/** −log N(target | mean, I) up to its constant, i.e. ½‖target − mean‖² per row, mean over rows. [B, D]. */
export function unitGaussianNll(mean: tf.Tensor2D, target: tf.Tensor2D): tf.Scalar {
  return tf.mean(tf.mul(0.5, tf.sum(tf.square(tf.sub(mean, target)), 1)));
}

/** KL(N(μ, diag e^{logVar}) ‖ N(0, I)) per row, mean over rows. [B, D]. */
export function klToStandardNormal(mu: tf.Tensor2D, logVar: tf.Tensor2D): tf.Scalar {
  const kl = tf.mul(0.5, tf.sum(tf.sub(tf.add(tf.exp(logVar), tf.square(mu)), tf.add(1, logVar)), 1));
  return tf.mean(kl);
}

/** KL between diagonal Gaussians KL(N(μ₁, e^{lv₁}) ‖ N(μ₂, e^{lv₂})) per row, mean over rows. [B, D]. */
export function klDiagonal(mu1: tf.Tensor2D, logVar1: tf.Tensor2D, mu2: tf.Tensor2D, logVar2: tf.Tensor2D): tf.Scalar {
  const ratio = tf.exp(tf.sub(logVar1, logVar2));
  const maha = tf.div(tf.square(tf.sub(mu2, mu1)), tf.exp(logVar2));
  return tf.mean(tf.mul(0.5, tf.sum(tf.sub(tf.add(ratio, maha), tf.add(1, tf.sub(logVar1, logVar2))), 1)));
}

/** z = μ + e^{logVar/2} · ε with ε ~ N(0, I) drawn with `seed` (the reparameterisation trick). */
export function reparameterize(mu: tf.Tensor2D, logVar: tf.Tensor2D, seed: number): tf.Tensor2D {
  const eps = tf.randomNormal(mu.shape, 0, 1, 'float32', seed);
  return tf.add(mu, tf.mul(tf.exp(tf.mul(0.5, logVar)), eps));
}

/** Splits [B, 2D] into mean and log-variance, the log-variance softly clamped to [−8, 4] for stability. */
export function splitGaussian(out: tf.Tensor2D): { mu: tf.Tensor2D; logVar: tf.Tensor2D } {
  const D = out.shape[1] / 2;
  const mu = tf.slice(out, [0, 0], [-1, D]) as tf.Tensor2D;
  const raw = tf.slice(out, [0, D], [-1, D]) as tf.Tensor2D;
  // 6·tanh((x+2)/6) − 2 ∈ (−8, 4), ≈ identity near the −2 default; keeps e^{logVar} finite.
  const logVar = tf.sub(tf.mul(6, tf.tanh(tf.div(tf.add(raw, 2), 6))), 2) as tf.Tensor2D;
  return { mu, logVar };
}

/**
 * −log p(image | decoder logits) summed over pixels, mean over rows: Bernoulli (pixelStd undefined), or
 * a Gaussian N(sigmoid(logits), pixelStd²) up to its constant. Why both: Bernoulli suits near-binary
 * frames (the E2C paper's); on rendered frames with grey backgrounds its entropy floor swamps a small
 * agent's few pixels, and a Gaussian with a small std weighs their error far more.
 */
export function pixelNll(logits: tf.Tensor2D, target: tf.Tensor2D, pixelStd?: number): tf.Scalar {
  if (pixelStd === undefined) return bernoulliNll(logits, target);
  const err = tf.sum(tf.square(tf.sub(tf.sigmoid(logits), target)), 1);
  return tf.mean(tf.div(err, 2 * pixelStd * pixelStd));
}
