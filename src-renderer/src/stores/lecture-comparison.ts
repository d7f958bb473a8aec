import { computed, shallowRef } from 'vue';
import type { RunSpec } from '@protocol';

export type Algorithm = RunSpec['algorithm'];

/** One run of the lecture comparison. */
export interface ComparisonEntry {
  algorithm: Algorithm;
  label: string;
  status: 'pending' | 'running' | 'done' | 'cancelled' | 'error';
  runId: string | null;
  /** Episode returns in order, random episodes included (see `policies`). */
  returns: number[];
  policies: Array<'random' | 'mpc'>;
}

export interface Comparison {
  task: string;
  seed: number;
  entries: ComparisonEntry[];
}

/** The algorithms of the lecture comparison, in the order they run. */
export const LECTURE_ALGORITHMS: readonly Algorithm[] = ['v0.5', 'v1.0', 'v1.5'];

/**
 * The lecture comparison's bookkeeping, for use inside the experiments store: runs v0.5, v1.0 and
 * v1.5 one after another through `startRun` (the store's own start) with one base spec, and
 * collects each run's returns. The store forwards its job's events with the `on…` functions.
 */
export function useLectureComparison(startRun: (spec: RunSpec, label: string) => boolean) {
  const comparison = shallowRef<Comparison | null>(null);
  let index = -1;
  let base: RunSpec | null = null;
  /** When the current run started (ms, performance clock), for the overall ETA. */
  let runStartedAt = 0;
  const comparing = computed(() => comparison.value?.entries.some((e) => e.status === 'running' || e.status === 'pending') ?? false);

  function update(i: number, change: Partial<ComparisonEntry>): void {
    const c = comparison.value;
    if (c) comparison.value = { ...c, entries: c.entries.map((e, j) => (j === i ? { ...e, ...change } : e)) };
  }

  const current = (): ComparisonEntry | null => {
    const entry = comparison.value?.entries[index];
    return entry?.status === 'running' ? entry : null;
  };

  /** Starts the comparison with this spec's task, seed and sizes; returns whether the first run started. */
  function begin(spec: RunSpec): boolean {
    base = spec;
    comparison.value = {
      task: spec.task,
      seed: spec.seed,
      entries: LECTURE_ALGORITHMS.map((algorithm) => ({ algorithm, label: `lecture: ${algorithm}`, status: 'pending', runId: null, returns: [], policies: [] })),
    };
    index = -1;
    return next();
  }

  function next(): boolean {
    const entry = comparison.value?.entries[index + 1];
    if (!entry || !base) return false;
    index++;
    update(index, { status: 'running' });
    runStartedAt = performance.now();
    const ok = startRun({ ...base, algorithm: entry.algorithm }, entry.label);
    if (!ok) stop('error');
    return ok;
  }

  /** Marks every unfinished run with `status`; nothing more is started. */
  function stop(status: 'cancelled' | 'error'): void {
    const c = comparison.value;
    if (c) comparison.value = { ...c, entries: c.entries.map((e) => (e.status === 'running' || e.status === 'pending' ? { ...e, status } : e)) };
  }

  /** Forgets the comparison (a single run replaces it). */
  function clear(): void {
    comparison.value = null;
    index = -1;
  }

  function onRunFolder(runId: string): void {
    if (current()) update(index, { runId });
  }

  function onEpisode(value: number, policy: 'random' | 'mpc'): void {
    const entry = current();
    if (entry) update(index, { returns: [...entry.returns, value], policies: [...entry.policies, policy] });
  }

  /** The current run ended: on success the next one starts, otherwise the comparison stops. */
  function onJobEnd(end: 'done' | 'cancelled' | 'error'): void {
    if (!current()) return;
    if (end !== 'done') return stop(end);
    update(index, { status: 'done' });
    next();
  }

  /**
   * Share of the whole comparison done, 0…1, and seconds left, from the current run's progress;
   * each remaining run is assumed to take as long as this one. Null while no comparison runs.
   */
  function overall(done: number, total: number, etaSeconds: number | null): { fraction: number; etaSeconds: number | null } | null {
    const c = comparison.value;
    if (!c || index < 0) return null;
    const part = total > 0 ? Math.min(1, done / total) : 0;
    const remaining = Math.max(0, c.entries.length - index - 1);
    let eta = etaSeconds;
    if (eta !== null && remaining > 0) eta += remaining * ((performance.now() - runStartedAt) / 1000 + eta);
    return { fraction: (index + part) / c.entries.length, etaSeconds: eta };
  }

  return { comparison, comparing, begin, stop, clear, onRunFolder, onEpisode, onJobEnd, overall };
}
