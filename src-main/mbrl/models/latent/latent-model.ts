import type * as tf from '@tensorflow/tfjs-core';
import type { ModelArtifacts } from '../dynamics-model';
import type { LatentEpochReport, LatentFitOptions, LatentFitResult } from './fit-latent';
import type { ImageShape } from './image-codec';
import type { ImageTransitions } from './image-transitions';

/**
 * A model that plans in a learned latent space: an encoder of images, latent dynamics and a decoder
 * (and, for some, a reward head). Images are [B, H·W·C] floats in [0, 1]; codes [B, latentDim].
 * All methods return tensors the caller owns (call inside tf.tidy).
 */
export interface LatentModel {
  readonly kind: LatentModelKind;
  readonly imageShape: ImageShape;
  readonly actDim: number;
  readonly latentDim: number;
  /** Whether {@link reward} is learned (the lecture's models; not E2C). */
  readonly hasReward: boolean;
  /** Names of the loss terms the fit reports (the UI's curves). */
  readonly termNames: readonly string[];
  /** The code of each image (the encoder's mean for stochastic encoders): [B, P] → [B, dz]. */
  encode(images: tf.Tensor2D): tf.Tensor2D;
  /** Reconstructed images in [0, 1]: [B, dz] → [B, P]. */
  decode(z: tf.Tensor2D): tf.Tensor2D;
  /** The predicted next code (mean): z [B, dz], a [B, A] → [B, dz]. */
  step(z: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D;
  /** Predicted reward of being at z: [B, dz] → [B]. Throws when {@link hasReward} is false. */
  reward(z: tf.Tensor2D): tf.Tensor1D;
  fit(data: ImageTransitions, options: LatentFitOptions, onEpoch?: (r: LatentEpochReport) => void | Promise<void>, signal?: AbortSignal): Promise<LatentFitResult>;
  /** tfjs-format artifacts: model.json (format, config, weightsManifest) + weights.bin. */
  save(): Promise<ModelArtifacts>;
  dispose(): void;
}

/** 'deterministic' and 'stochastic' are the lecture's model with a point or a VAE encoder; 'e2c' is Embed to Control. */
export type LatentModelKind = 'deterministic' | 'stochastic' | 'e2c';

/** A latent model whose transition is locally linear (E2C): what iLQR needs. */
export interface LocallyLinearModel extends LatentModel {
  /**
   * The transition's local linearisation at codes z [B, dz]: A [B, dz, dz], B [B, dz, A], o [B, dz]
   * with next = A z + B a + o. Row-major Float32Arrays (read back; small).
   */
  linearize(z: Float32Array, rows: number): { A: Float32Array; B: Float32Array; o: Float32Array };
}
