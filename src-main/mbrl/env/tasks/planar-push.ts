/**
 * Top-down pushing (resources/models/planar-push.xml), the task of visual foresight (Finn & Levine
 * 2017): a planar end effector pushes a block across a table toward a goal.
 *
 * State: the pusher's centre (px, py) in metres (workspace x, y ∈ [−0.25, 0.25] inside low walls; the
 * pusher's slides stop it at ±0.23), its velocity; the block's centre (bx, by) (m), its yaw ψ (rad,
 * about +z, in (−π, π]; 0 = faces along x and y), their rates; the goal (gx, gy) (m).
 *
 * Observation [12]: [px, py, ṗx, ṗy, bx, by, ψ, ḃx, ḃy, ψ̇, gx, gy]. ψ is wrapped (the block is
 * square, so only ψ mod π/2 shows) and listed in angleDims [6].
 *
 * Action [2]: a ∈ [−1, 1]², velocity commands for the pusher: force 4·a N on each heavily damped
 * slide, i.e. about 0.4·a m/s (0.02 m, 2.6 px of the 64 × 64 top-down image, per step), slower while
 * pushing.
 *
 * Reward per step, from the observation after the step and the applied (clipped) action:
 *   r = −(‖block − goal‖ + 0.5·‖pusher − block‖)   (metres): the push, and a shaping term that draws
 * the pusher to the block (as PETS's pusher). The action does not enter.
 *
 * Episodes: the block at a uniform position with |bx|, |by| ≤ 0.12 m and a uniform yaw; the pusher
 * 0.065–0.1 m from the block's centre in a uniform direction, redrawn until inside its range and at
 * least 5 mm clear of the block (so random actions and short plans meet the block); the goal uniform with |gx|, |gy| ≤ 0.15 m; all at rest,
 * drawn from the reset seed. Never terminates; truncated
 * after 150 steps of 0.05 s (7.5 s; data collection may cut episodes shorter).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TaskInfo } from '../env';
import type { MujocoTask } from '../mujoco-task';
import { neverTerminatedBatch, planarDistance } from './batch';

/** Observation indices of the 2-D points and the yaw, see the module comment. */
export const PLANAR_PUSH_PUSHER = 0;
export const PLANAR_PUSH_BLOCK = 4;
export const PLANAR_PUSH_YAW = 6;
export const PLANAR_PUSH_GOAL = 10;
/** Block half side, m, and the height of its centre above the table (planar-push.xml). */
export const PLANAR_PUSH_BLOCK_HALF = 0.04;
export const PLANAR_PUSH_BLOCK_Z = 0.03;
/** Half side of the workspace inside the walls, m. */
export const PLANAR_PUSH_WORKSPACE = 0.25;
/** The pusher's radius, m, and how far its slides let its centre go, m (planar-push.xml). */
export const PLANAR_PUSH_PUSHER_RADIUS = 0.02;
export const PLANAR_PUSH_PUSHER_RANGE = 0.23;

/**
 * The pusher starts this far from the block's centre, m: [min, max]. Close (a gap of 0.5–5 cm, at most
 * ~2.5 steps at full speed) so that a planner whose cost only sees the block (visual foresight's
 * designated pixel) meets it within a short horizon: measured with the true simulator as the model on
 * 20 random 10–20 px tasks (CEM 60 × 3 over held triples, H 12, replanning every 3 steps), 0.08–0.2 m
 * gave 10/20 within 4 px and 0.07–0.10 m gave 16/20.
 */
export const PLANAR_PUSH_START_DISTANCE: readonly [number, number] = [0.065, 0.1];
/** Least gap between the pusher's rim and the block at the start, m (never overlapping, even at a corner). */
export const PLANAR_PUSH_START_GAP = 0.005;

/** Gap between a pusher centred at (dx, dy) from the block's centre and the block of yaw `yaw`, m. */
function pusherGap(dx: number, dy: number, yaw: number): number {
  const c = Math.cos(yaw);
  const s = Math.sin(yaw);
  const lx = Math.abs(c * dx + s * dy) - PLANAR_PUSH_BLOCK_HALF;
  const ly = Math.abs(-s * dx + c * dy) - PLANAR_PUSH_BLOCK_HALF;
  return Math.hypot(Math.max(lx, 0), Math.max(ly, 0)) - PLANAR_PUSH_PUSHER_RADIUS;
}

/** Static facts of the pushing task. */
export const PLANAR_PUSH_INFO: Readonly<TaskInfo> = Object.freeze({
  id: 'planar-push',
  title: 'Top-down pushing',
  description:
    'A planar pusher must push a block across a walled table to a goal (visual foresight’s setting). ' +
    'Observation [pusher, its velocity, block x, y, yaw, block velocities, goal]; actions: pusher ' +
    'velocity in [−1, 1]² × 0.4 m/s.',
  obsDim: 12,
  actDim: 2,
  dt: 0.05,
  maxEpisodeSteps: 150,
  actionLow: [-1, -1],
  actionHigh: [1, 1],
  actionNames: ['x', 'y'],
  angleDims: [PLANAR_PUSH_YAW],
});

const dist = (o: ArrayLike<number>, i: number, j: number) => Math.hypot(o[i] - o[j], o[i + 1] - o[j + 1]);

/** Pushing reward for arriving at obs [12]: −(‖block − goal‖ + 0.5·‖pusher − block‖), m. */
export function planarPushReward(obs: ArrayLike<number>): number {
  return -(dist(obs, PLANAR_PUSH_BLOCK, PLANAR_PUSH_GOAL) + 0.5 * dist(obs, PLANAR_PUSH_PUSHER, PLANAR_PUSH_BLOCK));
}

/** {@link planarPushReward} batched: nextObs [B, 12], action [B, 2] (unused) → [B]. */
export function planarPushRewardBatch(nextObs: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const push = planarDistance(nextObs, PLANAR_PUSH_BLOCK, PLANAR_PUSH_GOAL);
    const near = tf.mul(planarDistance(nextObs, PLANAR_PUSH_PUSHER, PLANAR_PUSH_BLOCK), 0.5);
    return tf.neg(tf.add(push, near)) as tf.Tensor1D;
  });
}

/** Yaw (rad, about +z) of a unit quaternion (w, x, y, z) that turns about z only. */
function yawOf(w: number, z: number): number {
  const yaw = 2 * Math.atan2(z, w);
  return yaw - 2 * Math.PI * Math.round(yaw / (2 * Math.PI));
}

/**
 * The pushing task. qpos layout: [pusher_x, pusher_y, block x, y, z, qw, qx, qy, qz, goal_x, goal_y]
 * (11); qvel: [pusher ẋ, ẏ, block vx, vy, vz, ωx, ωy, ωz, goal ẋ, ẏ] (10).
 */
export const planarPushTask: MujocoTask = {
  info: PLANAR_PUSH_INFO,
  modelFile: 'planar-push.xml',
  frameSkip: 10, // timestep 0.005 s in the XML
  observationLow: [-0.25, -0.25, -Infinity, -Infinity, -0.25, -0.25, -Math.PI, -Infinity, -Infinity, -Infinity, -0.15, -0.15],
  observationHigh: [0.25, 0.25, Infinity, Infinity, 0.25, 0.25, Math.PI, Infinity, Infinity, Infinity, 0.15, 0.15],
  camera: { eye: [0, -0.5, 0.6], target: [0, -0.01, 0] },
  initialState(rng, qpos) {
    const bx = rng.uniform(-0.12, 0.12);
    const by = rng.uniform(-0.12, 0.12);
    const yaw = rng.uniform(-Math.PI, Math.PI);
    let px: number;
    let py: number;
    do {
      const r = rng.uniform(PLANAR_PUSH_START_DISTANCE[0], PLANAR_PUSH_START_DISTANCE[1]);
      const phi = rng.uniform(-Math.PI, Math.PI);
      px = bx + r * Math.cos(phi);
      py = by + r * Math.sin(phi);
    } while (Math.abs(px) > PLANAR_PUSH_PUSHER_RANGE || Math.abs(py) > PLANAR_PUSH_PUSHER_RANGE || pusherGap(px - bx, py - by, yaw) < PLANAR_PUSH_START_GAP);
    qpos[0] = px;
    qpos[1] = py;
    qpos[2] = bx;
    qpos[3] = by;
    qpos[4] = PLANAR_PUSH_BLOCK_Z;
    qpos[5] = Math.cos(yaw / 2);
    qpos[6] = 0;
    qpos[7] = 0;
    qpos[8] = Math.sin(yaw / 2);
    qpos[9] = rng.uniform(-0.15, 0.15);
    qpos[10] = rng.uniform(-0.15, 0.15);
  },
  observe(qpos, qvel, out) {
    out[0] = qpos[0];
    out[1] = qpos[1];
    out[2] = qvel[0];
    out[3] = qvel[1];
    out[4] = qpos[2];
    out[5] = qpos[3];
    out[6] = yawOf(qpos[5], qpos[8]);
    out[7] = qvel[2];
    out[8] = qvel[3];
    out[9] = qvel[7];
    out[10] = qpos[9];
    out[11] = qpos[10];
  },
  configurationFromObs(obs, qpos) {
    qpos[0] = obs[PLANAR_PUSH_PUSHER];
    qpos[1] = obs[PLANAR_PUSH_PUSHER + 1];
    qpos[2] = obs[PLANAR_PUSH_BLOCK];
    qpos[3] = obs[PLANAR_PUSH_BLOCK + 1];
    // Turn the live orientation about z to the observed yaw: the height and the tiny tilt the
    // observation leaves out keep their live values (and the pose is exact for the live observation).
    const half = (obs[PLANAR_PUSH_YAW] - yawOf(qpos[5], qpos[8])) / 2;
    const c = Math.cos(half);
    const s = Math.sin(half);
    const [w, x, y, z] = [qpos[5], qpos[6], qpos[7], qpos[8]];
    qpos[5] = c * w - s * z;
    qpos[6] = c * x - s * y;
    qpos[7] = c * y + s * x;
    qpos[8] = c * z + s * w;
    qpos[9] = obs[PLANAR_PUSH_GOAL];
    qpos[10] = obs[PLANAR_PUSH_GOAL + 1];
  },
  reward: planarPushReward,
  terminated: () => false,
  rewardBatch: planarPushRewardBatch,
  terminatedBatch: neverTerminatedBatch,
};
