import * as tf from '@tensorflow/tfjs-core';
import { gatherRows, type TransitionBatch } from '../data';
import type { EnsembleModel } from './ensemble-dynamics-model';

/** How well predicted uncertainty matches held-out outcomes. */
export interface CalibrationReport {
  /** Mean Gaussian negative log-likelihood per dimension (nats), or null without any variance. */
  nll: number | null;
  /** Share of (sample, dim) targets within 1σ and 2σ of the predicted mean (0.683 and 0.954 if calibrated). */
  within1Sigma: number | null;
  within2Sigma: number | null;
  /** Transitions evaluated. */
  samples: number;
}

/** Per-member predictions on held-out transitions, for a predicted-vs-true scatter. */
export interface HeldOutPredictions {
  /** True next observations: [n · D]. */
  truth: Float32Array;
  /** Member e's predicted next observations (elites, in order): [E · n · D]. */
  predicted: Float32Array;
  members: number;
  samples: number;
}

/**
 * The ensemble's predictive distribution for a batch, moment-matched to one Gaussian per dimension:
 * mean μ = mean_e μ_e, variance = mean_e σ_e² + mean_e (μ_e − μ)² (aleatoric plus epistemic). Deterministic
 * members contribute σ_e = 0, so a deterministic ensemble's variance is its disagreement alone.
 * obs [B, D], act [B, A] → mean, variance, and each elite's mean [E, B, D]. Caller owns the results.
 */
export function predictiveMoments(model: EnsembleModel, obs: tf.Tensor2D, act: tf.Tensor2D): { mean: tf.Tensor2D; variance: tf.Tensor2D; members: tf.Tensor3D } {
  return tf.tidy(() => {
    const preds = model.eliteIndices.map((k) => model.memberPredict(k, obs, act));
    const means = tf.stack(preds.map((p) => p.next)) as tf.Tensor3D;
    const mean = tf.mean(means, 0) as tf.Tensor2D;
    // mean_e σ_e² + mean_e (μ_e − μ)²: the same as E[σ² + μ²] − μ², without its float32 cancellation
    // (states like an unwrapped angle have μ² ≫ σ², which would round the variance to 0).
    const spread = tf.mean(tf.square(tf.sub(means, mean)), 0);
    const logVars = preds.flatMap((p) => (p.logVar ? [p.logVar] : []));
    const aleatoric = logVars.length ? tf.div(tf.addN(logVars.map((lv) => tf.exp(lv))), preds.length) : tf.zerosLike(mean);
    const variance = tf.add(aleatoric, spread) as tf.Tensor2D;
    return { mean, variance, members: means };
  });
}

/** Held-out calibration of `model` on the rows `indices` of `data` (all rows when omitted). */
export async function calibrationReport(model: EnsembleModel, data: TransitionBatch, indices?: ArrayLike<number>): Promise<CalibrationReport> {
  const rows = indices ?? Array.from({ length: data.size }, (_, i) => i);
  const n = rows.length;
  if (n === 0) return { nll: null, within1Sigma: null, within2Sigma: null, samples: 0 };
  const D = data.obsDim;
  const stats = tf.tidy(() => {
    const obs = tf.tensor2d(gatherRows(data.obs, D, rows), [n, D]);
    const act = tf.tensor2d(gatherRows(data.act, data.actDim, rows), [n, data.actDim]);
    const truth = tf.tensor2d(gatherRows(data.nextObs, D, rows), [n, D]);
    const { mean, variance } = predictiveMoments(model, obs, act);
    const err = tf.abs(tf.sub(truth, mean));
    const std = tf.sqrt(variance);
    const safeVar = tf.maximum(variance, 1e-12);
    const nll = tf.mean(tf.mul(0.5, tf.add(tf.add(tf.log(safeVar), tf.div(tf.square(err), safeVar)), Math.log(2 * Math.PI))));
    return tf.stack([nll, tf.mean(tf.cast(tf.lessEqual(err, std), 'float32')), tf.mean(tf.cast(tf.lessEqual(err, tf.mul(2, std)), 'float32')), tf.max(variance)]);
  });
  const [nll, w1, w2, maxVar] = Array.from(await stats.data());
  stats.dispose();
  // With no predicted spread at all (one deterministic member) a likelihood means nothing.
  if (!(maxVar > 0)) return { nll: null, within1Sigma: null, within2Sigma: null, samples: n };
  return { nll, within1Sigma: w1, within2Sigma: w2, samples: n };
}

/** Each elite member's predictions on (at most `limit` of) the rows `indices`, for plotting. */
export async function heldOutPredictions(model: EnsembleModel, data: TransitionBatch, indices: ArrayLike<number>, limit = 256): Promise<HeldOutPredictions> {
  const rows = Array.from(indices).slice(0, limit);
  const n = rows.length;
  const D = data.obsDim;
  const members = tf.tidy(() => predictiveMoments(model, tf.tensor2d(gatherRows(data.obs, D, rows), [n, D]), tf.tensor2d(gatherRows(data.act, data.actDim, rows), [n, data.actDim])).members);
  const predicted = (await members.data()) as Float32Array;
  members.dispose();
  return { truth: gatherRows(data.nextObs, D, rows), predicted, members: model.eliteIndices.length, samples: n };
}

/**
 * One-step predictions along an executed episode with their uncertainty: obs [(T + 1) · D],
 * act [T · A] → predicted mean and std of s_{t+1} given the true s_t: [T · D] each.
 */
export async function oneStepBands(model: EnsembleModel, obs: Float32Array, act: Float32Array): Promise<{ mean: Float32Array; std: Float32Array }> {
  const D = model.obsDim;
  const A = model.actDim;
  const T = act.length / A;
  const [mean, std] = tf.tidy(() => {
    const m = predictiveMoments(model, tf.tensor2d(obs.subarray(0, T * D), [T, D]), tf.tensor2d(act, [T, A]));
    return [m.mean, tf.sqrt(m.variance)];
  });
  const out = { mean: (await mean.data()) as Float32Array, std: (await std.data()) as Float32Array };
  tf.dispose([mean, std]);
  return out;
}
