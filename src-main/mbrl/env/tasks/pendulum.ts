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
import type { Rng } from '../../util/rng';
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

/**
 * Upright band of the swing-up success test, rad: |θₙ| below it counts as upright. Why 0.3 (17°, the
 * ball within 15 cm of the top, 3–7 px in 32–64 px frames): MPC with the true simulator holds |θₙ| under
 * 0.06 once up, so 0.3 leaves a learned model room for a small bias; any swing or turn through the top
 * leaves the band within a few steps, so only balancing stays in it for {@link PENDULUM_HOLD_STEPS}.
 */
export const PENDULUM_UPRIGHT_BAND = 0.3;

/** Steps at the end of an episode that must all be upright (issue 6: "held for the last 50 steps"), 2.5 s. */
export const PENDULUM_HOLD_STEPS = 50;

/**
 * Swing-up success ("upright and held"): |θₙ| < band at each of the last `hold` states of an episode.
 * states: the states reached after each step, [T · 3] observations [cos θ, sin θ, θ̇]; fewer than
 * `hold` states is a failure (the episode was too short to show a hold).
 */
export function pendulumUprightHeld(states: ArrayLike<number>, band = PENDULUM_UPRIGHT_BAND, hold = PENDULUM_HOLD_STEPS): boolean {
  const T = Math.floor(states.length / 3);
  if (T < hold) return false;
  for (let t = T - hold; t < T; t++) if (!(Math.abs(Math.atan2(states[3 * t + 1], states[3 * t])) < band)) return false;
  return true;
}

/**
 * The pendulum's episode outcome for result tables: success = {@link pendulumUprightHeld}, with the
 * largest and mean |θₙ| over the last {@link PENDULUM_HOLD_STEPS} states (rad) as measures.
 * states: [T · stateDim] observations after each step.
 */
export function pendulumOutcome(states: Float32Array, stateDim: number): { success: boolean; measures: { maxAbsAngleHeld: number; meanAbsAngleHeld: number } } {
  if (stateDim !== 3) throw new RangeError(`pendulumOutcome: states have 3 values each, got ${stateDim}`);
  const T = states.length / 3;
  let max = 0;
  let sum = 0;
  const from = Math.max(0, T - PENDULUM_HOLD_STEPS);
  for (let t = from; t < T; t++) {
    const a = Math.abs(Math.atan2(states[3 * t + 1], states[3 * t]));
    max = Math.max(max, a);
    sum += a;
  }
  return { success: pendulumUprightHeld(states), measures: { maxAbsAngleHeld: max, meanAbsAngleHeld: T > from ? sum / (T - from) : NaN } };
}

/**
 * An exploring start for data collection (never for evaluation, which starts hanging down as the task
 * defines): θ uniform in ±`maxAngle` rad (default π: the whole circle), θ̇ uniform in ±`speed` rad/s
 * (default 0: at rest). Writes qpos[0], qvel[0].
 * Why: random torques from the bottom reach upright in ~2 % of steps and never slowly, so a model fitted to
 * them knows nothing about balancing; starts anywhere put slow states near upright into the data. Starts
 * near upright with some speed add the states a swing-up must catch: arriving at the top, still turning.
 */
export function pendulumExploringStart(rng: Rng, qpos: Float64Array, qvel: Float64Array, speed = 0, maxAngle = Math.PI): void {
  qpos[0] = rng.uniform(-maxAngle, maxAngle);
  qvel[0] = speed > 0 ? rng.uniform(-speed, speed) : 0;
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
