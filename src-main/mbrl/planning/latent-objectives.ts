import * as tf from '@tensorflow/tfjs-core';
import type { LatentModel } from '../models/latent';
import type { LatentOffsetEstimator } from './latent-offset';
import type { Objective } from './optimizer';

/**
 * Planning objectives in a latent model's code space. Candidate action sequences [N, H, A] are
 * rolled from the current code z₀ through the model's latent dynamics; nothing is decoded.
 */

/** The code of one image: image [H·W·C] in [0, 1] (floats) or bytes → [dz]. */
export function encodeImage(model: LatentModel, image: Float32Array | Uint8Array): Float32Array {
  const P = image.length;
  const z = tf.tidy(() => {
    const x = image instanceof Uint8Array ? tf.div(tf.tensor2d(image, [1, P], 'float32'), 255) : tf.tensor2d(image, [1, P]);
    return model.encode(x as tf.Tensor2D);
  });
  const out = z.dataSync() as Float32Array;
  z.dispose();
  return out.slice();
}

/**
 * Codes z₁…z_H of every candidate: actions [N, H, A] from z0 [dz] → H tensors [N, dz] (call inside
 * tidy). `offset` [dz] (offset-free MPC, see {@link LatentOffsetEstimator}) is added to every step.
 */
export function rollLatent(model: LatentModel, z0: Float32Array, actions: tf.Tensor3D, offset: Float32Array | null = null): tf.Tensor2D[] {
  const [N, H, A] = actions.shape;
  const d = offset && tf.tensor2d(offset, [1, offset.length]);
  let z = tf.tile(tf.tensor2d(z0, [1, z0.length]), [N, 1]) as tf.Tensor2D;
  const out: tf.Tensor2D[] = [];
  for (let t = 0; t < H; t++) {
    z = model.step(z, tf.reshape(tf.slice(actions, [0, t, 0], [N, 1, A]), [N, A]) as tf.Tensor2D);
    if (d) z = tf.add(z, d);
    out.push(z);
  }
  return out;
}

/** Σ_{t=1..H} r̂(z_t): the learned reward of the codes reached (the lecture's latent MPC); `offset` [dz] as in {@link rollLatent}. */
export function latentRewardObjective(model: LatentModel, z0: Float32Array, offset: Float32Array | null = null): Objective {
  if (!model.hasReward) throw new Error(`latent planning: a ${model.kind} model learns no reward; use the goal-image objective`);
  return (actions) => tf.tidy(() => tf.addN(rollLatent(model, z0, actions, offset).map((z) => model.reward(z))) as tf.Tensor1D);
}

/**
 * Goal-image mode: −Σ_{t=1..H} ‖z_t − z_goal‖² − (terminalWeight − 1)·‖z_H − z_goal‖² (higher is
 * better), so plans head for the goal's code and end there.
 */
export function latentGoalObjective(model: LatentModel, z0: Float32Array, zGoal: Float32Array, terminalWeight = 1, offset: Float32Array | null = null): Objective {
  if (zGoal.length !== z0.length) throw new Error(`latent planning: goal code has ${zGoal.length} dims, the start ${z0.length}`);
  return (actions) =>
    tf.tidy(() => {
      const g = tf.tensor2d(zGoal, [1, zGoal.length]);
      const zs = rollLatent(model, z0, actions, offset);
      const dist = zs.map((z) => tf.sum(tf.square(tf.sub(z, g)), 1));
      const total = tf.add(tf.addN(dist), tf.mul(terminalWeight - 1, dist[dist.length - 1]));
      return tf.neg(total) as tf.Tensor1D;
    });
}

/**
 * For {@link MpcAgent}: the objective from an observed image ([P] floats in [0, 1]), by reward or
 * toward a goal code; with `offsets`, each plan's steps carry the estimator's offset for that image.
 */
export function latentObjectiveAt(model: LatentModel, goal?: { code: Float32Array; terminalWeight?: number }, offsets?: LatentOffsetEstimator): (image: Float32Array) => Objective {
  return (image) => {
    const z0 = encodeImage(model, image);
    const offset = offsets ? offsets.observe(z0) : null;
    return goal ? latentGoalObjective(model, z0, goal.code, goal.terminalWeight, offset) : latentRewardObjective(model, z0, offset);
  };
}
