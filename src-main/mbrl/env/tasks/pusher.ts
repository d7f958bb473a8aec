/**
 * Planar pusher (resources/models/pusher.xml): a 3-link arm on a table pushes a puck onto a goal.
 *
 * State: joint angles q₁ (shoulder, unlimited), q₂ (elbow), q₃ (wrist), both limited to ±2.6 rad;
 * 0 = link along +x / straight, positive turns toward +y; their rates q̇ (rad/s); the puck's centre
 * (px, py) and velocity (m, m/s); the goal (gx, gy) (m). Positions are world x, y with the shoulder
 * axis at the origin. Links are 0.2, 0.2, 0.1 m, so the fingertip centre is at
 *   tip = Σₖ lₖ·(cos φₖ, sin φₖ),  φ₁ = q₁, φ₂ = q₁ + q₂, φ₃ = q₁ + q₂ + q₃   (m).
 *
 * Observation [14]: [q₁, q₂, q₃, q̇₁, q̇₂, q̇₃, tipx, tipy, px, py, ṗx, ṗy, gx, gy]. Angles are raw
 * (angleDims [0, 1, 2]). The fingertip is observed so the reward is a function of the observation, the
 * puck velocity so the state is Markov (a pushed puck keeps sliding), the goal because it changes per
 * episode.
 *
 * Action [3]: a ∈ [−1, 1]³, motor commands; torques 0.5, 0.3, 0.1 N·m × a (shoulder, elbow, wrist).
 *
 * Reward per step (PETS's pusher cost, negated), from the observation after the step and the applied
 * (clipped) action:
 *   r = −(0.5·‖tip − puck‖ + 1.25·‖puck − goal‖ + 0.1·‖a‖²)   (metres, plus a dimensionless effort
 * term). The first term draws the fingertip to the puck, the second scores the push. 0 is unattainable
 * (the fingertip cannot reach the puck's centre); touching it costs about 0.5 × 0.06 m.
 *
 * Episodes: the arm starts straight along −y, q = (−π/2, 0, 0) + U(−0.1, 0.1)³ rad, at rest; the puck
 * at (U(0.25, 0.35), U(−0.15, −0.05)) m and the goal at (U(0.2, 0.4), U(0.12, 0.28)) m, i.e. the puck
 * must travel 0.17–0.43 m toward +y (a counter-clockwise sweep does most of it). All drawn from the reset
 * seed. Never terminates; truncated after 150 steps of 0.05 s (7.5 s), PETS's pusher horizon.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TaskInfo } from '../env';
import type { MujocoTask } from '../mujoco-task';
import { neverTerminatedBatch, planarDistance, sumSquares, sumSquaresOf } from './batch';

/** Link lengths, joint to joint and wrist to fingertip centre, m (pusher.xml). */
export const PUSHER_LINK_LENGTHS: readonly number[] = Object.freeze([0.2, 0.2, 0.1]);

/** Observation indices of the 2-D points, see the module comment. */
export const PUSHER_TIP = 6;
export const PUSHER_PUCK = 8;
export const PUSHER_GOAL = 12;

/** Static facts of the pusher task. */
export const PUSHER_INFO: Readonly<TaskInfo> = Object.freeze({
  id: 'pusher',
  title: 'Pusher',
  description:
    'A three-link arm on a table must push a puck onto a goal; puck and goal are placed anew each ' +
    'episode. Observation [q, q̇, fingertip, puck, puck velocity, goal]; actions: joint torques in [−1, 1].',
  obsDim: 14,
  actDim: 3,
  dt: 0.05,
  maxEpisodeSteps: 150,
  actionLow: [-1, -1, -1],
  actionHigh: [1, 1, 1],
  actionNames: ['shoulder', 'elbow', 'wrist'],
  angleDims: [0, 1, 2],
});

/** Fingertip position (m, world x, y) for joint angles q [3] (rad). */
export function pusherFingertip(q: ArrayLike<number>): [number, number] {
  let phi = 0;
  let x = 0;
  let y = 0;
  for (let k = 0; k < 3; k++) {
    phi += q[k];
    x += PUSHER_LINK_LENGTHS[k] * Math.cos(phi);
    y += PUSHER_LINK_LENGTHS[k] * Math.sin(phi);
  }
  return [x, y];
}

const dist = (o: ArrayLike<number>, i: number, j: number) => Math.hypot(o[i] - o[j], o[i + 1] - o[j + 1]);

/** Pusher reward for arriving at obs [14] under action [3]: −(0.5‖tip−puck‖ + 1.25‖puck−goal‖ + 0.1‖a‖²). */
export function pusherReward(obs: ArrayLike<number>, action: ArrayLike<number>): number {
  return -(0.5 * dist(obs, PUSHER_TIP, PUSHER_PUCK) + 1.25 * dist(obs, PUSHER_PUCK, PUSHER_GOAL) + 0.1 * sumSquaresOf(action));
}

/** {@link pusherReward} batched: nextObs [B, 14], action [B, 3] → [B]. */
export function pusherRewardBatch(nextObs: tf.Tensor2D, action: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const near = tf.mul(planarDistance(nextObs, PUSHER_TIP, PUSHER_PUCK), 0.5);
    const toGoal = tf.mul(planarDistance(nextObs, PUSHER_PUCK, PUSHER_GOAL), 1.25);
    return tf.neg(tf.addN([near, toGoal, tf.mul(sumSquares(action), 0.1)])) as tf.Tensor1D;
  });
}

/** The pusher as a MuJoCo task. qpos = qvel layout: [shoulder, elbow, wrist, puck_x, puck_y, goal_x, goal_y]. */
export const pusherTask: MujocoTask = {
  info: PUSHER_INFO,
  modelFile: 'pusher.xml',
  frameSkip: 5, // timestep 0.01 s in the XML
  observationLow: new Array<number>(14).fill(-Infinity),
  observationHigh: new Array<number>(14).fill(Infinity),
  camera: { eye: [0.15, -0.95, 1.25], target: [0.15, 0, 0.4] },
  initialState(rng, qpos) {
    qpos[0] = -Math.PI / 2 + rng.uniform(-0.1, 0.1);
    qpos[1] = rng.uniform(-0.1, 0.1);
    qpos[2] = rng.uniform(-0.1, 0.1);
    qpos[3] = rng.uniform(0.25, 0.35);
    qpos[4] = rng.uniform(-0.15, -0.05);
    qpos[5] = rng.uniform(0.2, 0.4);
    qpos[6] = rng.uniform(0.12, 0.28);
  },
  observe(qpos, qvel, out) {
    const [tx, ty] = pusherFingertip(qpos);
    for (let k = 0; k < 3; k++) {
      out[k] = qpos[k];
      out[3 + k] = qvel[k];
    }
    out[6] = tx;
    out[7] = ty;
    out[8] = qpos[3];
    out[9] = qpos[4];
    out[10] = qvel[3];
    out[11] = qvel[4];
    out[12] = qpos[5];
    out[13] = qpos[6];
  },
  configurationFromObs(obs, qpos) {
    // The fingertip (obs 6, 7) follows from the joint angles; a model's prediction of it is not drawn.
    qpos[0] = obs[0];
    qpos[1] = obs[1];
    qpos[2] = obs[2];
    qpos[3] = obs[PUSHER_PUCK];
    qpos[4] = obs[PUSHER_PUCK + 1];
    qpos[5] = obs[PUSHER_GOAL];
    qpos[6] = obs[PUSHER_GOAL + 1];
  },
  reward: pusherReward,
  terminated: () => false,
  rewardBatch: pusherRewardBatch,
  terminatedBatch: neverTerminatedBatch,
};
