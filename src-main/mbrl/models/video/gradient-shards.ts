import * as tf from '@tensorflow/tfjs-core';
import type { WindowBatch } from './frame-episodes';
import type { SequenceLossWeights } from './fit-video-model';
import type { VideoPredictionModel } from './video-prediction-model';

/** One part of a training minibatch: its windows and their scheduled-sampling mask. */
export interface BatchShard {
  /** The part's windows (rows `start` … `start + batch.batch − 1` of the minibatch). */
  batch: WindowBatch;
  /** [L − 1][rows]: feed the true frame (else the model's own prediction) at each step, per sequence. */
  truthMask: boolean[][];
}

/** The mean loss of one shard and its gradients, one array per model variable (in `model.variables` order). */
export interface ShardGradients {
  loss: number;
  gradients: Float32Array[];
}

/**
 * Where parts of each training step run besides the calling thread (the engine's pool of worker
 * threads; see engine/compute/video-training-pool.ts). The library knows only this interface, so
 * models and their fit stay free of threads.
 */
export interface VideoGradientShards {
  /** Shards computed elsewhere; the calling thread computes one more. */
  readonly count: number;
  /**
   * Loss and gradients of `shard` under the model weights `weights` (model.variables order), shard
   * `index` (0 ≤ index < count) of the helpers, with the loss terms weighted by `lossWeights`. The
   * same function the calling thread computes ({@link shardGradients}), so the split changes speed,
   * not the step (up to float rounding).
   */
  gradients(index: number, weights: readonly Float32Array[], shard: BatchShard, lossWeights: SequenceLossWeights): Promise<ShardGradients>;
}

/**
 * Splits a minibatch of B windows into `parts` row ranges as equal as they can be (the first
 * B mod parts get one more). parts ≤ B.
 */
export function splitBatch(batch: WindowBatch, truthMask: readonly boolean[][], parts: number): BatchShard[] {
  const B = batch.batch;
  if (!Number.isInteger(parts) || parts < 1 || parts > B) throw new Error(`splitBatch: ${parts} parts of a batch of ${B}`);
  const frameRow = batch.frames.length / B;
  const actionRow = batch.actions.length / B;
  const shards: BatchShard[] = [];
  let start = 0;
  const pointRow = 2 * batch.length;
  for (let p = 0; p < parts; p++) {
    const rows = Math.floor(B / parts) + (p < B % parts ? 1 : 0);
    shards.push({
      batch: {
        frames: batch.frames.slice(start * frameRow, (start + rows) * frameRow),
        actions: batch.actions.slice(start * actionRow, (start + rows) * actionRow),
        batch: rows,
        length: batch.length,
        ...(batch.points ? { points: batch.points.slice(start * pointRow, (start + rows) * pointRow) } : {}),
      },
      truthMask: truthMask.map((step) => step.slice(start, start + rows)),
    });
    start += rows;
  }
  return shards;
}

/** Throws unless the shard's mask has one entry per sequence for each of its L − 1 predicted steps. */
export function checkShard(shard: BatchShard): void {
  const { batch, length } = shard.batch;
  if (shard.truthMask.length !== length - 1 || shard.truthMask.some((step) => step.length !== batch)) {
    throw new Error(`video model: truthMask has ${shard.truthMask.length} steps for windows of ${length} frames (expected ${length - 1} steps of ${batch} windows each)`);
  }
}

/** The model's current weights, one copy per variable (model.variables order), to send to a shard. */
export function readWeights(model: VideoPredictionModel): Float32Array[] {
  return model.variables.map((v) => Float32Array.from(v.dataSync() as Float32Array));
}

/** Sets the model's variables to `weights` (model.variables order), e.g. a shard's copy before each step. */
export function writeWeights(model: VideoPredictionModel, weights: readonly Float32Array[]): void {
  const vars = model.variables;
  if (weights.length !== vars.length) throw new Error(`video model: ${weights.length} weight arrays for ${vars.length} variables`);
  vars.forEach((v, i) => {
    if (weights[i].length !== v.size) throw new Error(`video model: weight ${i} has ${weights[i].length} values, the variable ${v.size}`);
    tf.tidy(() => v.assign(tf.tensor(weights[i], v.shape)));
  });
}
