/**
 * Planar point mass among obstacles (resources/models/point-mass.xml): the "planar system" of E2C
 * (Watter et al. 2015). Drive a small disc to a goal in a 2 m × 2 m arena with six round obstacles.
 *
 * State: the agent's centre (x, y) in metres (arena x, y ∈ [−1, 1], walls at the border; the centre
 * stays 0.08 m, its radius, inside them), its velocity (ẋ, ẏ) in m/s, and the goal (gx, gy) in metres.
 * Velocity control: the slides are damped so hard that within a step the agent moves at about
 * 2·a m/s (1/32 of a speed change is left after a step); the position alone is (nearly) the state, as
 * in E2C.
 *
 * Observation [6]: [x, y, ẋ, ẏ, gx, gy]. The velocity keeps the state Markov during contacts (the
 * agent slides along an obstacle it pushes into); the goal changes per episode.
 *
 * Action [2]: a ∈ [−1, 1]², motor commands; force 20·a N on each slide (steady speed 2·a m/s).
 *
 * Reward per step, from the observation after the step: r = −‖(x, y) − (gx, gy)‖ (metres): the
 * negative distance to the goal, as the issue asks; the action does not enter.
 *
 * Episodes: the agent and the goal are each uniform over the free arena (centre at least 0.02 m clear
 * of every obstacle and wall, rejection sampling), at rest; all drawn from the reset seed. Never
 * terminates; truncated after 150 steps of 0.05 s (7.5 s; crossing the arena takes about 20 steps).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TaskInfo } from '../env';
import type { MujocoTask } from '../mujoco-task';
import type { Rng } from '../../util/rng';
import { neverTerminatedBatch, planarDistance } from './batch';

/** Agent radius, m (point-mass.xml). */
export const POINT_MASS_RADIUS = 0.08;
/** Half side of the arena inside the walls, m. */
export const POINT_MASS_ARENA = 1;
/** Obstacles: centre x, y and radius, m (point-mass.xml). */
export const POINT_MASS_OBSTACLES: readonly (readonly [number, number, number])[] = Object.freeze([
  [-0.55, 0.45, 0.15],
  [0.1, 0.6, 0.15],
  [0.6, 0.15, 0.15],
  [-0.2, -0.05, 0.15],
  [0.35, -0.5, 0.15],
  [-0.6, -0.55, 0.15],
]);
/** Observation indices of the agent and goal positions. */
export const POINT_MASS_POS = 0;
export const POINT_MASS_GOAL = 4;

/** Static facts of the point-mass task. */
export const POINT_MASS_INFO: Readonly<TaskInfo> = Object.freeze({
  id: 'point-mass',
  title: 'Point mass among obstacles',
  description:
    'A disc in a walled 2 m arena with six round obstacles must reach a goal (E2C’s planar system). ' +
    'Observation [x, y, ẋ, ẏ, goal x, y]; actions: velocity commands in [−1, 1]² × 2 m/s.',
  obsDim: 6,
  actDim: 2,
  dt: 0.05,
  maxEpisodeSteps: 150,
  actionLow: [-1, -1],
  actionHigh: [1, 1],
  actionNames: ['x', 'y'],
  angleDims: [],
});

/** Whether an agent centred at (x, y) is clear of walls and obstacles by at least margin metres. */
export function pointMassIsFree(x: number, y: number, margin = 0): boolean {
  const r = POINT_MASS_RADIUS + margin;
  if (Math.abs(x) > POINT_MASS_ARENA - r || Math.abs(y) > POINT_MASS_ARENA - r) return false;
  return POINT_MASS_OBSTACLES.every(([ox, oy, or]) => Math.hypot(x - ox, y - oy) >= or + r);
}

/** A uniformly drawn free position (rejection sampling; a seed-determined number of draws). */
export function samplePointMassPosition(rng: Rng): [number, number] {
  for (;;) {
    const x = rng.uniform(-POINT_MASS_ARENA, POINT_MASS_ARENA);
    const y = rng.uniform(-POINT_MASS_ARENA, POINT_MASS_ARENA);
    if (pointMassIsFree(x, y, 0.02)) return [x, y];
  }
}

/** Point-mass reward for arriving at obs [6]: −‖position − goal‖, m. */
export function pointMassReward(obs: ArrayLike<number>): number {
  return -Math.hypot(obs[0] - obs[POINT_MASS_GOAL], obs[1] - obs[POINT_MASS_GOAL + 1]);
}

/**
 * Issue 6's success measure for a point-mass episode: the final distance to the goal (m) is at most one
 * body radius ({@link POINT_MASS_RADIUS}). states: observations [T · 6] after each step (the last row counts).
 */
export function pointMassOutcome(states: Float32Array, stateDim: number): { success: boolean; measures: { finalDistance: number } } {
  const last = states.subarray(states.length - stateDim);
  const finalDistance = -pointMassReward(last);
  return { success: finalDistance <= POINT_MASS_RADIUS, measures: { finalDistance } };
}

/** {@link pointMassReward} batched: nextObs [B, 6], action [B, 2] (unused) → [B]. */
export function pointMassRewardBatch(nextObs: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.neg(planarDistance(nextObs, POINT_MASS_POS, POINT_MASS_GOAL)));
}

/** The point mass as a MuJoCo task. qpos = qvel layout: [x, y, goal_x, goal_y]. */
export const pointMassTask: MujocoTask = {
  info: POINT_MASS_INFO,
  modelFile: 'point-mass.xml',
  frameSkip: 5, // timestep 0.01 s in the XML
  observationLow: [-POINT_MASS_ARENA, -POINT_MASS_ARENA, -Infinity, -Infinity, -POINT_MASS_ARENA, -POINT_MASS_ARENA],
  observationHigh: [POINT_MASS_ARENA, POINT_MASS_ARENA, Infinity, Infinity, POINT_MASS_ARENA, POINT_MASS_ARENA],
  camera: { eye: [0, -1.9, 2.6], target: [0, -0.05, 0] },
  initialState(rng, qpos) {
    [qpos[0], qpos[1]] = samplePointMassPosition(rng);
    [qpos[2], qpos[3]] = samplePointMassPosition(rng);
  },
  observe(qpos, qvel, out) {
    out[0] = qpos[0];
    out[1] = qpos[1];
    out[2] = qvel[0];
    out[3] = qvel[1];
    out[4] = qpos[2];
    out[5] = qpos[3];
  },
  configurationFromObs(obs, qpos) {
    qpos[0] = obs[0];
    qpos[1] = obs[1];
    qpos[2] = obs[POINT_MASS_GOAL];
    qpos[3] = obs[POINT_MASS_GOAL + 1];
  },
  reward: pointMassReward,
  terminated: () => false,
  rewardBatch: pointMassRewardBatch,
  terminatedBatch: neverTerminatedBatch,
};
