import * as tf from '@tensorflow/tfjs-core';
import { clipToBounds, topK, type ActionBounds, type CandidateRepair, type IterationReport, isBatchObjective, type PlanningObjective } from './optimizer';
import { coloredNoise } from './colored-noise';
import { SamplingOptimizer } from './sampling-optimizer';

/** Settings of the cross-entropy method. */
export interface CemConfig {
  horizon: number;
  /** Candidates per iteration. */
  population: number;
  iterations: number;
  /** Share of the population kept as elites, in (0, 1]. */
  eliteFraction: number;
  /** Smoothing: new = α · old + (1 − α) · elite statistics (α = 0: no smoothing). */
  alpha: number;
  /** Initial standard deviation as a fraction of each action range. Default 0.25 (mbrl-lib: range/4). */
  initialStdFraction?: number;
  /** iCEM's colored noise: samples' deviations along the horizon have spectrum ∝ 1/f^β (0, the default: white). See {@link coloredNoise}. */
  noiseBeta?: number;
  /**
   * iCEM's kept elites: an iteration's this many best candidates join the next iteration's population
   * unperturbed, and the first iteration holds the warm start itself (the previous plan's rest), so a
   * good plan found earlier is scored again rather than lost to fresh noise. 0, the default: none.
   */
  keepElites?: number;
  /** Return the best candidate scored in any iteration instead of the last elites' mean (iCEM). Default false. */
  returnBest?: boolean;
  /**
   * Applied to every candidate after clipping to the bounds and before scoring, and to the answer, so
   * that the plan returned is one the robot really carries out (e.g. the pusher's slide limits,
   * mbrl/env/planar-push-limits.ts). Default: none.
   */
  repair?: CandidateRepair;
  seed: number;
}

/**
 * CEM: sample a Gaussian over action sequences, keep the elites, refit the Gaussian, repeat; the
 * answer is the mean of the final elites. Samples are clipped to the action bounds. The iCEM options
 * (Pinneri et al. 2020: colored noise, kept elites, the best candidate as the answer) are off by default.
 */
export class CemOptimizer extends SamplingOptimizer {
  constructor(readonly config: CemConfig, bounds: ActionBounds) {
    super(config.horizon, bounds, config.seed);
    if (config.eliteFraction <= 0 || config.eliteFraction > 1) throw new Error(`cem.eliteFraction: expected (0, 1], got ${config.eliteFraction}`);
  }

  async optimize(objective: PlanningObjective, initialMean: Float32Array, onIteration?: (r: IterationReport) => void): Promise<Float32Array> {
    const { horizon: H, population: N, iterations } = this.config;
    const A = this.actDim;
    const size = H * A;
    const mean = Float64Array.from(initialMean);
    const variance = new Float64Array(size);
    const frac = this.config.initialStdFraction ?? 0.25;
    for (let i = 0; i < size; i++) variance[i] = ((this.bounds.high[i % A] - this.bounds.low[i % A]) * frac) ** 2;
    const nElite = Math.max(1, Math.round(this.config.eliteFraction * N));
    let eliteMean = Float32Array.from(mean);
    const samples = new Float32Array(N * size);
    const beta = this.config.noiseBeta ?? 0;
    const keep = Math.min(this.config.keepElites ?? 0, N);
    if (!Number.isInteger(keep) || keep < 0) throw new Error(`cem.keepElites: expected a non-negative integer, got ${this.config.keepElites}`);
    // Candidates carried into the next iteration unperturbed: at first the warm start itself.
    let kept: Float32Array[] = keep > 0 ? [Float32Array.from(initialMean)] : [];
    // The best candidate scored so far (returnBest only).
    let best: { value: number; plan: Float32Array } | null = null;

    for (let it = 0; it < iterations; it++) {
      for (let n = 0; n < kept.length; n++) samples.set(kept[n], n * size);
      for (let n = kept.length; n < N; n++) {
        if (beta > 0) this.sampleColored(samples, n, mean, variance, beta);
        else for (let i = 0; i < size; i++) samples[n * size + i] = mean[i] + Math.sqrt(variance[i]) * this.rng.normal();
      }
      clipToBounds(samples, this.bounds);
      this.config.repair?.(samples, N, H, A);
      const returns = await evaluate(objective, samples, N, H, A);
      // One ranking serves the elites and the kept candidates (both are its head).
      const ranked = topK(returns, Math.max(nElite, keep));
      const elites = ranked.slice(0, nElite);
      if (this.config.returnBest && (!best || returns[elites[0]] > best.value)) best = { value: returns[elites[0]], plan: samples.slice(elites[0] * size, (elites[0] + 1) * size) };
      kept = ranked.slice(0, keep).map((e) => samples.slice(e * size, (e + 1) * size));
      const newMean = new Float64Array(size);
      for (const e of elites) for (let i = 0; i < size; i++) newMean[i] += samples[e * size + i] / nElite;
      const newVar = new Float64Array(size);
      for (const e of elites) for (let i = 0; i < size; i++) newVar[i] += (samples[e * size + i] - newMean[i]) ** 2 / nElite;
      const { alpha } = this.config;
      for (let i = 0; i < size; i++) {
        mean[i] = alpha * mean[i] + (1 - alpha) * newMean[i];
        variance[i] = alpha * variance[i] + (1 - alpha) * newVar[i];
      }
      eliteMean = Float32Array.from(newMean);
      let eliteSum = 0;
      for (const e of elites) eliteSum += returns[e];
      onIteration?.({ iteration: it + 1, iterations, bestReturn: returns[elites[0]], meanReturn: eliteSum / nElite });
    }
    if (best) return best.plan;
    clipToBounds(eliteMean, this.bounds);
    this.config.repair?.(eliteMean, 1, H, A);
    return eliteMean;
  }

  /** Candidate n of `samples` ([N, H, A]): the mean plus colored noise along H, per action dimension. */
  private sampleColored(samples: Float32Array, n: number, mean: Float64Array, variance: Float64Array, beta: number): void {
    const { horizon: H } = this.config;
    const A = this.actDim;
    for (let d = 0; d < A; d++) {
      const noise = coloredNoise(beta, H, this.rng);
      for (let h = 0; h < H; h++) {
        const j = h * A + d;
        samples[n * H * A + j] = mean[j] + Math.sqrt(variance[j]) * noise[h];
      }
    }
  }
}

/** Runs the objective on samples [N, H·A] and reads the returns back: [N]. */
export async function evaluate(objective: PlanningObjective, samples: Float32Array, N: number, H: number, A: number): Promise<Float32Array> {
  if (isBatchObjective(objective)) return objective.evaluateBatch(samples, N, H, A);
  const returns = tf.tidy(() => objective(tf.tensor3d(samples, [N, H, A])));
  const values = (await returns.data()) as Float32Array;
  returns.dispose();
  return values;
}
