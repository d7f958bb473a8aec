import type * as tf from '@tensorflow/tfjs-core';
import type { TaskInfo } from './env';
import type { SceneCamera } from './scene';
import type { Rng } from '../util/rng';

/**
 * What one MuJoCo-backed task adds to the generic {@link MujocoEnv}: its model file, static facts and
 * the hooks that make a physics model a control task. Task files export one of these as plain data and
 * functions, so listing tasks never loads MuJoCo.
 *
 * Reward and termination see only the observation (and the applied action), never the simulator: the
 * batched versions used for planning work on predicted observations and must agree with these.
 */
export interface MujocoTask {
  /** Static facts, also served by the registry without loading MuJoCo. */
  readonly info: Readonly<TaskInfo>;
  /** MJCF file name under resources/models, e.g. "cartpole.xml". */
  readonly modelFile: string;
  /** Physics substeps per env step: info.dt must equal frameSkip × the model's timestep. */
  readonly frameSkip: number;
  /** Observation bounds: [obsDim] each; ±Infinity where unbounded. */
  readonly observationLow: readonly number[];
  readonly observationHigh: readonly number[];
  /** Default camera for drawing, world frame (z-up), metres; follow, if set, must name a body. */
  readonly camera: SceneCamera;
  /**
   * Write an episode's initial state. qpos [nq] and qvel [nv] arrive holding the model's reference
   * state (qpos0, zero velocity); draw all randomness from rng, which reset(seed) seeds.
   */
  initialState(rng: Rng, qpos: Float64Array, qvel: Float64Array): void;
  /** Write the observation of state (qpos [nq], qvel [nv]) into out [obsDim]. */
  observe(qpos: Float64Array, qvel: Float64Array, out: Float32Array): void;
  /**
   * Inverse of {@link observe} as far as drawing needs it: write the configuration that obs [obsDim]
   * shows into qpos [nq], for {@link Env.posesFor}. qpos arrives holding the episode's current
   * configuration; overwrite every coordinate the observation determines and leave the others (e.g.
   * the half-cheetah's root x, which it does not observe). Angles observed as (cos, sin) may be put
   * on any branch; choosing the one nearest the current value keeps quaternions continuous.
   * Velocities are not needed: only positions are drawn.
   */
  configurationFromObs(obs: ArrayLike<number>, qpos: Float64Array): void;
  /** Reward for arriving at obs [obsDim] after applying action [actDim] (already clipped). */
  reward(obs: ArrayLike<number>, action: ArrayLike<number>): number;
  /** Whether obs [obsDim] is a terminal state. */
  terminated(obs: ArrayLike<number>): boolean;
  /**
   * {@link reward} for a batch, for planning on predicted observations: nextObs [B, obsDim] and
   * (clipped) action [B, actDim] → [B] float32. Uses only tfjs-core ops, keeps no intermediate tensors;
   * the caller owns (and disposes) the result. Agrees with reward() row by row up to float32 rounding.
   */
  rewardBatch(nextObs: tf.Tensor2D, action: tf.Tensor2D): tf.Tensor1D;
  /** {@link terminated} for a batch: nextObs [B, obsDim] → [B] float32, 1 where terminal, else 0. */
  terminatedBatch(nextObs: tf.Tensor2D): tf.Tensor1D;
}
