/**
 * What the evaluation commands (`latent`, `foresight`) set up alike before their first controller: the
 * run folder, the TensorFlow.js backend, a progress bar, Ctrl-C as cancel, and the machine facts their
 * result file records beside the numbers.
 */
import { mkdir } from 'node:fs/promises';
import { cpus, hostname } from 'node:os';
import { join, resolve } from 'node:path';
import { newRunId } from '../engine/run/runs-index';
import { chooseBackend, type BackendChoice } from '../engine/tf-backend';
import { ProgressBar } from './progress-bar';

/** An evaluation run in progress. */
export interface EvalRun {
  /** The run folder (absolute), created. */
  out: string;
  /** The backend the run computes on (e.g. 'wasm'). */
  backend: string;
  bar: ProgressBar;
  /** Aborted on the first SIGINT: the command stops after the current unit and keeps what it has. */
  abort: AbortController;
  /** The machine and start time, for the result file. */
  machine: { host: string; cpus: number; cpu: string | undefined };
  date: string;
  /** Stops listening for Ctrl-C. Why: a command called again in the same process (tests, a future batch) would otherwise add one more listener each time. */
  end(): void;
}

/**
 * Starts an evaluation run: `out` (default runs/<task>-<kind>-<id>) is created, the backend chosen.
 * @param kind the result's kind, part of a default folder name ('latent-eval', 'foresight-eval').
 */
export async function startEvalRun(task: string, kind: string, out: string | undefined, backend: BackendChoice | undefined): Promise<EvalRun> {
  const folder = resolve(out ?? join('runs', newRunId(task, kind)));
  await mkdir(folder, { recursive: true });
  const chosen = await chooseBackend(backend);
  const abort = new AbortController();
  const cancel = () => abort.abort();
  process.once('SIGINT', cancel);
  return {
    out: folder,
    backend: chosen.backend,
    bar: new ProgressBar(),
    abort,
    machine: { host: hostname(), cpus: cpus().length, cpu: cpus()[0]?.model },
    date: new Date().toISOString(),
    end: () => process.off('SIGINT', cancel),
  };
}
