import * as tf from '@tensorflow/tfjs-core';
import type { EnsembleModel } from '../../mbrl/models';

/** An ensemble's open-loop prediction of one recorded episode. All arrays row-major. */
export interface OpenLoopPrediction {
  /** Predicted steps N (the trajectories hold N + 1 states, s_0 included). */
  steps: number;
  obsDim: number;
  /** Elite members K. */
  memberCount: number;
  /** Each elite member's own trajectory: [K · (N + 1) · D]. */
  members: Float32Array;
  /** Mean over members: [(N + 1) · D]. */
  mean: Float32Array;
  /**
   * Predictive std: [(N + 1) · D]: √(variance between the members' trajectories + the mean of the
   * members' one-step predicted variances at their own states). The second term is zero for
   * deterministic members; it is not propagated through time, the spread between members is.
   */
  std: Float32Array;
}

/**
 * Rolls every elite member from the recorded s_0 along the recorded actions for N steps, never
 * looking at the recorded states again (open loop, as a planner would chain predictions).
 * obs: [(T + 1) · D] (only s_0 is used), act: [T · A]; N = min(T, maxSteps).
 * The members run as one [K, D] batch with one row block each, so each step is K plain 2-D passes.
 */
export async function openLoopPrediction(model: EnsembleModel, obs: Float32Array, act: Float32Array, maxSteps: number): Promise<OpenLoopPrediction> {
  const D = model.obsDim;
  const A = model.actDim;
  const elites = [...model.eliteIndices];
  const K = elites.length;
  const N = Math.min(Math.floor(act.length / A), maxSteps);
  const blocks = elites.map((member, start) => ({ member, start, count: 1 }));
  const members = new Float32Array(K * (N + 1) * D);
  const variance = new Float32Array((N + 1) * D);
  for (let k = 0; k < K; k++) members.set(obs.subarray(0, D), k * (N + 1) * D);
  let state = tf.tensor2d(Array.from({ length: K }, () => Array.from(obs.subarray(0, D))), [K, D]);
  try {
    for (let t = 0; t < N; t++) {
      const a = act.subarray(t * A, (t + 1) * A);
      const step = tf.tidy(() => {
        const actions = tf.tensor2d(Array.from({ length: K }, () => Array.from(a)), [K, A]);
        const p = model.predictBlocks ? model.predictBlocks(state, actions, blocks) : singleMembers(model, elites, state, actions);
        // tidy cannot return null members: the deterministic case has no `var`.
        return (p.logVar ? { next: p.next, var: tf.exp(p.logVar) } : { next: p.next }) as { next: tf.Tensor2D; var?: tf.Tensor };
      });
      // Async reads: WebGPU in Node has none that are synchronous.
      const next = (await step.next.data()) as Float32Array;
      const v = step.var ? ((await step.var.data()) as Float32Array) : null;
      step.var?.dispose();
      state.dispose();
      state = step.next;
      for (let k = 0; k < K; k++) {
        members.set(next.subarray(k * D, (k + 1) * D), (k * (N + 1) + t + 1) * D);
        if (v) for (let d = 0; d < D; d++) variance[(t + 1) * D + d] += v[k * D + d] / K;
      }
      // Yield now and then so cancels and other requests get through on long episodes.
      if (t % 64 === 63) await new Promise((r) => setImmediate(r));
    }
  } finally {
    state.dispose();
  }
  const mean = new Float32Array((N + 1) * D);
  const std = new Float32Array((N + 1) * D);
  for (let i = 0; i < (N + 1) * D; i++) {
    let m = 0;
    for (let k = 0; k < K; k++) m += members[k * (N + 1) * D + i];
    m /= K;
    let s = 0;
    for (let k = 0; k < K; k++) s += (members[k * (N + 1) * D + i] - m) ** 2;
    mean[i] = m;
    std[i] = Math.sqrt(s / K + variance[i]);
  }
  return { steps: N, obsDim: D, memberCount: K, members, mean, std };
}

/** Row k moved by member elites[k], for models without predictBlocks. */
function singleMembers(model: EnsembleModel, elites: number[], state: tf.Tensor2D, actions: tf.Tensor2D) {
  const parts = elites.map((m, k) => model.memberPredict(m, tf.slice(state, [k, 0], [1, -1]), tf.slice(actions, [k, 0], [1, -1])));
  const next = tf.concat(parts.map((p) => p.next), 0) as tf.Tensor2D;
  const logVar = parts[0].logVar ? (tf.concat(parts.map((p) => p.logVar!), 0) as tf.Tensor2D) : null;
  return { next, logVar };
}
