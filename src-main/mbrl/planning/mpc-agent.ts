import type { ActionBounds, IterationReport, Optimizer, PlanningObjective } from './optimizer';

/** What {@link MpcAgent.act} decided. */
export interface MpcDecision {
  /** The action to execute: [A]. */
  action: Float32Array;
  /** True when this call planned anew (otherwise the action came from the stored plan). */
  replanned: boolean;
  /** The current plan from this step on: [H · A] when replanned, else the remaining part. */
  plan: Float32Array;
  /** Wall time spent planning in this call, ms (0 when not replanned). */
  planMs: number;
}

/**
 * Model-predictive control: plan H steps through a model (via its objective) with an optimizer, execute the first
 * `replanEvery` actions, then plan again (1 = full MPC; H = open-loop execution of whole plans).
 * Each new plan is warm-started with the unexecuted rest of the previous one.
 */
export class MpcAgent {
  private plan: Float32Array | null = null;
  private cursor = 0;

  /**
   * @param objectiveAt the planning objective from an observation: [D] → objective over [N, H, A]
   *   (e.g. modelReturnObjective or particleReturnObjective bound to a model and task).
   */
  constructor(
    private readonly objectiveAt: (obs: Float32Array) => PlanningObjective,
    private readonly optimizer: Optimizer,
    private readonly bounds: ActionBounds,
    private readonly replanEvery: number,
  ) {
    if (replanEvery < 1 || replanEvery > optimizer.horizon) throw new Error(`mpc.replanEvery: expected 1…${optimizer.horizon}, got ${replanEvery}`);
  }

  /** Forgets the stored plan (call at episode start). */
  reset(): void {
    this.plan = null;
    this.cursor = 0;
  }

  /** Chooses the action for observation obs: [D]. */
  async act(obs: Float32Array, onIteration?: (r: IterationReport) => void): Promise<MpcDecision> {
    const A = this.optimizer.actDim;
    if (this.plan && this.cursor < this.replanEvery) {
      const action = this.plan.slice(this.cursor * A, (this.cursor + 1) * A);
      const rest = this.plan.slice(this.cursor * A);
      this.cursor++;
      return { action, replanned: false, plan: rest, planMs: 0 };
    }
    const started = performance.now();
    const plan = await this.optimizer.optimize(this.objectiveAt(obs), this.warmStart(), onIteration);
    this.plan = plan;
    this.cursor = 1;
    return { action: plan.slice(0, A), replanned: true, plan, planMs: performance.now() - started };
  }

  /** The unexecuted rest of the previous plan, padded with mid-range actions: [H · A]. */
  private warmStart(): Float32Array {
    const A = this.optimizer.actDim;
    const H = this.optimizer.horizon;
    const mean = new Float32Array(H * A);
    for (let i = 0; i < mean.length; i++) mean[i] = (this.bounds.low[i % A] + this.bounds.high[i % A]) / 2;
    if (this.plan) mean.set(this.plan.subarray(this.cursor * A, H * A));
    return mean;
  }
}
