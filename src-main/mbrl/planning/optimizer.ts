import type * as tf from '@tensorflow/tfjs-core';

/**
 * Scores candidate action sequences: actions [N, H, A] → returns [N] (higher is better).
 * Optimizers see only this, never a model (mbrl-lib's trajectory_opt idea).
 */
export type Objective = (actions: tf.Tensor3D) => tf.Tensor1D;

/**
 * An objective that scores candidates given as a host array, possibly somewhere else (e.g. a pool of
 * worker threads): samples [N · H · A] row-major → returns [N]. It must return exactly what the
 * equivalent {@link Objective} would, so that a seeded planner plans the same either way.
 */
export interface BatchObjective {
  evaluateBatch(samples: Float32Array, N: number, H: number, A: number): Promise<Float32Array>;
}

/** What an optimizer accepts: a tensor objective run on this thread, or a batch objective. */
export type PlanningObjective = Objective | BatchObjective;

export function isBatchObjective(objective: PlanningObjective): objective is BatchObjective {
  return typeof (objective as BatchObjective).evaluateBatch === 'function';
}

/** Per-dimension action bounds: [A] each. */
export interface ActionBounds {
  low: Float32Array;
  high: Float32Array;
}

/**
 * Makes candidate action sequences what the robot will really do, in place: samples [N, H, A]
 * row-major. E.g. a velocity command that drives a joint into its limit moves nothing there, so a
 * model that does not know the limit should not be asked what that command does (see
 * {@link CemConfig.repair}).
 */
export type CandidateRepair = (samples: Float32Array, N: number, H: number, A: number) => void;

/** Reported after each optimizer iteration (for "planning progress" displays). */
export interface IterationReport {
  iteration: number;
  iterations: number;
  /** Best return among this iteration's candidates. */
  bestReturn: number;
  /** Mean return of the elites (CEM) or the weighted mean (MPPI). */
  meanReturn: number;
}

/** A sampling-based trajectory optimizer over a fixed horizon. */
export interface Optimizer {
  readonly horizon: number;
  readonly actDim: number;
  /**
   * Finds a good action sequence: [H · A] row-major (step-major), inside the bounds.
   * `initialMean` ([H · A]) warm-starts the search (e.g. the previous plan shifted by one step).
   */
  optimize(objective: PlanningObjective, initialMean: Float32Array, onIteration?: (r: IterationReport) => void): Promise<Float32Array>;
}

/** Clips x in place to the per-dimension bounds; x is [.., A] row-major. */
export function clipToBounds(x: Float32Array, bounds: ActionBounds): Float32Array {
  const A = bounds.low.length;
  for (let i = 0; i < x.length; i++) {
    const d = i % A;
    if (x[i] < bounds.low[d]) x[i] = bounds.low[d];
    else if (x[i] > bounds.high[d]) x[i] = bounds.high[d];
  }
  return x;
}

/** Indices of the `k` largest values, largest first. */
export function topK(values: ArrayLike<number>, k: number): number[] {
  const idx = Array.from({ length: values.length }, (_, i) => i);
  // NaN returns (a diverged model) sort last instead of poisoning the elites.
  const key = (i: number) => (Number.isNaN(values[i]) ? -Infinity : values[i]);
  idx.sort((a, b) => key(b) - key(a) || a - b);
  return idx.slice(0, k);
}
