import { Rng } from '../util';
import type { ActionBounds, IterationReport, Optimizer, PlanningObjective } from './optimizer';

/**
 * What every sampling-based optimizer shares: a horizon, the action bounds and a seeded stream of
 * random numbers (so a planner with a seed is reproducible).
 */
export abstract class SamplingOptimizer implements Optimizer {
  protected readonly rng: Rng;

  constructor(readonly horizon: number, protected readonly bounds: ActionBounds, seed: number) {
    this.rng = new Rng(seed);
  }

  get actDim(): number {
    return this.bounds.low.length;
  }

  abstract optimize(objective: PlanningObjective, initialMean: Float32Array, onIteration?: (r: IterationReport) => void): Promise<Float32Array>;
}
