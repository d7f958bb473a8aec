import * as tf from '@tensorflow/tfjs-core';
// Registers the gradients of tfjs-core's ops (tfjs-core alone has kernels but no gradients).
import '@tensorflow/tfjs-layers';
import { Rng } from '../../util';
import { ConvKernelCache } from './conv-kernel-cache';
import { composeStep, translateImages, type SkipSource } from './skip-translation';
import { PointTrack } from './point-track';
import { WindowSampler, type FrameEpisode, type WindowBatch } from './frame-episodes';
import { checkShard, readWeights, splitBatch, type BatchShard, type VideoGradientShards } from './gradient-shards';
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
  /**
   * Extra weight of the pixels that change between consecutive true frames (any channel by more than
   * {@link MOTION_THRESHOLD}): each such pixel's squared error counts 1 + motionWeight times, and the
   * loss is normalised by each predicted frame's total weight. 0 (default): plain MSE. Why: on a pushing task most
   * pixels never move, so plain MSE is dominated by the static table and the block's few moving pixels
   * (what planning scores) barely register.
   */
  motionWeight?: number;
  /**
   * Weight of an auxiliary loss on the temporal skips (models with `skips` > 0): each skip's
   * translated source frame, on its own, should reproduce the pixels that changed since that frame
   * (see {@link skipAlignmentLoss}). 0 (default): none. Why: in the composite a skip's shift gets a
   * gradient only where its mask is high, and its mask rises only where its shift is already right,
   * so on a task whose moving object is a few pixels (the pusher) the skip is never adopted (session
   * 13). This term trains the shift to follow the moving pixels whatever the masks do.
   */
  skipAlignWeight?: number;
  /**
   * Weight of the tracking term (0, default: none): the mean expected distance, in pixels of the model's
   * frame, between the true object point of each predicted frame ({@link FrameEpisode.points}) and the
   * point's map moved from the last context frame by the model's own predicted kernels and masks, just
   * as the planner moves a designated pixel's distribution (P_{t+1} from P_t). Needs episodes with points
   * (a simulator's object poses). Why: the frame loss never asks the masks to move the block's pixels
   * with the block, so the designated pixel's distribution under-followed real pushes (the model saw a
   * tenth of a push's true gain) and drifted with the pusher passing by (motion imagined in plans that
   * never touch the block); this term trains exactly the motion the planner's cost reads.
   */
  trackWeight?: number;
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

/** A pixel counts as changing when a channel differs by more than this between true frames (values in [0, 1]). */
export const MOTION_THRESHOLD = 0.1;

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

/** The weights of {@link sequenceLoss}'s terms beyond plain MSE (0 or absent: off). */
export type SequenceLossWeights = Pick<VideoFitOptions, 'motionWeight' | 'skipAlignWeight' | 'trackWeight'>;

/** {@link sequenceLoss}'s options: the terms' weights, and what some terms or a gradient need. */
export interface SequenceLossOptions extends SequenceLossWeights {
  /** Under a gradient: a fresh cache, disposed once the gradients are taken (see {@link ConvKernelCache}). */
  cache?: ConvKernelCache;
  /** The windows' tracked object points [B, L, 2] ({@link WindowBatch.points}), needed when trackWeight > 0. */
  points?: Float32Array;
}

/**
 * Mean per-pixel squared error of the model's predictions of frames 1…L−1 of each window; within the
 * context it is fed true frames; after it, true frames where truthMask (per step and sample, [L−1][B])
 * says so, its own predictions elsewhere (gradients flow through them, as in backpropagation through time).
 * With options.motionWeight > 0 the changing pixels weigh more (see {@link VideoFitOptions.motionWeight});
 * with options.skipAlignWeight > 0 the skips' alignment loss is added (see {@link VideoFitOptions.skipAlignWeight});
 * with options.trackWeight > 0 the tracking term is added, for which options.points are needed (see
 * {@link VideoFitOptions.trackWeight}). Under a gradient, pass a fresh options.cache.
 */
export function sequenceLoss(model: VideoPredictionModel, frames: tf.Tensor4D[], actions: tf.Tensor2D[], truthMask: boolean[][], options: SequenceLossOptions = {}): tf.Scalar {
  const { cache, points } = options;
  const motionWeight = options.motionWeight ?? 0;
  const alignWeight = options.skipAlignWeight ?? 0;
  const trackWeight = options.trackWeight ?? 0;
  const B = frames[0].shape[0];
  const ctx = model.config.context;
  let hidden = model.network.zeroState(B);
  let input = frames[0];
  let skip: SkipSource | null = null;
  const losses: tf.Scalar[] = [];
  const track = trackWeight > 0 ? new PointTrack(points, B, frames.length, model.config.imageSize, ctx - 1) : null;
  const trackLosses: tf.Scalar[] = [];
  for (let t = 0; t < actions.length; t++) {
    const step = model.network.step(input, actions[t], hidden, cache);
    hidden = step.hidden;
    if (step.skipSteps) {
      // The skips start at the last context frame, as in a rollout; before it (predictions of later
      // context frames) they start afresh at each true input.
      skip = t < model.config.context || !skip ? { first: input, offsets: step.skipSteps } : { first: skip.first, offsets: tf.add(skip.offsets, step.skipSteps) as tf.Tensor3D };
    }
    const predicted = composeStep(input, step, skip);
    const target = frames[t + 1];
    const squared = tf.square(tf.sub(predicted, target)) as tf.Tensor4D;
    losses.push(motionWeight > 0 ? motionWeightedMse(squared, frames[t], target, motionWeight) : tf.mean(squared));
    if (alignWeight > 0 && skip) losses.push(tf.mul(skipAlignmentLoss(skip, target), alignWeight) as tf.Scalar);
    // The tracked point's map moves from the last context frame on, as a rollout moves P (its skips translate the first map).
    if (track && t >= ctx - 1) trackLosses.push(track.advance(step, skip, t + 1));
    const truth = truthMask[t];
    if (truth.every(Boolean)) input = target;
    else if (!truth.some(Boolean)) input = predicted;
    else {
      const mix = tf.tensor4d(truth.map(Number), [B, 1, 1, 1]);
      input = tf.add(tf.mul(mix, target), tf.mul(tf.sub(1, mix), predicted)) as tf.Tensor4D;
    }
  }
  const frameLoss = tf.div(tf.addN(losses), actions.length) as tf.Scalar;
  if (!track) return frameLoss;
  return tf.add(frameLoss, tf.mul(tf.div(tf.addN(trackLosses), trackLosses.length), trackWeight)) as tf.Scalar;
}

/**
 * 1 at the pixels where any channel differs by more than {@link MOTION_THRESHOLD} between two frames,
 * else 0 (what both the motion weight and the skips' alignment loss count as moving).
 * before: [B or 1, S, S, C], after: [B, S, S, C] → [B, S, S, 1].
 */
function changedPixels(before: tf.Tensor4D, after: tf.Tensor4D): tf.Tensor4D {
  return tf.cast(tf.greater(tf.max(tf.abs(tf.sub(after, before)), 3, true), MOTION_THRESHOLD), 'float32') as tf.Tensor4D;
}

/**
 * The temporal skips' alignment loss: each skip's source frame translated by its accumulated offset,
 * compared with the target only at the pixels that changed between the source and the target (any
 * channel by more than {@link MOTION_THRESHOLD}): per sample and skip Σ changed·se / (Σ changed · C),
 * 0 where nothing changed, averaged over samples and skips. Minimal when the skip's shift carries the
 * moving object from where it was in the source to where it is now; its gradient reaches the shift
 * (and the network that predicts it) whatever the compositing masks are.
 * skip: first [B or 1, S, S, C], offsets [B, J, 2]; target: [B, S, S, C] → scalar.
 */
export function skipAlignmentLoss(skip: SkipSource, target: tf.Tensor4D): tf.Scalar {
  const [B, J] = skip.offsets.shape;
  const [, S, , C] = target.shape;
  const moved = translateImages(skip.first, skip.offsets); // [B, J, S, S, C]
  const changed = tf.reshape(changedPixels(skip.first, target), [B, 1, S, S, 1]);
  const squared = tf.square(tf.sub(moved, tf.reshape(target, [B, 1, S, S, C])));
  const count = tf.mul(tf.sum(changed, [2, 3, 4]), C); // [B, 1]
  const perSkip = tf.div(tf.sum(tf.mul(squared, changed), [2, 3, 4]), tf.maximum(count, 1)); // [B, J]
  return tf.div(tf.sum(perSkip), B * J) as tf.Scalar;
}

/**
 * Motion-weighted mean squared error: per sample Σ w·se / (Σ w · C), averaged over the batch, where
 * w = 1 + motionWeight at pixels whose true frame changed (any channel by more than
 * {@link MOTION_THRESHOLD}) and 1 elsewhere. Per sample, so that the mean over a batch is the
 * size-weighted mean over any split of it (data-parallel training computes exactly the serial loss).
 * squared, previous, target: [B, S, S, C] (squared errors; the true frames before and after) → scalar.
 */
export function motionWeightedMse(squared: tf.Tensor4D, previous: tf.Tensor4D, target: tf.Tensor4D, motionWeight: number): tf.Scalar {
  const changed = changedPixels(previous, target);
  const weight = tf.add(1, tf.mul(changed, motionWeight));
  const channels = squared.shape[3];
  const perSample = tf.div(tf.sum(tf.mul(squared, weight), [1, 2, 3]), tf.mul(tf.sum(weight, [1, 2, 3]), channels));
  return tf.mean(perSample) as tf.Scalar;
}

/**
 * The loss on one shard of a minibatch and its gradient for every model variable (model.variables
 * order). The caller owns the tensors. What every thread of a data-parallel step computes.
 */
export function shardGradients(model: VideoPredictionModel, shard: BatchShard, weights: SequenceLossWeights): { loss: tf.Scalar; gradients: tf.Tensor[] } {
  const c = model.config;
  checkShard(shard);
  const { frames, actions } = perStep(shard.batch, c.imageSize, c.channels, c.actDim);
  const cache = new ConvKernelCache();
  try {
    const vars = model.variables;
    const { value, grads } = tf.variableGrads(() => sequenceLoss(model, frames, actions, shard.truthMask, { ...weights, cache, points: shard.batch.points }), vars);
    return { loss: value, gradients: vars.map((v) => grads[v.name]) };
  } finally {
    cache.dispose();
    tf.dispose([...frames, ...actions]);
  }
}

/**
 * One data-parallel Adam step: the minibatch split into 1 + shards.count parts, the first computed
 * here while the others are computed by `shards`, the gradients averaged weighted by rows (the
 * losses are means over rows, so this is the whole batch's gradient) and applied. Returns the loss.
 */
async function shardedStep(model: VideoPredictionModel, optimizer: tf.Optimizer, batch: WindowBatch, truthMask: boolean[][], weights: SequenceLossWeights, shards: VideoGradientShards): Promise<tf.Scalar> {
  const parts = splitBatch(batch, truthMask, Math.min(batch.batch, 1 + shards.count));
  const modelWeights = parts.length > 1 ? readWeights(model) : [];
  // Posted before the local part runs, so the other threads compute while this one does.
  const remote = Promise.all(parts.slice(1).map((part, i) => shards.gradients(i, modelWeights, part, weights)));
  const local = shardGradients(model, parts[0], weights);
  let others: Awaited<typeof remote>;
  try {
    others = await remote;
  } catch (error) {
    tf.dispose([local.loss, ...local.gradients]);
    throw error;
  }
  const share = (p: number) => parts[p].batch.batch / batch.batch;
  const vars = model.variables;
  const combined = tf.tidy(() => {
    const named: tf.NamedTensorMap = {};
    vars.forEach((v, i) => {
      let g = tf.mul(local.gradients[i], share(0));
      others.forEach((o, j) => (g = tf.add(g, tf.mul(tf.tensor(o.gradients[i], v.shape), share(j + 1)))));
      named[v.name] = g;
    });
    return named;
  });
  const loss = tf.tidy(() => others.reduce((sum: tf.Tensor, o, j) => tf.add(sum, o.loss * share(j + 1)), tf.mul(local.loss, share(0))) as tf.Scalar);
  tf.dispose([local.loss, ...local.gradients]);
  optimizer.applyGradients(combined);
  tf.dispose(Object.values(combined));
  return loss;
}

/**
 * Trains a video model on windows of context + horizon frames drawn from episodes, with Adam and
 * scheduled sampling; reports progress (one loss read-back per report) and stops early on abort.
 * Validation windows (from `validation` episodes, at most 32, fixed) are scored open-loop.
 * With `shards`, each step's minibatch is split across this thread and the shards' threads
 * (data-parallel; the same steps up to float rounding, faster on a machine with more cores).
 */
export async function fitVideoModel(
  model: VideoPredictionModel,
  episodes: readonly FrameEpisode[],
  options: VideoFitOptions,
  onReport?: (r: VideoFitReport) => void | Promise<void>,
  signal?: AbortSignal,
  validation?: readonly FrameEpisode[],
  shards?: VideoGradientShards,
): Promise<VideoFitReport[]> {
  const c = model.config;
  const shape = { size: c.imageSize, channels: c.channels, actDim: c.actDim };
  const L = c.context + options.horizon;
  const sampler = new WindowSampler(episodes, shape, L);
  const valSampler = validation?.length ? new WindowSampler(validation, shape, L) : null;
  const valBatch = valSampler ? valSampler.take(Array.from({ length: Math.min(32, valSampler.count) }, (_, i) => Math.floor((i * valSampler.count) / Math.min(32, valSampler.count)))) : null;
  const rng = new Rng(options.seed);
  const trackWeight = options.trackWeight ?? 0;
  const weights: SequenceLossWeights = { motionWeight: options.motionWeight ?? 0, skipAlignWeight: options.skipAlignWeight ?? 0, trackWeight };
  if (trackWeight > 0 && !sampler.hasPoints) {
    throw new Error(`video fit: trackWeight needs the object's point in every training frame (FrameEpisode.points); ${episodes.filter((e) => !e.points).length} of ${episodes.length} episodes have none (a task without an object to track, or recorded data): set trackWeight 0`);
  }
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
      if (shards && shards.count > 0 && options.batchSize > 1) {
        pending.push(await shardedStep(model, optimizer, batch, truthMask, weights, shards));
      } else {
        const { frames, actions } = perStep(batch, c.imageSize, c.channels, c.actDim);
        const cache = new ConvKernelCache();
        let loss: tf.Scalar | null;
        try {
          loss = optimizer.minimize(() => sequenceLoss(model, frames, actions, truthMask, { ...weights, cache, points: batch.points }), true, model.variables);
        } finally {
          cache.dispose();
          tf.dispose([...frames, ...actions]);
        }
        if (loss) pending.push(loss);
      }
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
