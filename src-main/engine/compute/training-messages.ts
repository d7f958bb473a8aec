import type { MemberTrainingSettings, MlpConfig } from '../../mbrl/models';

/**
 * Messages between the training pool (main thread) and each training worker. A worker trains one
 * group of ensemble members for the length of a fit; arrays travel as typed arrays.
 */

/** What a worker is started with (workerData). */
export interface TrainingWorkerData {
  /** The backend the engine chose ('wasm', 'cpu', …), as a tf-backend BackendChoice; null: the engine's default order. */
  backend: string | null;
}

/** One member as it travels: its MLP's shape, whether it has log-variance bounds, and every variable's values. */
export interface MemberWeights {
  config: MlpConfig;
  probabilistic: boolean;
  /** In memberVariables order: kernel, bias per layer, then (probabilistic) max, min. */
  weights: Float32Array[];
}

export type TrainingRequest =
  /** Builds the group's members and uploads the data (validation rows first, as MemberTrainingData). */
  | { type: 'start'; id: number; members: MemberWeights[]; inputs: Float32Array; targets: Float32Array; n: number; nVal: number; settings: MemberTrainingSettings }
  /** One epoch with each member's permutation of the training split: replies each member's mean loss (float64, as the serial fit computes it). */
  | { type: 'epoch'; id: number; perms: Int32Array[] }
  /** Replies each member's validation MSE. */
  | { type: 'validate'; id: number }
  | { type: 'keep-best'; id: number }
  /** Replies the kept best weights (else the current ones) of every member, then frees the group. */
  | { type: 'finish'; id: number }
  /** Frees the group without replying weights (after a failure or a cancel). */
  | { type: 'end'; id: number }
  | { type: 'memory'; id: number };

export type TrainingReply =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; values: Float64Array | null; weights: Float32Array[][] | null; numTensors: number }
  | { type: 'error'; id: number; message: string };
