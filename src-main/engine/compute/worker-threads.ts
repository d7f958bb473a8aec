import { Worker } from 'node:worker_threads';
import { workerEntry } from './worker-entry';

/** Omit over each member of a union (keeps a discriminated union discriminated). */
export type DistributiveOmit<T, K extends PropertyKey> = T extends unknown ? Omit<T, K> : never;

/** What every compute worker answers: ready/fatal once at start, then one result or error per request id. */
export type WorkerReply<Result extends { type: 'result'; id: number }> =
  | { type: 'ready' }
  | { type: 'fatal'; message: string }
  | Result
  | { type: 'error'; id: number; message: string };

/** One worker thread and the requests it has not answered yet. */
class WorkerThread<Request, Result extends { type: 'result'; id: number }> {
  private readonly pending = new Map<number, { resolve: (r: Result) => void; reject: (e: Error) => void }>();
  private nextId = 1;
  private failure: Error | null = null;
  readonly exited: Promise<void>;

  constructor(readonly worker: Worker, label: string, live: Set<Worker>) {
    live.add(worker);
    this.exited = new Promise((resolve) =>
      worker.once('exit', () => {
        live.delete(worker);
        this.fail(new Error(`${label} worker exited`));
        resolve();
      }),
    );
    worker.on('message', (reply: WorkerReply<Result>) => {
      if (reply.type !== 'result' && reply.type !== 'error') return;
      const p = this.pending.get(reply.id);
      if (!p) return;
      this.pending.delete(reply.id);
      if (this.pending.size === 0) worker.unref();
      if (reply.type === 'result') p.resolve(reply as Result);
      else p.reject(new Error(`${label} worker: ${(reply as { message: string }).message}`));
    });
    worker.on('error', (error) => this.fail(error));
  }

  /** Sends a request (id assigned here) and resolves with its result. */
  request(message: DistributiveOmit<Request, 'id'>, transfer: ArrayBuffer[]): Promise<Result> {
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
 * The worker threads of one compute pool (node:worker_threads; the planning and the training pool
 * each own one): started from a built or source entry, each with its own tfjs backend; requests
 * carry ids and are answered in any order; idle workers are unref'd, so a process that exits is never
 * held up by them; dispose() terminates every thread and resolves once each has exited.
 */
export class WorkerThreads<Request, Result extends { type: 'result'; id: number }> {
  private disposed: Promise<void> | null = null;

  private constructor(
    private readonly threads: WorkerThread<Request, Result>[],
    private readonly label: string,
  ) {}

  /**
   * Starts `count` threads of the entry `entryName` (worker-entry.ts) with `workerData` and waits until
   * each has said 'ready'; a 'fatal' or an early exit rejects after every started thread has ended.
   * `live` is the caller's set of its kind's threads (for leak checks).
   */
  static async start<Request, Result extends { type: 'result'; id: number }>(options: {
    count: number;
    entryName: string;
    workerData: unknown;
    label: string;
    live: Set<Worker>;
  }): Promise<WorkerThreads<Request, Result>> {
    const { count, label } = options;
    if (!Number.isInteger(count) || count < 1) throw new Error(`${label} pool: workers must be an integer ≥ 1, got ${count}`);
    const entry = workerEntry(options.entryName);
    const threads: WorkerThread<Request, Result>[] = [];
    const started = Array.from({ length: count }, () => {
      const worker = new Worker(entry.file, { workerData: options.workerData, argv: entry.argv, name: `mbrl-lab ${label}` });
      threads.push(new WorkerThread<Request, Result>(worker, label, options.live));
      return new Promise<void>((resolve, reject) => {
        const onMessage = (m: WorkerReply<Result>) => {
          if (m.type === 'ready') resolve();
          else if (m.type === 'fatal') reject(new Error((m as { message: string }).message));
          else return;
          worker.off('message', onMessage);
          worker.unref();
        };
        worker.on('message', onMessage);
        worker.once('error', reject);
        worker.once('exit', (code) => reject(new Error(`${label} worker exited with code ${code} before it was ready`)));
      });
    });
    const pool = new WorkerThreads(threads, label);
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
  request(w: number, message: DistributiveOmit<Request, 'id'>, transfer: ArrayBuffer[] = []): Promise<Result> {
    if (this.disposed) return Promise.reject(new Error(`${this.label} pool: already disposed`));
    return this.threads[w].request(message, transfer);
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
