import { evaluate } from './cem-optimizer';
import { clipToBounds, type ActionBounds, type IterationReport, type PlanningObjective } from './optimizer';
import { SamplingOptimizer } from './sampling-optimizer';

/** Settings of MPPI with PDDM's filtered noise (Nagabandi et al. 2019). */
export interface MppiConfig {
  horizon: number;
  population: number;
  /** Refinements per call; PDDM uses 1 with a warm start every step. */
  iterations: number;
  /** γ: reward-weighting sharpness; weights ∝ exp(γ · (R − max R)). */
  temperature: number;
  /** σ of the per-step Gaussian noise, in action units. */
  noiseStd: number;
  /** β ∈ (0, 1]: filter coefficient; ñ_t = β n_t + (1 − β) ñ_{t−1}. 1 = white noise; smaller = smoother. */
  beta: number;
  seed: number;
}

/**
 * MPPI: perturb the mean with temporally filtered noise, weight each candidate by the exponentiated
 * return, and move the mean to the weighted average (a soft, reward-weighted CEM).
 */
export class MppiOptimizer extends SamplingOptimizer {
  constructor(readonly config: MppiConfig, bounds: ActionBounds) {
    super(config.horizon, bounds, config.seed);
    if (!(config.beta > 0 && config.beta <= 1)) throw new Error(`mppi.beta: expected (0, 1], got ${config.beta}`);
  }

  async optimize(objective: PlanningObjective, initialMean: Float32Array, onIteration?: (r: IterationReport) => void): Promise<Float32Array> {
    const { horizon: H, population: N, iterations, temperature, noiseStd, beta } = this.config;
    const A = this.actDim;
    const size = H * A;
    const mean = Float32Array.from(initialMean);
    const samples = new Float32Array(N * size);
    for (let it = 0; it < iterations; it++) {
      for (let n = 0; n < N; n++) {
        for (let d = 0; d < A; d++) {
          let filtered = 0;
          for (let t = 0; t < H; t++) {
            filtered = beta * noiseStd * this.rng.normal() + (1 - beta) * filtered;
            samples[n * size + t * A + d] = mean[t * A + d] + filtered;
          }
        }
      }
      clipToBounds(samples, this.bounds);
      const returns = await evaluate(objective, samples, N, H, A);
      let maxR = -Infinity;
      for (const r of returns) if (r > maxR) maxR = r;
      const weights = new Float64Array(N);
      let total = 0;
      for (let n = 0; n < N; n++) {
        weights[n] = Number.isNaN(returns[n]) ? 0 : Math.exp(temperature * (returns[n] - maxR));
        total += weights[n];
      }
      const next = new Float64Array(size);
      let weightedReturn = 0;
      for (let n = 0; n < N; n++) {
        const w = weights[n] / total;
        weightedReturn += w * returns[n];
        for (let i = 0; i < size; i++) next[i] += w * samples[n * size + i];
      }
      mean.set(next);
      onIteration?.({ iteration: it + 1, iterations, bestReturn: maxR, meanReturn: weightedReturn });
    }
    return clipToBounds(mean, this.bounds);
  }
}
