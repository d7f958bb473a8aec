import { evaluate } from './cem-optimizer';
import { topK, type ActionBounds, type IterationReport, type PlanningObjective } from './optimizer';
import { SamplingOptimizer } from './sampling-optimizer';

/** Settings of random shooting. */
export interface RandomShootingConfig {
  horizon: number;
  /** Candidate sequences drawn uniformly inside the bounds. */
  population: number;
  seed: number;
}

/** Random shooting: draw uniform action sequences, keep the best one (the lecture's simplest planner). */
export class RandomShootingOptimizer extends SamplingOptimizer {
  constructor(readonly config: RandomShootingConfig, bounds: ActionBounds) {
    super(config.horizon, bounds, config.seed);
  }

  /** The initial mean is ignored except as candidate 0, so a good previous plan is never lost. */
  async optimize(objective: PlanningObjective, initialMean: Float32Array, onIteration?: (r: IterationReport) => void): Promise<Float32Array> {
    const { horizon: H, population: N } = this.config;
    const A = this.actDim;
    const size = H * A;
    const samples = new Float32Array(N * size);
    samples.set(initialMean.subarray(0, size));
    for (let i = size; i < samples.length; i++) samples[i] = this.rng.uniform(this.bounds.low[i % A], this.bounds.high[i % A]);
    const returns = await evaluate(objective, samples, N, H, A);
    const [best] = topK(returns, 1);
    onIteration?.({ iteration: 1, iterations: 1, bestReturn: returns[best], meanReturn: returns[best] });
    return samples.slice(best * size, (best + 1) * size);
  }
}
