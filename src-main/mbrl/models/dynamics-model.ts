import type * as tf from '@tensorflow/tfjs-core';
import type { TransitionBatch } from '../data';

/** Training settings for a dynamics model. */
export interface FitOptions {
  /** Most passes over the training split. */
  epochs: number;
  /** Transitions per gradient step. */
  batchSize: number;
  /** Adam step size. */
  learningRate: number;
  /** L2 penalty on kernels, added to the loss: weightDecay · Σ‖W‖². */
  weightDecay: number;
  /** Share of the data held out for validation, in [0, 0.5]. 0 disables validation and early stopping. */
  valFraction: number;
  /** Stop after this many epochs without a better validation loss; the best weights are kept. */
  patience: number;
  /** Seeds the split and the minibatch order. */
  seed: number;
}

/** One line of training progress. Losses are MSE in normalized target units. */
export interface EpochReport {
  epoch: number;
  epochs: number;
  trainLoss: number;
  /** NaN when there is no validation split. */
  valLoss: number;
}

/** What a fit did. */
export interface FitResult {
  history: EpochReport[];
  /** The epoch whose weights were kept (best validation loss, or the last without validation). */
  bestEpoch: number;
}

/** A file set in TensorFlow.js format: model.json (with a weightsManifest) and its weights.bin. */
export interface ModelArtifacts {
  /** Contents of model.json. */
  modelJson: Record<string, unknown>;
  /** Contents of weights.bin. */
  weightData: ArrayBuffer;
}

/**
 * A learned model of f(s, a) → s′ (mbrl-lib's Model, reduced to what planning and the loops need).
 */
export interface DynamicsModel {
  readonly obsDim: number;
  readonly actDim: number;
  /**
   * Predicted next observations. obs: [B, obsDim], act: [B, actDim] → [B, obsDim].
   * The caller owns the result; call inside tf.tidy.
   */
  predict(obs: tf.Tensor2D, act: tf.Tensor2D): tf.Tensor2D;
  /** Fits on `data` (refitting normalizers), reporting each epoch; stops early on abort. */
  fit(data: TransitionBatch, options: FitOptions, onEpoch?: (report: EpochReport) => void | Promise<void>, signal?: AbortSignal): Promise<FitResult>;
  /** The model as tfjs-format artifacts (config, normalizers and weights). */
  save(): Promise<ModelArtifacts>;
  dispose(): void;
}
