import type { Worker } from 'node:worker_threads';
import type { TrainingReply, TrainingRequest, TrainingWorkerData } from './training-messages';
import { type DistributiveOmit, WorkerThreads } from './worker-threads';

/** Every training worker thread alive in this process (removed on its 'exit' event). */
const live = new Set<Worker>();

/** Training worker threads alive in this process right now. */
export function liveTrainingWorkers(): number {
  return live.size;
}

type Result = Extract<TrainingReply, { type: 'result' }>;

/**
 * A pool of training worker threads (node:worker_threads), each with its own tfjs backend
 * instance; during a fit each trains one group of ensemble members (pooled-training.ts decides
 * which). The same lifecycle as the planning pool: idle workers are unref'd, and dispose()
 * terminates every thread and resolves once each has exited.
 */
export class TrainingPool {
  private constructor(private readonly threads: WorkerThreads<TrainingRequest, Result>) {}

  /** Starts `workers` threads loading `backend` (null: the default order) and waits until each is ready. */
  static async create(options: { workers: number; backend: string | null }): Promise<TrainingPool> {
    const workerData: TrainingWorkerData = { backend: options.backend };
    return new TrainingPool(await WorkerThreads.start<TrainingRequest, Result>({ count: options.workers, entryName: 'training-worker', workerData, label: 'training', live }));
  }

  /** Number of worker threads. */
  get size(): number {
    return this.threads.size;
  }

  get isDisposed(): boolean {
    return this.threads.isDisposed;
  }

  /** Sends one request to worker `w`. */
  request(w: number, message: DistributiveOmit<TrainingRequest, 'id'>, transfer: ArrayBuffer[] = []): Promise<Result> {
    return this.threads.request(w, message, transfer);
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
