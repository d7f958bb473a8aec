import type { ImageEpisode, PushingTask } from '../../mbrl/env';
import type { SequenceLossWeights, VideoModelConfig } from '../../mbrl/models/video';
import type { PlannerEpisodeEnv, PlannerEpisodeSettings } from '../jobs/foresight-planner-episode';

/**
 * Messages between the video-training pool (main thread) and each of its workers. A worker holds a
 * copy of one video model for the length of a fit and computes the gradients of parts of its
 * minibatches, or runs planner episodes of the foresight rounds with it; arrays travel as typed arrays.
 */

/** What a worker is started with (workerData). */
export interface VideoTrainingWorkerData {
  /** The backend the engine chose ('wasm' or 'cpu', as a tf-backend BackendChoice). */
  backend: string;
}

export type VideoTrainingRequest =
  /** Builds the worker's copy of a model of this shape (its weights arrive with each gradients request). */
  | { type: 'start'; id: number; config: VideoModelConfig }
  /**
   * Loss and gradients of one shard of a minibatch under `weights` (model.variables order): frames
   * [rows, L, S, S, C] in [0, 1], actions [rows, L − 1, A], truth [L − 1, rows] as 0/1, points
   * [rows, L, 2] (the tracked object point, for the tracking term) when the windows have them.
   */
  | { type: 'gradients'; id: number; weights: Float32Array[]; frames: Float32Array; actions: Float32Array; rows: number; length: number; truth: Uint8Array; lossWeights: SequenceLossWeights; points?: Float32Array }
  /** One planner episode (runPlannerEpisode) with the model holding `weights`, in an env the worker builds as `env` says. */
  | { type: 'episode'; id: number; weights: Float32Array[]; env: PlannerEpisodeEnv; task: PushingTask; settings: PlannerEpisodeSettings }
  | { type: 'memory'; id: number };

export type VideoTrainingResult = {
  type: 'result';
  id: number;
  loss: number;
  gradients: Float32Array[] | null;
  /** An 'episode' request's episode (its arrays transferred). */
  episode?: ImageEpisode;
  numTensors: number;
};
