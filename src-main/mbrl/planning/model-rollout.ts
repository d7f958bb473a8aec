import * as tf from '@tensorflow/tfjs-core';
import type { DynamicsModel } from '../models/dynamics-model';
import type { EnsembleModel } from '../models/ensemble-dynamics-model';
import type { Objective } from './optimizer';

/** Batched task functions used inside planning. */
export interface BatchedTaskFunctions {
  /** nextObs: [B, D], action: [B, A] → reward [B]. */
  rewardBatch(nextObs: tf.Tensor2D, action: tf.Tensor2D): tf.Tensor1D;
  /** nextObs: [B, D] → 1 where terminal, else 0: [B]. */
  terminatedBatch(nextObs: tf.Tensor2D): tf.Tensor1D;
}

/**
 * The planning objective "return under the model": roll every candidate [N, H, A] forward from obs0
 * through the model, summing batched rewards; rewards after a predicted termination count zero.
 */
export function modelReturnObjective(model: DynamicsModel, task: BatchedTaskFunctions, obs0: Float32Array): Objective {
  return (actions) =>
    tf.tidy(() => {
      const [N, H] = actions.shape;
      let obs = tf.tile(tf.tensor2d(obs0, [1, obs0.length]), [N, 1]) as tf.Tensor2D;
      let total = tf.zeros([N]) as tf.Tensor1D;
      let alive = tf.ones([N]) as tf.Tensor1D;
      const steps = tf.unstack(tf.transpose(actions, [1, 0, 2])) as tf.Tensor2D[];
      for (let t = 0; t < H; t++) {
        const next = model.predict(obs, steps[t]);
        total = tf.add(total, tf.mul(alive, task.rewardBatch(next, steps[t])));
        alive = tf.mul(alive, tf.sub(1, task.terminatedBatch(next)));
        obs = next;
      }
      return total;
    });
}

/** The model's predicted trajectory for one plan: obs0 [D], plan [H · A] → [H + 1, D] (row 0 is obs0). */
export async function predictTrajectory(model: DynamicsModel, obs0: Float32Array, plan: Float32Array, actDim: number): Promise<Float32Array> {
  const H = plan.length / actDim;
  const D = obs0.length;
  const out = tf.tidy(() => {
    let obs = tf.tensor2d(obs0, [1, D]);
    const rows: tf.Tensor2D[] = [obs];
    for (let t = 0; t < H; t++) {
      obs = model.predict(obs, tf.tensor2d(plan.subarray(t * actDim, (t + 1) * actDim), [1, actDim]));
      rows.push(obs);
    }
    return tf.concat(rows, 0);
  });
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return values;
}

/**
 * Each elite member's mean prediction for one plan, so a viewer can draw the ensemble's spread:
 * obs0 [D], plan [H · A] → [E · (H + 1) · D] for E elite members (row 0 of each is obs0).
 */
export async function predictMemberTrajectories(model: EnsembleModel, obs0: Float32Array, plan: Float32Array, actDim: number): Promise<{ members: number; values: Float32Array }> {
  const H = plan.length / actDim;
  const D = obs0.length;
  const elites = model.eliteIndices;
  const E = elites.length;
  const out = tf.tidy(() => {
    // All members step side by side: row e follows member elites[e].
    let obs = tf.tile(tf.tensor2d(obs0, [1, D]), [E, 1]) as tf.Tensor2D;
    const rows: tf.Tensor2D[] = [obs];
    for (let t = 0; t < H; t++) {
      const act = tf.tensor2d(plan.subarray(t * actDim, (t + 1) * actDim), [1, actDim]);
      obs = tf.concat(elites.map((k, e) => model.memberPredict(k, tf.slice(obs, [e, 0], [1, D]) as tf.Tensor2D, act).next), 0) as tf.Tensor2D;
      rows.push(obs);
    }
    // [H + 1, E, D] → [E, H + 1, D]
    return tf.transpose(tf.stack(rows), [1, 0, 2]);
  });
  const values = (await out.data()) as Float32Array;
  out.dispose();
  return { members: E, values };
}
