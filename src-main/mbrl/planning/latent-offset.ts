import * as tf from '@tensorflow/tfjs-core';
import type { LatentModel } from '../models/latent';

/**
 * Offset-free MPC in a latent space (the control textbook's disturbance estimate, applied to a learned
 * model). A learned model that is wrong by a steady amount near where the loop settles makes MPC
 * settle off the goal: replanning alone does not remove a bias that every plan shares. Here the
 * model's one-step error in code space, e_t = g(o_t) − f(g(o_{t−1}), a_{t−1}), is smoothed into an
 * offset d ← β·d + (1 − β)·e_t, and each predicted step of the next plan becomes
 * z_{k+1} = f(z_k, a_k) + gain·d, so the plans see what the last steps really did.
 *
 * Measured on the pendulum from pixels (docs/RESULTS.md, session 8): the session-6 model held the pole
 * 0.21–0.36 rad off upright because it overrated the motor near the top; with the offset it holds within
 * about 0.1 rad. Far from the goal (the swing-up) the one-step errors are large and change every step,
 * so a constant offset there breaks the plans; `whenRewardAbove` estimates and applies it only once the
 * learned reward of the current code says the task is near its goal.
 */

/** Settings of the offset estimate (the spec's `plan.offsetCorrection`). */
export interface LatentOffsetSettings {
  /** β in d ← β·d + (1 − β)·e: how slowly the offset follows the newest one-step error (0: the newest alone). In [0, 1). */
  smoothing: number;
  /** Fraction of the offset added to each predicted step (1: all of it). */
  gain: number;
  /**
   * Estimate and apply the offset only while the learned reward of the current code r̂(z₀) is above this
   * (unset: always); the estimate restarts from zero each time the gate opens. Needs a reward head.
   */
  whenRewardAbove?: number;
}

/** One episode's offset estimate; {@link observe} each new code, then report the action executed with {@link executed}. */
export class LatentOffsetEstimator {
  private estimate: Float32Array;
  private previousCode: Float32Array | null = null;
  private previousAction: Float32Array | null = null;
  private appliedOffset: Float32Array | null = null;

  constructor(
    private readonly model: LatentModel,
    private readonly settings: LatentOffsetSettings,
  ) {
    if (!(settings.smoothing >= 0 && settings.smoothing < 1)) throw new Error(`plan.offsetCorrection.smoothing: expected a number in [0, 1), got ${settings.smoothing}`);
    if (!(settings.gain >= 0)) throw new Error(`plan.offsetCorrection.gain: expected a number ≥ 0, got ${settings.gain}`);
    if (settings.whenRewardAbove !== undefined && !model.hasReward) throw new Error(`plan.offsetCorrection.whenRewardAbove: a ${model.kind} model learns no reward`);
    this.estimate = new Float32Array(model.latentDim);
  }

  /**
   * Takes the code of the newest observation z0 [dz], updates the estimate from the model's error on the
   * last step, and returns the offset to add to each predicted step of this plan: [dz], or null when
   * none applies (the first step, or the reward gate is closed).
   */
  observe(z0: Float32Array): Float32Array | null {
    const dz = this.model.latentDim;
    if (z0.length !== dz) throw new Error(`offset correction: code has ${z0.length} dims, the model ${dz}`);
    const open = this.gateOpen(z0);
    const learned = open && this.previousCode !== null && this.previousAction !== null;
    if (learned) {
      const predicted = this.stepOnce(this.previousCode!, this.previousAction!);
      const b = this.settings.smoothing;
      for (let i = 0; i < dz; i++) this.estimate[i] = b * this.estimate[i] + (1 - b) * (z0[i] - predicted[i]);
    } else if (!open) {
      // Estimated only where it is applied: the swing's large, fast-changing errors must not linger in d
      // when the gate opens (measured: with them, a model without bias fell after its swing-up, 6/20 vs 13/20).
      this.estimate.fill(0);
    }
    this.previousCode = z0.slice();
    this.previousAction = null;
    this.appliedOffset = learned ? this.estimate.map((v) => v * this.settings.gain) : null;
    return this.appliedOffset;
  }

  /** The action executed after the last {@link observe}: [A]. */
  executed(action: Float32Array): void {
    this.previousAction = action.slice();
  }

  /** The offset the last plan used ([dz]), or null. */
  get applied(): Float32Array | null {
    return this.appliedOffset;
  }

  /** The current smoothed one-step error d: [dz] (a copy). */
  get current(): Float32Array {
    return this.estimate.slice();
  }

  private gateOpen(z0: Float32Array): boolean {
    const above = this.settings.whenRewardAbove;
    if (above === undefined) return true;
    const reward = tf.tidy(() => this.model.reward(tf.tensor2d(z0, [1, z0.length])).dataSync()[0]);
    return reward > above;
  }

  /** f(z, a) for one code: z [dz], a [A] → [dz]. */
  private stepOnce(z: Float32Array, a: Float32Array): Float32Array {
    const next = tf.tidy(() => this.model.step(tf.tensor2d(z, [1, z.length]), tf.tensor2d(a, [1, a.length])));
    const out = (next.dataSync() as Float32Array).slice();
    next.dispose();
    return out;
  }
}
