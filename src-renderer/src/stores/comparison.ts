import { computed, shallowRef } from 'vue';
import type { RunSpec } from '@protocol';

export type Algorithm = RunSpec['algorithm'];

/** One run of a comparison: a label and how it changes the form's spec. */
export interface ComparisonVariant {
  /** Short, stable key (colour, chip, job label), e.g. "v1.0" or "DE". */
  id: string;
  /** Legend text, e.g. "DE (deterministic ensemble)". */
  label: string;
  /** The spec this variant runs, from the form's (validated) spec. */
  spec: (base: RunSpec) => RunSpec;
}

/** A comparison the Experiments view can start: variants run one after another, plotted together. */
export interface ComparisonDefinition {
  id: string;
  /** Button text and chart title. */
  title: string;
  /** Prefix of the job labels and of the status line ("Lecture run 2/3"). */
  short: string;
  /** What it runs, for the button's tooltip. */
  description: string;
  variants: readonly ComparisonVariant[];
}

/** The lecture's algorithms, in the order they run. */
export const LECTURE_ALGORITHMS: readonly Algorithm[] = ['v0.5', 'v1.0', 'v1.5'];

/** The lecture comparison: v0.5, v1.0 and v1.5 with the form's task, seed and sizes. */
export const LECTURE_COMPARISON: ComparisonDefinition = {
  id: 'lecture',
  title: 'Lecture comparison: v0.5 vs v1.0 vs v1.5',
  short: 'lecture',
  description: 'Run v0.5, v1.0 and v1.5 on this task and seed, one after another',
  variants: LECTURE_ALGORITHMS.map((algorithm) => ({ id: algorithm, label: algorithm, spec: (base: RunSpec) => ({ ...base, algorithm }) })),
};

/** Ensemble size of DE and PE when the form asks for a single model. */
export const DEFAULT_ENSEMBLE = 5;

/**
 * The form's model with `members` networks. The form's elites are kept only where its own
 * ensemble size is kept (they must not exceed the members); otherwise every member is used.
 */
function withMembers(model: RunSpec['model'], members: number, probabilistic: boolean): RunSpec['model'] {
  const { elites, ...rest } = model;
  return { ...rest, members, probabilistic, ...(elites !== undefined && members === model.members ? { elites } : {}) };
}

const ensembleSize = (base: RunSpec) => (base.model.members > 1 ? base.model.members : DEFAULT_ENSEMBLE);

/** MPC (v1.5) with an ensemble, TS∞ propagation; a probabilistic one samples its next states. */
function ensembleVariant(id: string, label: string, probabilistic: boolean): ComparisonVariant {
  return {
    id,
    label,
    spec: (base) => ({
      ...base,
      algorithm: 'v1.5',
      model: withMembers(base.model, ensembleSize(base), probabilistic),
      uncertainty: { ...base.uncertainty, propagation: 'tsinf', sample: probabilistic },
    }),
  };
}

/**
 * Model uncertainty: MPC (v1.5) with a deterministic single model, a deterministic ensemble and a
 * probabilistic ensemble (PETS: TS∞ propagation, sampled next states), same task, seed and sizes.
 */
export const UNCERTAINTY_COMPARISON: ComparisonDefinition = {
  id: 'uncertainty',
  title: 'Uncertainty: D vs DE vs PE',
  short: 'uncertainty',
  description: `Run MPC (v1.5) with one deterministic model, a deterministic ensemble and a probabilistic ensemble (PETS) on this task and seed, one after another; the ensembles have the form's members, or ${DEFAULT_ENSEMBLE} if it asks for one`,
  variants: [
    {
      id: 'D',
      label: 'D (single model)',
      spec: (base) => ({ ...base, algorithm: 'v1.5', model: withMembers(base.model, 1, false) }),
    },
    ensembleVariant('DE', 'DE (deterministic ensemble)', false),
    ensembleVariant('PE', 'PE (probabilistic ensemble, PETS)', true),
  ],
};

/** The comparisons offered in the Experiments view, in button order. */
export const COMPARISONS: readonly ComparisonDefinition[] = [LECTURE_COMPARISON, UNCERTAINTY_COMPARISON];

export function findComparison(id: string): ComparisonDefinition | null {
  return COMPARISONS.find((c) => c.id === id) ?? null;
}

/** One run of a started comparison. */
export interface ComparisonEntry {
  /** The variant's id ("v0.5", "DE", …). */
  id: string;
  /** The variant's legend text. */
  label: string;
  /** The spec it runs (the variant applied to the form's spec). */
  spec: RunSpec;
  algorithm: Algorithm;
  status: 'pending' | 'running' | 'done' | 'cancelled' | 'error';
  runId: string | null;
  /** Episode returns in order, random episodes included (see `policies`). */
  returns: number[];
  policies: Array<'random' | 'mpc'>;
}

export interface Comparison {
  /** The definition's id. */
  kind: string;
  title: string;
  /** For the status line, e.g. "lecture". */
  short: string;
  task: string;
  seed: number;
  entries: ComparisonEntry[];
}

/**
 * A comparison's bookkeeping, for use inside the experiments store: runs a definition's variants
 * one after another through `startRun` (the store's own start), each with its spec made from one
 * base spec, and collects each run's returns. The store forwards its job's events with the `on…`
 * functions.
 */
export function useComparison(startRun: (spec: RunSpec, label: string) => boolean) {
  const comparison = shallowRef<Comparison | null>(null);
  let index = -1;
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

  /** Starts `definition` from this spec (task, seed, sizes); returns whether the first run started. */
  function begin(definition: ComparisonDefinition, base: RunSpec): boolean {
    comparison.value = {
      kind: definition.id,
      title: definition.title,
      short: definition.short,
      task: base.task,
      seed: base.seed,
      entries: definition.variants.map((v) => {
        const spec = { ...v.spec(base), task: base.task, seed: base.seed };
        return { id: v.id, label: v.label, spec, algorithm: spec.algorithm, status: 'pending', runId: null, returns: [], policies: [] };
      }),
    };
    index = -1;
    return next();
  }

  function next(): boolean {
    const c = comparison.value;
    const entry = c?.entries[index + 1];
    if (!c || !entry) return false;
    index++;
    update(index, { status: 'running' });
    runStartedAt = performance.now();
    const ok = startRun(entry.spec, `${c.short}: ${entry.id}`);
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
