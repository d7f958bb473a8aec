/**
 * Pendulum swing-up (resources/models/pendulum.xml), after Gym's Pendulum-v1.
 *
 * State: hinge angle θ (rad; 0 = upright, π = hanging down, positive tips the ball toward +x) and its
 * rate θ̇ (rad/s). A 1 kg ball 0.5 m from the pivot on a 0.05 kg rod.
 *
 * Observation [3]: [cos θ, sin θ, θ̇]. cos/sin keep it continuous however often the pendulum turns
 * around, which suits dynamics models; θ̇ is not clipped.
 *
 * Action [1]: a ∈ [−1, 1], the motor command; torque τ = 2·a N·m (motor gear 2). Gravity needs up to
 * about 5.1 N·m, so the swing-up has to pump energy first.
 *
 * Reward per step, computed from the observation after the step and the applied (clipped) action:
 *   r = −(θₙ² + 0.1·θ̇² + 0.001·τ²),  θₙ = atan2(sin θ, cos θ) ∈ (−π, π],  τ = 2a in N·m,
 * i.e. Gym's cost (on the next state rather than the current one, so it is a function of what a
 * dynamics model predicts). 0 is best: upright and still. Units: rad², (rad/s)², (N·m)², weighted.
 *
 * Episodes: start hanging down, θ = π + U(−0.1, 0.1) rad, θ̇ = U(−0.1, 0.1) rad/s; never terminate;
 * truncated after 200 steps of 0.05 s (10 s).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TaskInfo } from '../env';
import type { MujocoTask } from '../mujoco-task';
import { column, neverTerminatedBatch } from './batch';

/** Largest motor torque, N·m: the actuator's gear in pendulum.xml. */
export const PENDULUM_MAX_TORQUE = 2;

/** Static facts of the pendulum task. */
export const PENDULUM_INFO: Readonly<TaskInfo> = Object.freeze({
  id: 'pendulum',
  title: 'Pendulum swing-up',
  description:
    'A torque-limited pendulum starts hanging down and must swing up and balance upright. ' +
    'Observation [cos θ, sin θ, θ̇]; action: torque in [−1, 1] × 2 N·m.',
  obsDim: 3,
  actDim: 1,
  dt: 0.05,
  maxEpisodeSteps: 200,
  actionLow: [-1],
  actionHigh: [1],
  actionNames: ['torque'],
  angleDims: [], // the observation already carries cos θ, sin θ
});

/**
 * Pendulum reward for arriving at obs = [cos θ, sin θ, θ̇] under action [a]:
 * −(θₙ² + 0.1·θ̇² + 0.001·(2a)²), at most 0. See the module comment.
 */
export function pendulumReward(obs: ArrayLike<number>, action: ArrayLike<number>): number {
  const theta = Math.atan2(obs[1], obs[0]);
  const torque = PENDULUM_MAX_TORQUE * action[0];
  return -(theta * theta + 0.1 * obs[2] * obs[2] + 0.001 * torque * torque);
}

/** {@link pendulumReward} batched: nextObs [B, 3], action [B, 1] → [B]. */
export function pendulumRewardBatch(nextObs: tf.Tensor2D, action: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy((): tf.Tensor1D => {
    const theta = tf.atan2(column(nextObs, 1), column(nextObs, 0));
    const torque = tf.mul(column(action, 0), PENDULUM_MAX_TORQUE);
    const cost = tf.addN([tf.square(theta), tf.mul(tf.square(column(nextObs, 2)), 0.1), tf.mul(tf.square(torque), 0.001)]);
    return tf.neg(cost) as tf.Tensor1D;
  });
}

/** The pendulum as a MuJoCo task. */
export const pendulumTask: MujocoTask = {
  info: PENDULUM_INFO,
  modelFile: 'pendulum.xml',
  frameSkip: 5, // timestep 0.01 s in the XML
  observationLow: [-1, -1, -Infinity],
  observationHigh: [1, 1, Infinity],
  camera: { eye: [0, -2.6, 1.3], target: [0, 0, 1.1] },
  initialState(rng, qpos, qvel) {
    qpos[0] = Math.PI + rng.uniform(-0.1, 0.1);
    qvel[0] = rng.uniform(-0.1, 0.1);
  },
  observe(qpos, qvel, out) {
    out[0] = Math.cos(qpos[0]);
    out[1] = Math.sin(qpos[0]);
    out[2] = qvel[0];
  },
  configurationFromObs(obs, qpos) {
    // θ = atan2(sin, cos), on the branch nearest the current angle (which may have turned many times).
    const delta = Math.atan2(obs[1], obs[0]) - qpos[0];
    qpos[0] += delta - 2 * Math.PI * Math.round(delta / (2 * Math.PI));
  },
  reward: pendulumReward,
  terminated: () => false,
  rewardBatch: pendulumRewardBatch,
  terminatedBatch: neverTerminatedBatch,
};
