/**
 * Half-cheetah running (resources/models/halfcheetah.xml), after Gym's HalfCheetah.
 *
 * State: root x (m, forward), torso height z (m, absolute: 0.7 in the reference pose), torso pitch θ
 * (rad, unlimited; positive pitches the nose down), six leg hinge angles (rad: back thigh, shin, foot,
 * front thigh, shin, foot; each limited), and the nine matching rates (m/s, rad/s).
 *
 * Observation [17]: qpos[1:] then qvel, i.e. [z, θ, 6 joint angles, ẋ, ż, θ̇, 6 joint rates]. Root x is
 * left out (as in Gym) so that the task looks the same wherever the robot is; the forward velocity ẋ
 * (index 8), which the reward needs, is in it (PETS had to add a velocity to Gym's older observation;
 * here it is there from the start). The pitch can make whole turns when the robot flips, so
 * angleDims = [1]; the leg hinges stay within ±1.2 rad and are left raw.
 *
 * Action [6]: a ∈ [−1, 1]⁶, motor commands; torques a × (120, 90, 60, 120, 60, 30) N·m.
 *
 * Reward per step, from the observation after the step and the applied (clipped) action:
 *   r = ẋ − 0.1·‖a‖²   (m/s of forward velocity of the torso at the end of the step, minus a
 * dimensionless effort term ∈ [0, 0.6]).
 * Gym rewards the step's mean velocity Δx/dt, which needs x before the step; the velocity at the end
 * of the step is a function of the observation alone (so a planner can score predictions) and sums to
 * about the same return over an episode.
 *
 * Episodes: qpos = reference + U(−0.1, 0.1) per coordinate, qvel ~ 0.1·N(0, 1) per coordinate (Gym).
 * Never terminates (a flipped cheetah just scores badly); truncated after 200 steps of 0.05 s (10 s):
 * Gym and PETS use 1000, which is too slow for a two-core lab's training loop, and 200 steps are enough
 * to tell a running gait from a fall.
 *
 * Drawing predictions (Env.posesFor): an observation has no root x, so a predicted state is drawn at
 * the robot's current x, a ghost running in place that shows the predicted gait and posture.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TaskInfo } from '../env';
import type { MujocoTask } from '../mujoco-task';
import { column, neverTerminatedBatch, sumSquares, sumSquaresOf } from './batch';

/** Observation index of the forward velocity ẋ, m/s. */
export const HALFCHEETAH_FORWARD_VELOCITY = 8;
/** Body index of the torso (body 0 is the world), which the camera follows. */
export const HALFCHEETAH_TORSO_BODY = 1;
/** Motor gears, N·m per unit command (halfcheetah.xml), in action order. */
export const HALFCHEETAH_GEARS: readonly number[] = Object.freeze([120, 90, 60, 120, 60, 30]);

/** Static facts of the half-cheetah task. */
export const HALFCHEETAH_INFO: Readonly<TaskInfo> = Object.freeze({
  id: 'halfcheetah',
  title: 'Half-cheetah',
  description:
    'A planar two-legged runner must move forward as fast as it can. Observation [height, pitch, ' +
    '6 joint angles, 9 velocities]; actions: six joint torques in [−1, 1]; reward: forward speed − effort.',
  obsDim: 17,
  actDim: 6,
  dt: 0.05,
  maxEpisodeSteps: 200,
  actionLow: [-1, -1, -1, -1, -1, -1],
  actionHigh: [1, 1, 1, 1, 1, 1],
  actionNames: ['back thigh', 'back shin', 'back foot', 'front thigh', 'front shin', 'front foot'],
  angleDims: [1],
});

/** Half-cheetah reward for arriving at obs [17] under action [6]: ẋ − 0.1·‖a‖². */
export function halfcheetahReward(obs: ArrayLike<number>, action: ArrayLike<number>): number {
  return obs[HALFCHEETAH_FORWARD_VELOCITY] - 0.1 * sumSquaresOf(action);
}

/** {@link halfcheetahReward} batched: nextObs [B, 17], action [B, 6] → [B]. */
export function halfcheetahRewardBatch(nextObs: tf.Tensor2D, action: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => tf.sub(column(nextObs, HALFCHEETAH_FORWARD_VELOCITY), tf.mul(sumSquares(action), 0.1)));
}

/** The half-cheetah as a MuJoCo task. qpos: [rootx, rootz, rooty, 6 legs]; qvel alike. */
export const halfcheetahTask: MujocoTask = {
  info: HALFCHEETAH_INFO,
  modelFile: 'halfcheetah.xml',
  frameSkip: 5, // timestep 0.01 s in the XML
  observationLow: new Array<number>(17).fill(-Infinity),
  observationHigh: new Array<number>(17).fill(Infinity),
  // A side view. The robot runs off toward +x, so the viewer follows the torso (body 1) along x.
  camera: { eye: [0, -4, 1.1], target: [0, 0, 0.5], follow: HALFCHEETAH_TORSO_BODY },
  initialState(rng, qpos, qvel) {
    for (let i = 0; i < qpos.length; i++) qpos[i] += rng.uniform(-0.1, 0.1);
    for (let i = 0; i < qvel.length; i++) qvel[i] = 0.1 * rng.normal();
  },
  observe(qpos, qvel, out) {
    for (let i = 1; i < 9; i++) out[i - 1] = qpos[i];
    for (let i = 0; i < 9; i++) out[8 + i] = qvel[i];
  },
  configurationFromObs(obs, qpos) {
    // The observation has no root x: qpos[0] keeps the live root x, so a predicted trajectory is drawn
    // running in place at the robot's current position (its gait and posture, not its travel).
    for (let i = 1; i < 9; i++) qpos[i] = obs[i - 1];
  },
  reward: halfcheetahReward,
  terminated: () => false,
  rewardBatch: halfcheetahRewardBatch,
  terminatedBatch: neverTerminatedBatch,
};
