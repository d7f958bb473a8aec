import { Worker } from 'node:worker_threads';
import type { ModelArtifacts } from '../../mbrl/models';
import type { PlanningReply, PlanningRequest, PlanningWorkerData } from './planning-messages';
import { workerEntry } from './worker-entry';

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

interface Pending {
  resolve: (reply: Extract<PlanningReply, { type: 'result' }>) => void;
  reject: (error: Error) => void;
}

/** One worker thread and the requests it has not answered yet. */
class PlanningThread {
  readonly pending = new Map<number, Pending>();
  private nextId = 1;
  private failure: Error | null = null;
  readonly exited: Promise<void>;

  constructor(readonly worker: Worker) {
    live.add(worker);
    this.exited = new Promise((resolve) => worker.once('exit', () => {
      live.delete(worker);
      this.fail(new Error('planning worker exited'));
      resolve();
    }));
    worker.on('message', (reply: PlanningReply) => {
      if (reply.type !== 'result' && reply.type !== 'error') return;
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.type === 'result') p.resolve(reply);
      else p.reject(new Error(`planning worker: ${reply.message}`));
    });
    worker.on('error', (error) => this.fail(error));
  }

  /** Sends a request (id assigned here) and resolves with its result. */
  request(message: DistributiveOmit<PlanningRequest, 'id'>, transfer: ArrayBuffer[] = []): Promise<Extract<PlanningReply, { type: 'result' }>> {
    if (this.failure) return Promise.reject(this.failure);
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      // A busy worker keeps the process alive (the CLI awaits it); an idle one does not.
      this.worker.ref();
      this.worker.postMessage({ ...message, id }, transfer);
    });
  }

  private fail(error: Error): void {
    this.failure ??= error;
    for (const p of this.pending.values()) p.reject(this.failure);
    this.pending.clear();
  }
}

type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/**
 * A pool of planning worker threads (node:worker_threads), each with its own tfjs backend instance
 * and its own copy of the model. The pool only moves messages; what is computed where is decided by
 * {@link PooledPlanning}. Dispose it when the job ends: the threads are terminated and awaited.
 * Idle workers are unref'd, so a process that exits (engine shutdown, the end of `mbrl-lab run`) is
 * never held up by them, and its threads end with it.
 */
export class PlanningPool {
  private disposed: Promise<void> | null = null;

  private constructor(private readonly threads: PlanningThread[]) {}

  /** Starts the workers and waits until each has loaded its backend. */
  static async create(options: PlanningPoolOptions): Promise<PlanningPool> {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new Error(`planning pool: workers must be an integer ≥ 1, got ${options.workers}`);
    const entry = workerEntry('planning-worker');
    const workerData: PlanningWorkerData = { backend: options.backend, task: options.task };
    const threads: PlanningThread[] = [];
    const started = Array.from({ length: options.workers }, () => {
      const worker = new Worker(entry.file, { workerData, argv: entry.argv, name: 'mbrl-lab planning' });
      threads.push(new PlanningThread(worker));
      return new Promise<void>((resolve, reject) => {
        const onMessage = (m: PlanningReply) => {
          if (m.type === 'ready') resolve();
          else if (m.type === 'fatal') reject(new Error(m.message));
          else return;
          worker.off('message', onMessage);
          worker.unref();
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`planning worker exited with code ${code} before it was ready`)));
      });
    });
    const pool = new PlanningPool(threads);
    try {
      await Promise.all(started);
    } catch (error) {
      await pool.dispose();
      throw error;
    }
    return pool;
  }

  /** Number of worker threads. */
  get size(): number {
    return this.threads.length;
  }

  get isDisposed(): boolean {
    return this.disposed !== null;
  }

  /** Sends one request to worker `w`. */
  request(w: number, message: DistributiveOmit<PlanningRequest, 'id'>, transfer: ArrayBuffer[] = []) {
    if (this.disposed) return Promise.reject(new Error('planning pool: already disposed'));
    return this.threads[w].request(message, transfer);
  }

  /** Gives every worker its own copy of the model (the weights are transferred, one copy per worker). */
  async setModel(artifacts: ModelArtifacts): Promise<void> {
    await Promise.all(this.threads.map((_, w) => {
      const weightData = artifacts.weightData.slice(0);
      return this.request(w, { type: 'model', modelJson: artifacts.modelJson, weightData }, [weightData]);
    }));
  }

  /** tf.memory().numTensors in each worker. */
  async workerTensors(): Promise<number[]> {
    return Promise.all(this.threads.map((_, w) => this.request(w, { type: 'memory' }).then((r) => r.numTensors)));
  }

  /** Terminates the workers (pending requests are rejected) and resolves once every thread has exited. */
  dispose(): Promise<void> {
    this.disposed ??= (async () => {
      await Promise.all(this.threads.map((t) => t.worker.terminate()));
      await Promise.all(this.threads.map((t) => t.exited));
    })();
    return this.disposed;
  }
}
