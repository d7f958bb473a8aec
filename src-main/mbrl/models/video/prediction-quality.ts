import * as tf from '@tensorflow/tfjs-core';
import { WindowSampler, type FrameEpisode } from './frame-episodes';
import { ssim } from './ssim';
import type { VideoPredictionModel } from './video-prediction-model';

/** Prediction quality against horizon, beside the copy-last-frame baseline. Index h is step h + 1. */
export interface PredictionQuality {
  /** Per-pixel MSE of the model's open-loop prediction of frame context + h, frames in [0, 1]. */
  mse: number[];
  /** SSIM of the same predictions (1 = identical). */
  ssim: number[];
  /** The same for "the future looks like the last context frame". */
  copyMse: number[];
  copySsim: number[];
  /** Windows scored. */
  windows: number;
}

/**
 * Scores open-loop predictions on held-out episodes: windows of context + horizon frames spread
 * evenly over them (at most `maxWindows`), predicted from the context under the recorded actions.
 */
export async function predictionQuality(model: VideoPredictionModel, episodes: readonly FrameEpisode[], horizon: number, maxWindows = 64, chunk = 16): Promise<PredictionQuality> {
  const c = model.config;
  const S = c.imageSize;
  const C = c.channels;
  const F = S * S * C;
  const L = c.context + horizon;
  const sampler = new WindowSampler(episodes, { size: S, channels: C, actDim: c.actDim }, L);
  const n = Math.min(maxWindows, sampler.count);
  const picks = Array.from({ length: n }, (_, i) => Math.floor((i * sampler.count) / n));
  const sums = { mse: new Float64Array(horizon), ssim: new Float64Array(horizon), copyMse: new Float64Array(horizon), copySsim: new Float64Array(horizon) };
  for (let start = 0; start < n; start += chunk) {
    const batch = sampler.take(picks.slice(start, start + chunk));
    const B = batch.batch;
    const A = c.actDim;
    const predicted = tf.tidy(() => {
      const frames = tf.tensor(batch.frames, [B, L, S, S, C]) as tf.Tensor5D;
      const actions = tf.tensor3d(batch.actions, [B, L - 1, A]);
      const { frames: out } = model.rollout({
        context: tf.slice(frames, [0, 0, 0, 0, 0], [B, c.context, S, S, C]),
        contextActions: tf.slice(actions, [0, 0, 0], [B, c.context - 1, A]),
        actions: tf.slice(actions, [0, c.context - 1, 0], [B, horizon, A]),
      });
      return out;
    });
    const pred = (await predicted.data()) as Float32Array;
    predicted.dispose();
    for (let b = 0; b < B; b++) {
      const last = batch.frames.subarray((b * L + c.context - 1) * F, (b * L + c.context) * F);
      for (let h = 0; h < horizon; h++) {
        const truth = batch.frames.subarray((b * L + c.context + h) * F, (b * L + c.context + h + 1) * F);
        const p = pred.subarray((b * horizon + h) * F, (b * horizon + h + 1) * F);
        sums.mse[h] += meanSquaredError(p, truth);
        sums.copyMse[h] += meanSquaredError(last, truth);
        if (S >= 11) {
          sums.ssim[h] += ssim(p, truth, S, S, C);
          sums.copySsim[h] += ssim(last, truth, S, S, C);
        }
      }
    }
  }
  const mean = (v: Float64Array) => Array.from(v, (x) => (S >= 11 ? x / n : NaN));
  return { mse: Array.from(sums.mse, (x) => x / n), ssim: mean(sums.ssim), copyMse: Array.from(sums.copyMse, (x) => x / n), copySsim: mean(sums.copySsim), windows: n };
}

function meanSquaredError(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let s = 0;
  for (let i = 0; i < a.length; i++) s += (a[i] - b[i]) ** 2;
  return s / a.length;
}
