/**
 * 2-link planar reacher (resources/models/reacher.xml): move the fingertip onto a goal that is drawn
 * anew each episode.
 *
 * State: shoulder angle q₁ and elbow angle q₂ (rad; 0 = link along +x / straight, positive turns
 * toward +y; q₁ unlimited, q₂ ∈ [−2.8, 2.8]), their rates q̇ (rad/s), and the goal (gx, gy) in metres,
 * world frame with the shoulder axis at the origin. Links are l = 0.12 m each, so the fingertip is at
 *   tip = l·(cos q₁, sin q₁) + l·(cos(q₁+q₂), sin(q₁+q₂))   (m).
 *
 * Observation [8]: [q₁, q₂, q̇₁, q̇₂, gx, gy, tipx − gx, tipy − gy]. The angles are raw (q₁ unwrapped),
 * so angleDims = [0, 1]. The goal is observed because it changes per episode and the policy (or
 * planner) must know it; the fingertip offset is observed so the reward is a function of the
 * observation alone, and so that a dynamics model predicts it directly (as in Gym's Reacher).
 *
 * Action [2]: a ∈ [−1, 1]², motor commands; torques τ = 0.1·a N·m at shoulder and elbow.
 *
 * Reward per step, from the observation after the step and the applied (clipped) action:
 *   r = −‖tip − goal‖ − 0.01·‖a‖²   (metres, minus a dimensionless effort term),
 * so r ∈ [−0.46, 0]; 0 is the fingertip on the goal with no effort.
 *
 * Episodes: the arm starts near straight along +x, q ~ U(−0.1, 0.1)² rad, q̇ ~ U(−0.005, 0.005)²
 * rad/s; the goal is uniform in the disc of radius 0.2 m (rejection sampling from the square), all
 * drawn from the reset seed. Never terminates; truncated after 150 steps of 0.05 s (7.5 s), PETS's
 * reacher horizon, ample for a 0.24 m arm that turns at up to 5 rad/s.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TaskInfo } from '../env';
import type { MujocoTask } from '../mujoco-task';
import { neverTerminatedBatch, planarNorm, sumSquares, sumSquaresOf } from './batch';

/** Length of each link, shoulder to elbow and elbow to fingertip centre, m (reacher.xml). */
export const REACHER_LINK_LENGTH = 0.12;
/** Goals are drawn uniformly in the disc of this radius around the shoulder, m. */
export const REACHER_GOAL_RADIUS = 0.2;
/** Largest motor torque, N·m: the actuators' gear in reacher.xml. */
export const REACHER_MAX_TORQUE = 0.1;

/** Observation indices, see the module comment. */
const GOAL = 4;
const OFFSET = 6;

/** Static facts of the reacher task. */
export const REACHER_INFO: Readonly<TaskInfo> = Object.freeze({
  id: 'reacher',
  title: '2-link reacher',
  description:
    'A two-link arm in the plane must bring its fingertip to a goal drawn anew each episode. ' +
    'Observation [q₁, q₂, q̇₁, q̇₂, goal x, y, tip − goal x, y]; actions: joint torques in [−1, 1] × 0.1 N·m.',
  obsDim: 8,
  actDim: 2,
  dt: 0.05,
  maxEpisodeSteps: 150,
  actionLow: [-1, -1],
  actionHigh: [1, 1],
  actionNames: ['shoulder', 'elbow'],
  angleDims: [0, 1],
});

/** Fingertip position (m, world x, y) for joint angles q₁, q₂ (rad). */
export function reacherFingertip(q1: number, q2: number): [number, number] {
  const l = REACHER_LINK_LENGTH;
  return [l * Math.cos(q1) + l * Math.cos(q1 + q2), l * Math.sin(q1) + l * Math.sin(q1 + q2)];
}

/** Reacher reward for arriving at obs [8] under action [2]: −‖tip − goal‖ − 0.01·‖a‖². */
export function reacherReward(obs: ArrayLike<number>, action: ArrayLike<number>): number {
  return -Math.hypot(obs[OFFSET], obs[OFFSET + 1]) - 0.01 * sumSquaresOf(action);
}

/** {@link reacherReward} batched: nextObs [B, 8], action [B, 2] → [B]. */
export function reacherRewardBatch(nextObs: tf.Tensor2D, action: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sub(tf.neg(planarNorm(nextObs, OFFSET)), tf.mul(sumSquares(action), 0.01)));
}

/** The goal (gx, gy) of an observation [8], m. */
export function reacherGoal(obs: ArrayLike<number>): [number, number] {
  return [obs[GOAL], obs[GOAL + 1]];
}

/** The reacher as a MuJoCo task. qpos = qvel layout: [shoulder, elbow, goal_x, goal_y]. */
export const reacherTask: MujocoTask = {
  info: REACHER_INFO,
  modelFile: 'reacher.xml',
  frameSkip: 5, // timestep 0.01 s in the XML
  // Only the goal is hard-bounded: MuJoCo's joint limits are soft, so q₂ may overshoot ±2.8 a little.
  observationLow: [-Infinity, -Infinity, -Infinity, -Infinity, -REACHER_GOAL_RADIUS, -REACHER_GOAL_RADIUS, -Infinity, -Infinity],
  observationHigh: [Infinity, Infinity, Infinity, Infinity, REACHER_GOAL_RADIUS, REACHER_GOAL_RADIUS, Infinity, Infinity],
  camera: { eye: [0, -0.42, 0.5], target: [0, 0, 0] },
  initialState(rng, qpos, qvel) {
    qpos[0] = rng.uniform(-0.1, 0.1);
    qpos[1] = rng.uniform(-0.1, 0.1);
    qvel[0] = rng.uniform(-0.005, 0.005);
    qvel[1] = rng.uniform(-0.005, 0.005);
    const r = REACHER_GOAL_RADIUS;
    let gx: number;
    let gy: number;
    // Rejection sampling: uniform over the disc, and it consumes a seed-determined number of draws.
    do {
      gx = rng.uniform(-r, r);
      gy = rng.uniform(-r, r);
    } while (gx * gx + gy * gy >= r * r);
    qpos[2] = gx;
    qpos[3] = gy;
  },
  observe(qpos, qvel, out) {
    const [tx, ty] = reacherFingertip(qpos[0], qpos[1]);
    out[0] = qpos[0];
    out[1] = qpos[1];
    out[2] = qvel[0];
    out[3] = qvel[1];
    out[4] = qpos[2];
    out[5] = qpos[3];
    out[6] = tx - qpos[2];
    out[7] = ty - qpos[3];
  },
  configurationFromObs(obs, qpos) {
    qpos[0] = obs[0];
    qpos[1] = obs[1];
    qpos[2] = obs[GOAL];
    qpos[3] = obs[GOAL + 1];
  },
  reward: reacherReward,
  terminated: () => false,
  rewardBatch: reacherRewardBatch,
  terminatedBatch: neverTerminatedBatch,
};
