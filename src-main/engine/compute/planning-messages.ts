import type { RowBlock } from '../../mbrl/models';

/**
 * Messages between the planning pool (main thread) and each planning worker. Arrays travel as
 * typed arrays (transferred, not copied, where the sender no longer needs them).
 */

/** What a worker is started with (workerData). */
export interface PlanningWorkerData {
  /** The backend the engine chose ('wasm', 'cpu', …), as a tf-backend BackendChoice; null: the engine's default order. */
  backend: string | null;
  /** Task id whose batched reward and termination the rollouts use. */
  task: string;
}

/** Candidates and start state shared by both evaluation kinds. */
interface Candidates {
  id: number;
  /** Start observation: [D]. */
  obs0: Float32Array;
  /** All candidates' action sequences: [N · H · A]. */
  samples: Float32Array;
  N: number;
  H: number;
  A: number;
}

export type PlanningRequest =
  | { type: 'model'; id: number; modelJson: Record<string, unknown>; weightData: ArrayBuffer }
  /** Return under the model of candidates [start, start + count): replies [count]. */
  | (Candidates & { type: 'model-return'; start: number; count: number })
  /** Summed rewards of a range of TS∞ particle rows: replies [Rb]. */
  | (Candidates & { type: 'particle-rows'; candidateOf: Int32Array; blocks: RowBlock[]; noise: Float32Array | null })
  | { type: 'memory'; id: number };

export type PlanningReply =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | { type: 'result'; id: number; values: Float32Array | null; numTensors: number }
  | { type: 'error'; id: number; message: string };
