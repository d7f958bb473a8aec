import * as tf from '@tensorflow/tfjs-core';
// Registers the gradients of tfjs-core's ops (tfjs-core alone has kernels but no gradients).
import '@tensorflow/tfjs-layers';
import { Rng } from '../../util';
import { transformImages } from './cdna-transform';
import { WindowSampler, type FrameEpisode, type WindowBatch } from './frame-episodes';
import type { VideoPredictionModel } from './video-prediction-model';

/** Training settings of a video model. */
export interface VideoFitOptions {
  /** Gradient steps. */
  steps: number;
  /** Sequences per step. */
  batchSize: number;
  learningRate: number;
  /** Predicted frames after the context in each training sequence (the issue: ≥ 10). */
  horizon: number;
  /**
   * Scheduled sampling (Bengio et al. 2015, as in CDNA): after the context, each sample's next input
   * is the true frame with probability p, else the model's own prediction; p falls linearly from 1
   * to 0 over this many steps and stays 0, so the model learns to predict from its own outputs.
   */
  samplingRampSteps: number;
  /** A progress report (with a validation loss when validation episodes are given) every this many steps. */
  reportEvery: number;
  seed: number;
}

export const DEFAULT_VIDEO_FIT: VideoFitOptions = { steps: 2000, batchSize: 8, learningRate: 1e-3, horizon: 10, samplingRampSteps: 1000, reportEvery: 50, seed: 0 };

/** Progress of {@link fitVideoModel}. Losses are per-pixel MSE of frames in [0, 1]. */
export interface VideoFitReport {
  step: number;
  steps: number;
  /** Mean training loss since the last report. */
  trainLoss: number;
  /** Open-loop loss (own predictions after the context) on the validation windows; NaN without them. */
  valLoss: number;
  /** The scheduled-sampling probability of feeding a true frame at this step. */
  truthProbability: number;
  /** Training sequences per second since the last report. */
  sequencesPerSecond: number;
}

const yieldTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Frames [B, L, F] → L tensors [B, S, S, C]; actions [B, L−1, A] → L − 1 tensors [B, A]. */
function perStep(batch: WindowBatch, S: number, C: number, A: number): { frames: tf.Tensor4D[]; actions: tf.Tensor2D[] } {
  const { batch: B, length: L } = batch;
  const F = S * S * C;
  const frames = Array.from({ length: L }, (_, t) => {
    const v = new Float32Array(B * F);
    for (let b = 0; b < B; b++) v.set(batch.frames.subarray((b * L + t) * F, (b * L + t + 1) * F), b * F);
    return tf.tensor4d(v, [B, S, S, C]);
  });
  const actions = Array.from({ length: L - 1 }, (_, t) => {
    const v = new Float32Array(B * A);
    for (let b = 0; b < B; b++) v.set(batch.actions.subarray((b * (L - 1) + t) * A, (b * (L - 1) + t + 1) * A), b * A);
    return tf.tensor2d(v, [B, A]);
  });
  return { frames, actions };
}

/**
 * Mean per-pixel squared error of the model's predictions of frames 1…L−1 of each window; within the
 * context it is fed true frames; after it, true frames where truthMask (per step and sample, [L−1][B])
 * says so, its own predictions elsewhere (gradients flow through them, as in backpropagation through time).
 */
export function sequenceLoss(model: VideoPredictionModel, frames: tf.Tensor4D[], actions: tf.Tensor2D[], truthMask: boolean[][]): tf.Scalar {
  const B = frames[0].shape[0];
  let hidden = model.network.zeroState(B);
  let input = frames[0];
  const losses: tf.Scalar[] = [];
  for (let t = 0; t < actions.length; t++) {
    const step = model.network.step(input, actions[t], hidden);
    hidden = step.hidden;
    const predicted = transformImages(input, step.kernels, step.masks);
    const target = frames[t + 1];
    losses.push(tf.mean(tf.square(tf.sub(predicted, target))));
    const truth = truthMask[t];
    if (truth.every(Boolean)) input = target;
    else if (!truth.some(Boolean)) input = predicted;
    else {
      const mix = tf.tensor4d(truth.map(Number), [B, 1, 1, 1]);
      input = tf.add(tf.mul(mix, target), tf.mul(tf.sub(1, mix), predicted)) as tf.Tensor4D;
    }
  }
  return tf.div(tf.addN(losses), losses.length) as tf.Scalar;
}

/**
 * Trains a video model on windows of context + horizon frames drawn from episodes, with Adam and
 * scheduled sampling; reports progress (one loss read-back per report) and stops early on abort.
 * Validation windows (from `validation` episodes, at most 32, fixed) are scored open-loop.
 */
export async function fitVideoModel(
  model: VideoPredictionModel,
  episodes: readonly FrameEpisode[],
  options: VideoFitOptions,
  onReport?: (r: VideoFitReport) => void | Promise<void>,
  signal?: AbortSignal,
  validation?: readonly FrameEpisode[],
): Promise<VideoFitReport[]> {
  const c = model.config;
  const shape = { size: c.imageSize, channels: c.channels, actDim: c.actDim };
  const L = c.context + options.horizon;
  const sampler = new WindowSampler(episodes, shape, L);
  const valSampler = validation?.length ? new WindowSampler(validation, shape, L) : null;
  const valBatch = valSampler ? valSampler.take(Array.from({ length: Math.min(32, valSampler.count) }, (_, i) => Math.floor((i * valSampler.count) / Math.min(32, valSampler.count)))) : null;
  const rng = new Rng(options.seed);
  const optimizer = tf.train.adam(options.learningRate);
  const reports: VideoFitReport[] = [];
  let pending: tf.Scalar[] = [];
  let since = performance.now();
  try {
    for (let step = 1; step <= options.steps; step++) {
      if (signal?.aborted) break;
      const p = options.samplingRampSteps > 0 ? Math.max(0, 1 - (step - 1) / options.samplingRampSteps) : 0;
      const batch = sampler.sample(options.batchSize, rng);
      const truthMask = Array.from({ length: L - 1 }, (_, t) => Array.from({ length: options.batchSize }, () => t + 1 < c.context || rng.nextFloat() < p));
      const { frames, actions } = perStep(batch, c.imageSize, c.channels, c.actDim);
      const loss = optimizer.minimize(() => sequenceLoss(model, frames, actions, truthMask), true, model.variables);
      tf.dispose([...frames, ...actions]);
      if (loss) pending.push(loss);
      if (step % options.reportEvery === 0 || step === options.steps) {
        const mean = tf.tidy(() => tf.div(tf.addN(pending), pending.length));
        const trainLoss = (await mean.data())[0];
        mean.dispose();
        const count = pending.length;
        tf.dispose(pending);
        pending = [];
        if (!Number.isFinite(trainLoss)) throw new Error(`video model training diverged at step ${step} (loss ${trainLoss}); lower the learning rate`);
        const valLoss = valBatch ? await openLoopLoss(model, valBatch) : NaN;
        const now = performance.now();
        const report = { step, steps: options.steps, trainLoss, valLoss, truthProbability: p, sequencesPerSecond: (count * options.batchSize * 1000) / (now - since) };
        reports.push(report);
        await onReport?.(report);
        since = performance.now();
        await yieldTurn();
      }
    }
    return reports;
  } finally {
    tf.dispose(pending);
    optimizer.dispose();
  }
}

/** Per-pixel MSE of open-loop predictions (true frames only in the context) over the windows. */
export async function openLoopLoss(model: VideoPredictionModel, batch: WindowBatch): Promise<number> {
  const c = model.config;
  const { frames, actions } = perStep(batch, c.imageSize, c.channels, c.actDim);
  const truthMask = actions.map((_, t) => Array.from({ length: batch.batch }, () => t + 1 < c.context));
  const loss = tf.tidy(() => sequenceLoss(model, frames, actions, truthMask));
  tf.dispose([...frames, ...actions]);
  const value = (await loss.data())[0];
  loss.dispose();
  return value;
}
