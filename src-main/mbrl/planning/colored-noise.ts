import type { Rng } from '../util';

/**
 * Gaussian noise with power spectral density ∝ 1/f^β along a sequence (iCEM's colored noise,
 * Pinneri et al. 2020; the spectrum-shaping method of the `colorednoise` package, Timmer & König 1995).
 * β = 0 is white noise; β = 2 (Brownian-like) gives long stretches of one sign, so a sampled pusher
 * plan travels in one direction for several actions and turns smoothly instead of jittering.
 * Written here, not taken from a library: the sequences are a planner's horizon (≤ 100 values), where
 * a direct inverse DFT is cheap and no npm package offers power-law noise with a seeded generator.
 *
 * @param beta the exponent β ≥ 0.
 * @param length the sequence's length N ≥ 1.
 * @returns [N] values, each with mean 0 and variance 1 (the spectrum's expected variance is divided out).
 */
export function coloredNoise(beta: number, length: number, rng: Rng): Float64Array {
  if (!(beta >= 0)) throw new Error(`colored noise: beta must be ≥ 0, got ${beta}`);
  if (!Number.isInteger(length) || length < 1) throw new Error(`colored noise: length must be a positive integer, got ${length}`);
  const N = length;
  const bins = Math.floor(N / 2) + 1;
  // The zero bin, and the Nyquist bin of an even N, are real: their real part carries both parts' power,
  // and they appear once in the inverse transform where every other bin appears with its conjugate.
  const isReal = (k: number) => k === 0 || (N % 2 === 0 && k === bins - 1);
  // Amplitude per frequency bin k (frequency k / N); the zero frequency takes the lowest nonzero one's,
  // as in `colorednoise` (fmin = 1 / N), so the mean of the sequence wanders too.
  const scale = new Float64Array(bins);
  for (let k = 0; k < bins; k++) scale[k] = Math.max(k, 1) ** (-beta / 2);
  const re = new Float64Array(bins);
  const im = new Float64Array(bins);
  let variance = 0;
  for (let k = 0; k < bins; k++) {
    const real = isReal(k);
    re[k] = scale[k] * rng.normal() * (real ? Math.SQRT2 : 1);
    im[k] = real ? 0 : scale[k] * rng.normal();
    // Var(y_n) = (1/N²)(2 s₀² + 4 Σ s_k² + 2 s²_Nyquist): each bin's contribution to every output value.
    variance += (real ? 2 : 4) * scale[k] ** 2;
  }
  const sigma = Math.sqrt(variance) / N;
  const out = new Float64Array(N);
  for (let n = 0; n < N; n++) {
    let sum = 0;
    for (let k = 0; k < bins; k++) {
      const angle = (2 * Math.PI * k * n) / N;
      sum += (isReal(k) ? 1 : 2) * (re[k] * Math.cos(angle) - im[k] * Math.sin(angle));
    }
    out[n] = sum / N / sigma;
  }
  return out;
}
