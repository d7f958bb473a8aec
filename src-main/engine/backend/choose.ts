import * as tf from '@tensorflow/tfjs-core';
import { type BackendFingerprint, backendFingerprint, emptyBackendFile, measurementFor, readBackendFile, writeBackendFile, type BackendFile } from './choice-cache';
import { BACKEND_PREFERENCE, reasonOf, type BackendChoice, type BackendReport, type BackendTiming, type LoadedBackend, type LoaderTable } from './choices';
import { DEFAULT_LOADERS } from './loaders';
import { timePlanningForward } from './self-benchmark';

/** How {@link chooseBackend} chooses when no backend is forced. */
export interface ChooseOptions {
  /** Load every backend, time each on the planning shapes and take the fastest (the engine at start). Default: the first that loads. */
  selfBenchmark?: boolean;
  /** The machine's backend file: a measurement there is reused while its fingerprint matches; a new one is written there. */
  cacheFile?: string;
  /** Measure again even when a stored measurement matches. */
  remeasure?: boolean;
  /** Backends the automatic choice passes over, with the reason (default {@link NAMED_ONLY}). */
  namedOnly?: Partial<Record<BackendChoice, string>>;
  /** A software WebGPU adapter may be used. Default: only when WebGPU is forced by name. */
  allowSoftware?: boolean;
  /** Loaders by provider, over the real ones (tests make backends fail to load this way). */
  loaders?: Partial<LoaderTable>;
  /** Times the active backend (`provider`'s): ms per planning forward pass (default {@link timePlanningForward}). */
  measure?: (provider: BackendChoice) => Promise<number>;
  /** This machine's fingerprint (default {@link backendFingerprint}). */
  fingerprint?: () => BackendFingerprint;
  /** A measurement must be at least this much faster than a more preferred backend to win (default 0.05: noise). */
  margin?: number;
  /** Warnings, e.g. an unreadable backend file (default: stderr). */
  warn?: (line: string) => void;
}

/**
 * Backends the automatic choice passes over, with the reason; each is used when named (`--backend`,
 * the settings view). WebGPU in Node cannot read a tensor synchronously, and the latent (E2C) planners
 * and jobs and the true-simulator baseline objective still do (the MLP, PETS and visual-foresight
 * paths read asynchronously). On an H100 it also planned the cart-pole MLP 3× slower than wasm
 * (bench/RESULTS.md, 2026-11-26), though its forward-pass unit measured faster, so the self-benchmark
 * would have picked it for every job.
 */
export const NAMED_ONLY: Partial<Record<BackendChoice, string>> = {
  webgpu: 'used only when asked for by name (--backend webgpu): parts of the engine read tensors synchronously, which WebGPU in Node cannot',
};

/**
 * Picks the tfjs backend and makes it the active one. With `only` (the CLI's --backend, a setting),
 * loads just that one or throws with the reason. Otherwise tries tfjs-node-gpu → webgpu → tfjs-node →
 * wasm → cpu: the first that loads, or with `selfBenchmark` the fastest of those that load, reusing the
 * measurement stored in `cacheFile` while the installed backends are unchanged. A software WebGPU
 * adapter is never picked unless `only` is 'webgpu' or `allowSoftware` is set.
 */
export async function chooseBackend(only?: BackendChoice, options: ChooseOptions = {}): Promise<BackendReport> {
  const loaders: LoaderTable = { ...DEFAULT_LOADERS, ...options.loaders };
  const warn = options.warn ?? ((line: string) => console.error(`[engine] ${line}`));
  const attempts: string[] = [];
  const failures = new Map<BackendChoice, string>();
  const tryLoad = async (choice: BackendChoice, allowSoftware: boolean, named = false): Promise<LoadedBackend | null> => {
    const namedOnly = (options.namedOnly ?? NAMED_ONLY)[choice];
    if (namedOnly && !named) {
      attempts.push(`${choice}: ${namedOnly}`);
      failures.set(choice, namedOnly);
      return null;
    }
    try {
      return await loaders[choice]({ allowSoftware });
    } catch (error) {
      attempts.push(`${choice}: ${reasonOf(error)}`);
      failures.set(choice, reasonOf(error));
      return null;
    }
  };
  const activate = async (loaded: LoadedBackend) => {
    if (!(await tf.setBackend(loaded.backend))) throw new Error(`${loaded.backend} backend did not start`);
  };
  const report = (provider: BackendChoice, loaded: LoadedBackend, source: BackendReport['source'], timings: BackendTiming[]): BackendReport => ({
    backend: loaded.backend,
    provider,
    attempts,
    device: loaded.device,
    software: loaded.software,
    source,
    timings,
  });
  const noBackend = () => new Error(`no TensorFlow.js backend could be loaded (${attempts.join('; ')})`);

  if (only) {
    const loaded = await tryLoad(only, options.allowSoftware ?? only === 'webgpu', true);
    if (!loaded) throw noBackend();
    await activate(loaded);
    attempts.push(`${only}: in use`);
    return report(only, loaded, 'override', [{ provider: only }]);
  }

  const allowSoftware = options.allowSoftware ?? false;
  const fingerprint = (options.fingerprint ?? backendFingerprint)();
  let file: BackendFile = emptyBackendFile();
  if (options.selfBenchmark && options.cacheFile) {
    file = await readBackendFile(options.cacheFile, warn);
    const stored = options.remeasure ? null : measurementFor(file, fingerprint);
    if (stored) {
      const loaded = await tryLoad(stored.choice, allowSoftware);
      if (loaded) {
        await activate(loaded);
        attempts.push(`${stored.choice}: in use (measured fastest on this machine, ${stored.at.slice(0, 10)})`);
        return report(stored.choice, loaded, 'cache', stored.timings);
      }
    } else if (file.measured && !options.remeasure) {
      attempts.push('stored measurement is out of date (backend packages or runtime changed): measured again');
    }
  }

  const candidates: Array<{ choice: BackendChoice; loaded: LoadedBackend }> = [];
  for (const choice of BACKEND_PREFERENCE) {
    const loaded = await tryLoad(choice, allowSoftware);
    if (!loaded) continue;
    if (!options.selfBenchmark) {
      await activate(loaded);
      attempts.push(`${choice}: in use`);
      return report(choice, loaded, 'preference', timingsOf(new Map(), failures));
    }
    candidates.push({ choice, loaded });
  }
  if (candidates.length === 0) throw noBackend();

  const measure = options.measure ?? (() => timePlanningForward());
  const measured = new Map<BackendChoice, number>();
  for (const c of candidates) {
    try {
      await activate(c.loaded);
      measured.set(c.choice, await measure(c.choice));
    } catch (error) {
      failures.set(c.choice, `loaded but failed the benchmark: ${reasonOf(error)}`);
      attempts.push(`${c.choice}: ${failures.get(c.choice)}`);
    }
  }
  // In preference order, a later backend wins only when clearly faster (timings of a few hundred ms are noisy).
  const margin = options.margin ?? 0.05;
  let winner: (typeof candidates)[number] | null = null;
  for (const c of candidates) {
    const ms = measured.get(c.choice);
    if (ms === undefined) continue;
    if (!winner || ms < measured.get(winner.choice)! * (1 - margin)) winner = c;
  }
  if (!winner) throw noBackend();
  await activate(winner.loaded);
  for (const c of candidates) {
    const ms = measured.get(c.choice);
    if (ms !== undefined && c !== winner) attempts.push(`${c.choice}: ${ms.toFixed(2)} ms per planning forward pass`);
  }
  attempts.push(`${winner.choice}: in use (fastest: ${measured.get(winner.choice)!.toFixed(2)} ms per planning forward pass)`);
  const timings = timingsOf(measured, failures);
  if (options.cacheFile) {
    const next: BackendFile = { ...file, measured: { fingerprint, choice: winner.choice, device: winner.loaded.device, timings, at: new Date().toISOString() } };
    await writeBackendFile(options.cacheFile, next).catch((error: unknown) => warn(`${options.cacheFile}: could not store the backend measurement (${reasonOf(error)})`));
  }
  return report(winner.choice, winner.loaded, 'benchmark', timings);
}

/** Per provider in preference order: its measurement or why it is unavailable (omitted when not tried). */
function timingsOf(measured: Map<BackendChoice, number>, failures: Map<BackendChoice, string>): BackendTiming[] {
  const out: BackendTiming[] = [];
  for (const provider of BACKEND_PREFERENCE) {
    const ms = measured.get(provider);
    const note = failures.get(provider);
    if (ms !== undefined) out.push({ provider, ms });
    else if (note !== undefined) out.push({ provider, note });
  }
  return out;
}

/** A one-line summary for logs and the UI, e.g. "wasm: wasm (SIMD, 1 thread) (tfjs-node-gpu: not installed; ...)". */
export function describeBackend(report: BackendReport): string {
  const passed = report.attempts.filter((a) => !a.startsWith(`${report.provider}: in use`));
  const head = `${report.provider}: ${report.device}`;
  return passed.length ? `${head} (${passed.join('; ')})` : head;
}
