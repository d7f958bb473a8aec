/**
 * Cart-pole swing-up (resources/models/cartpole.xml), with the reward of PETS (Chua et al. 2018).
 *
 * State: cart position x (m, along the rail, 0 at its middle, limited to ±2.4 m), pole angle θ (rad;
 * 0 = upright, π = hanging down, positive tips the pole toward +x) and their rates ẋ (m/s), θ̇ (rad/s).
 * Cart 1 kg; pole 0.25 kg, length l = 0.6 m from hinge to tip.
 *
 * Observation [4]: [x, θ, ẋ, θ̇], the raw joint state. θ is NOT wrapped (it keeps counting whole turns,
 * as in PETS), so it stays continuous through the hanging position where episodes start; dynamics
 * models should feed it through sin/cos (PETS's obs_preproc) rather than use it raw: angleDims [1].
 *
 * Action [1]: a ∈ [−1, 1]; force on the cart F = 25·a N (motor gear 25: 20 m/s² on the 1.25 kg system,
 * the force-to-mass ratio of PETS's cart-pole, so a swing-up fits in well under a second).
 *
 * Reward per step, computed from the observation after the step and the applied (clipped) action:
 *   r = exp(−d² / l²) − 0.01·a²,  l = 0.6 m,
 *   d² = (x + l·sin θ)² + (l·cos θ − l)²   (m²),
 * d being the distance from the pole tip to its target: upright above the rail's origin x = 0 (PETS:
 * tip target (0, l) relative to the hinge height). r ∈ (−0.01, 1]; 1 is upright, centred, no effort.
 *
 * Episodes: start hanging down, x, θ − π, ẋ, θ̇ each ~ N(0, 0.1²) (PETS); never terminate (the rail
 * limits stop the cart); truncated after 200 steps of 0.05 s (10 s).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TaskInfo } from '../env';
import type { MujocoTask } from '../mujoco-task';
import { column, neverTerminatedBatch } from './batch';

/** Hinge-to-tip length of the pole, m (cartpole.xml). */
export const CARTPOLE_POLE_LENGTH = 0.6;
/** Largest force on the cart, N: the actuator's gear in cartpole.xml. */
export const CARTPOLE_MAX_FORCE = 25;

/** Static facts of the cart-pole task. */
export const CARTPOLE_INFO: Readonly<TaskInfo> = Object.freeze({
  id: 'cartpole',
  title: 'Cart-pole swing-up',
  description:
    'Push a cart along a rail so that the pole hinged on it swings up from hanging and balances ' +
    'upright over the rail centre. Observation [x, θ, ẋ, θ̇]; action: force in [−1, 1] × 25 N.',
  obsDim: 4,
  actDim: 1,
  dt: 0.05,
  maxEpisodeSteps: 200,
  actionLow: [-1],
  actionHigh: [1],
  actionNames: ['push'],
  angleDims: [1], // θ, unwrapped
});

/**
 * Cart-pole reward for arriving at obs = [x, θ, ẋ, θ̇] under action [a]:
 * exp(−d²/l²) − 0.01·a², d the pole tip's distance to upright over x = 0. See the module comment.
 */
export function cartpoleReward(obs: ArrayLike<number>, action: ArrayLike<number>): number {
  const l = CARTPOLE_POLE_LENGTH;
  const dx = obs[0] + l * Math.sin(obs[1]);
  const dz = l * Math.cos(obs[1]) - l;
  return Math.exp(-(dx * dx + dz * dz) / (l * l)) - 0.01 * action[0] * action[0];
}

/** {@link cartpoleReward} batched: nextObs [B, 4], action [B, 1] → [B]. */
export function cartpoleRewardBatch(nextObs: tf.Tensor2D, action: tf.Tensor2D): tf.Tensor1D {
  return tf.tidy(() => {
    const l = CARTPOLE_POLE_LENGTH;
    const theta = column(nextObs, 1);
    const dx = tf.add(column(nextObs, 0), tf.mul(tf.sin(theta), l));
    const dz = tf.sub(tf.mul(tf.cos(theta), l), l);
    const closeness = tf.exp(tf.div(tf.neg(tf.add(tf.square(dx), tf.square(dz))), l * l));
    return tf.sub(closeness, tf.mul(tf.square(column(action, 0)), 0.01));
  });
}

/** The cart-pole as a MuJoCo task. */
export const cartpoleTask: MujocoTask = {
  info: CARTPOLE_INFO,
  modelFile: 'cartpole.xml',
  frameSkip: 5, // timestep 0.01 s in the XML
  observationLow: [-Infinity, -Infinity, -Infinity, -Infinity],
  observationHigh: [Infinity, Infinity, Infinity, Infinity],
  // Far enough back that the whole rail (±2.7 m drawn, ±2.4 m travel) fits a 45° view.
  camera: { eye: [0, -6, 1.6], target: [0, 0, 0.9] },
  initialState(rng, qpos, qvel) {
    qpos[0] = 0.1 * rng.normal();
    qpos[1] = Math.PI + 0.1 * rng.normal();
    qvel[0] = 0.1 * rng.normal();
    qvel[1] = 0.1 * rng.normal();
  },
  observe(qpos, qvel, out) {
    out[0] = qpos[0];
    out[1] = qpos[1];
    out[2] = qvel[0];
    out[3] = qvel[1];
  },
  configurationFromObs(obs, qpos) {
    qpos[0] = obs[0];
    qpos[1] = obs[1];
  },
  reward: cartpoleReward,
  terminated: () => false,
  rewardBatch: cartpoleRewardBatch,
  terminatedBatch: neverTerminatedBatch,
};
