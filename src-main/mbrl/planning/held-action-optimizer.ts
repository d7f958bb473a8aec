import { evaluate } from './cem-optimizer';
import type { ActionBounds, BatchObjective, IterationReport, Optimizer, PlanningObjective } from './optimizer';

/**
 * Plans over actions held for `hold` steps each (as visual MPC does, Ebert et al. 2018): the inner
 * optimizer searches H / hold distinct actions, and every candidate is expanded to H steps before the
 * objective scores it, so plans are H steps long for the MPC agent and the model.
 * Why: with independent per-step samples around a zero mean, a velocity-controlled pusher random-walks
 * a few pixels in a whole horizon and rarely reaches the object, so the pixel-distance cost is flat
 * for almost every candidate; held actions travel in straight lines and meet the object.
 */
export class HeldActionOptimizer implements Optimizer {
  readonly horizon: number;
  readonly actDim: number;

  /** `inner` optimizes the horizon / hold distinct actions ([H / hold · A]). */
  constructor(
    horizon: number,
    readonly hold: number,
    bounds: ActionBounds,
    private readonly inner: Optimizer,
  ) {
    if (!Number.isInteger(hold) || hold < 1) throw new Error(`hold: expected a positive integer, got ${hold}`);
    if (inner.horizon * hold !== horizon) throw new Error(`hold: the inner optimizer plans ${inner.horizon} actions, ${horizon} steps need ${horizon / hold}`);
    this.horizon = horizon;
    this.actDim = bounds.low.length;
  }

  async optimize(objective: PlanningObjective, initialMean: Float32Array, onIteration?: (r: IterationReport) => void): Promise<Float32Array> {
    const A = this.actDim;
    const K = this.inner.horizon;
    const r = this.hold;
    // Warm start: the first of each held block of the (shifted) previous plan.
    const mean = new Float32Array(K * A);
    for (let k = 0; k < K; k++) mean.set(initialMean.subarray(k * r * A, k * r * A + A), k * A);
    const expanded: BatchObjective = {
      evaluateBatch: (samples, N) => evaluate(objective, expandHeld(samples, N, K, A, r), N, K * r, A),
    };
    return expandHeld(await this.inner.optimize(expanded, mean, onIteration), 1, K, A, r);
  }
}

/** Repeats each action `hold` times: [N, K, A] → [N, K · hold, A], row-major. */
export function expandHeld(samples: Float32Array, N: number, K: number, A: number, hold: number): Float32Array {
  const out = new Float32Array(N * K * hold * A);
  for (let n = 0; n < N; n++) {
    for (let k = 0; k < K; k++) {
      const src = samples.subarray((n * K + k) * A, (n * K + k + 1) * A);
      for (let j = 0; j < hold; j++) out.set(src, ((n * K + k) * hold + j) * A);
    }
  }
  return out;
}
