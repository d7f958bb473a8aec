import type { EngineEvent, Request } from '../../protocol';

/** What a running job may do: talk to its client, report progress, and notice cancellation. */
export interface JobContext {
  readonly jobId: string;
  /** Aborted when the client cancels the job or disconnects. */
  readonly signal: AbortSignal;
  /** Sends an event to the client that started the job. */
  emit(event: EngineEvent): void;
  /** Reports `done` of `total` units of work; the ETA is derived from the elapsed time. */
  progress(done: number, total: number, message?: string): void;
}

/** A unit of engine work started by `job/start`. */
export interface Job {
  /** Runs to completion, or returns early once `ctx.signal` is aborted. Throws on failure. */
  run(ctx: JobContext): Promise<void>;
  /** Requests addressed to this job while it runs (e.g. `sim/command`). */
  handle?(request: Request): void;
}

/** Resolves after the event loop had a chance to deliver messages (so cancel requests get through). */
export const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** Resolves after `ms`, or early when the signal aborts. */
export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal.aborted) return resolve();
    const timer = setTimeout(done, Math.max(0, ms));
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
