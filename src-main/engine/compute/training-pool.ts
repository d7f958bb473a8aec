import { Worker } from 'node:worker_threads';
import type { TrainingReply, TrainingRequest, TrainingWorkerData } from './training-messages';
import { workerEntry } from './worker-entry';

/** Every training worker thread alive in this process (removed on its 'exit' event). */
const live = new Set<Worker>();

/** Training worker threads alive in this process right now. */
export function liveTrainingWorkers(): number {
  return live.size;
}

type Result = Extract<TrainingReply, { type: 'result' }>;
type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** One worker thread and the requests it has not answered yet. */
class TrainingThread {
  private readonly pending = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;
  readonly exited: Promise<void>;

  constructor(readonly worker: Worker) {
    live.add(worker);
    this.exited = new Promise((resolve) =>
      worker.once('exit', () => {
        live.delete(worker);
        this.fail(new Error('training worker exited'));
        resolve();
      }),
    );
    worker.on('message', (reply: TrainingReply) => {
      if (reply.type !== 'result' && reply.type !== 'error') return;
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.type === 'result') p.resolve(reply);
      else p.reject(new Error(`training worker: ${reply.message}`));
    });
    worker.on('error', (error) => this.fail(error));
  }

  request(message: DistributiveOmit<TrainingRequest, 'id'>, transfer: ArrayBuffer[] = []): Promise<Result> {
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

/**
 * A pool of training worker threads (node:worker_threads), each with its own tfjs backend
 * instance; during a fit each trains one group of ensemble members (pooled-training.ts decides
 * which). The same lifecycle as the planning pool: idle workers are unref'd, and dispose()
 * terminates every thread and resolves once each has exited.
 */
export class TrainingPool {
  private disposed: Promise<void> | null = null;

  private constructor(private readonly threads: TrainingThread[]) {}

  /** Starts `workers` threads loading `backend` (null: the default order) and waits until each is ready. */
  static async create(options: { workers: number; backend: string | null }): Promise<TrainingPool> {
    if (!Number.isInteger(options.workers) || options.workers < 1) throw new Error(`training pool: workers must be an integer ≥ 1, got ${options.workers}`);
    const entry = workerEntry('training-worker');
    const workerData: TrainingWorkerData = { backend: options.backend };
    const threads: TrainingThread[] = [];
    const started = Array.from({ length: options.workers }, () => {
      const worker = new Worker(entry.file, { workerData, argv: entry.argv, name: 'mbrl-lab training' });
      threads.push(new TrainingThread(worker));
      return new Promise<void>((resolve, reject) => {
        const onMessage = (m: TrainingReply) => {
          if (m.type === 'ready') resolve();
          else if (m.type === 'fatal') reject(new Error(m.message));
          else return;
          worker.off('message', onMessage);
          worker.unref();
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`training worker exited with code ${code} before it was ready`)));
      });
    });
    const pool = new TrainingPool(threads);
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
  request(w: number, message: DistributiveOmit<TrainingRequest, 'id'>, transfer: ArrayBuffer[] = []): Promise<Result> {
    if (this.disposed) return Promise.reject(new Error('training pool: already disposed'));
    return this.threads[w].request(message, transfer);
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
