import type { Worker } from 'node:worker_threads';
import type { ModelArtifacts } from '../../mbrl/models';
import type { PlanningReply, PlanningRequest, PlanningWorkerData } from './planning-messages';
import { type DistributiveOmit, WorkerThreads } from './worker-threads';

/** Every planning worker thread alive in this process (removed on its 'exit' event). */
const live = new Set<Worker>();

/** Planning worker threads alive in this process right now. */
export function livePlanningWorkers(): number {
  return live.size;
}

/** Settings of a {@link PlanningPool}. */
export interface PlanningPoolOptions {
  /** Worker threads (≥ 1). */
  workers: number;
  /** Task id whose batched reward the workers use. */
  task: string;
  /** Backend for every worker: the one the engine chose (tf-backend's BackendChoice); null: default order. */
  backend: string | null;
}

type Result = Extract<PlanningReply, { type: 'result' }>;

/**
 * A pool of planning worker threads (node:worker_threads), each with its own tfjs backend instance
 * and its own copy of the model. The pool only moves messages; what is computed where is decided by
 * {@link PooledPlanning}. Dispose it when the job ends: the threads are terminated and awaited.
 * Idle workers are unref'd, so a process that exits (engine shutdown, the end of `mbrl-lab run`) is
 * never held up by them, and its threads end with it.
 */
export class PlanningPool {
  private constructor(private readonly threads: WorkerThreads<PlanningRequest, Result>) {}

  /** Starts the workers and waits until each has loaded its backend. */
  static async create(options: PlanningPoolOptions): Promise<PlanningPool> {
    const workerData: PlanningWorkerData = { backend: options.backend, task: options.task };
    return new PlanningPool(await WorkerThreads.start<PlanningRequest, Result>({ count: options.workers, entryName: 'planning-worker', workerData, label: 'planning', live }));
  }

  /** Number of worker threads. */
  get size(): number {
    return this.threads.size;
  }

  get isDisposed(): boolean {
    return this.threads.isDisposed;
  }

  /** Sends one request to worker `w`. */
  request(w: number, message: DistributiveOmit<PlanningRequest, 'id'>, transfer: ArrayBuffer[] = []): Promise<Result> {
    return this.threads.request(w, message, transfer);
  }

  /** Gives every worker its own copy of the model (the weights are transferred, one copy per worker). */
  async setModel(artifacts: ModelArtifacts): Promise<void> {
    await Promise.all(Array.from({ length: this.size }, (_, w) => {
      const weightData = artifacts.weightData.slice(0);
      return this.request(w, { type: 'model', modelJson: artifacts.modelJson, weightData }, [weightData]);
    }));
  }

  /** tf.memory().numTensors in each worker. */
  async workerTensors(): Promise<number[]> {
    return Promise.all(Array.from({ length: this.size }, (_, w) => this.request(w, { type: 'memory' }).then((r) => r.numTensors)));
  }

  /** Terminates the workers (pending requests are rejected) and resolves once every thread has exited. */
  dispose(): Promise<void> {
    return this.threads.dispose();
  }
}
