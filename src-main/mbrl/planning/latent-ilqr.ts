import type { LocallyLinearModel } from '../models/latent';
import * as tf from '@tensorflow/tfjs-core';
import { ilqr, type IlqrConfig, type IlqrDynamics, type IlqrResult } from './ilqr';
import { encodeImage } from './latent-objectives';

/**
 * E2C's transition as iLQR dynamics: steps through the network, and uses the network's own local
 * linearisation A(z̄), B(z̄) as the Jacobians (as in the paper), not autodiff of the whole map.
 */
export function latentIlqrDynamics(model: LocallyLinearModel): IlqrDynamics {
  const n = model.latentDim;
  const m = model.actDim;
  return {
    stateDim: n,
    actDim: m,
    step(x, u, rows) {
      const next = tf.tidy(() => model.step(tf.tensor2d(Float32Array.from(x), [rows, n]), tf.tensor2d(Float32Array.from(u), [rows, m])));
      const out = Float64Array.from(next.dataSync());
      next.dispose();
      return out;
    },
    linearize(x, _u, rows) {
      const { A, B } = model.linearize(Float32Array.from(x), rows);
      return { A: Float64Array.from(A), B: Float64Array.from(B) };
    },
  };
}

/** What {@link LatentIlqrController.act} decided. */
export interface LatentIlqrDecision {
  action: Float32Array;
  /** The whole optimised plan [H·A] and its predicted codes [(H+1)·dz]. */
  plan: Float32Array;
  codes: Float32Array;
  result: IlqrResult;
  planMs: number;
}

/**
 * Model-predictive control with iLQR in E2C's latent space toward a goal image: encode the current
 * image, optimise H actions toward the goal's code, execute the first, replan next step warm-started
 * with the rest of the plan.
 */
export class LatentIlqrController {
  private plan: Float64Array | null = null;
  private readonly goalCode: Float32Array;
  private readonly dynamics: IlqrDynamics;

  constructor(private readonly model: LocallyLinearModel, goalImage: Float32Array | Uint8Array, private readonly config: IlqrConfig) {
    this.goalCode = encodeImage(model, goalImage);
    this.dynamics = latentIlqrDynamics(model);
  }

  /** The goal image's code [dz]. */
  get goal(): Float32Array {
    return this.goalCode;
  }

  reset(): void {
    this.plan = null;
  }

  act(image: Float32Array | Uint8Array): LatentIlqrDecision {
    const started = performance.now();
    const m = this.model.actDim;
    const H = this.config.horizon;
    const warm = new Float64Array(H * m);
    if (this.plan) warm.set(this.plan.subarray(m));
    const z0 = encodeImage(this.model, image);
    const result = ilqr(this.dynamics, z0, this.goalCode, warm, this.config);
    this.plan = result.actions;
    return {
      action: Float32Array.from(result.actions.subarray(0, m)),
      plan: Float32Array.from(result.actions),
      codes: Float32Array.from(result.states),
      result,
      planMs: performance.now() - started,
    };
  }
}
