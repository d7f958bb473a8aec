import type { TaskInfo } from './env';
import type { SceneDescription } from './scene';
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
  /** Default camera for drawing, world frame (z-up), metres. */
  readonly camera: SceneDescription['camera'];
  /**
   * Write an episode's initial state. qpos [nq] and qvel [nv] arrive holding the model's reference
   * state (qpos0, zero velocity); draw all randomness from rng, which reset(seed) seeds.
   */
  initialState(rng: Rng, qpos: Float64Array, qvel: Float64Array): void;
  /** Write the observation of state (qpos [nq], qvel [nv]) into out [obsDim]. */
  observe(qpos: Float64Array, qvel: Float64Array, out: Float32Array): void;
  /** Reward for arriving at obs [obsDim] after applying action [actDim] (already clipped). */
  reward(obs: Float32Array, action: Float32Array): number;
  /** Whether obs [obsDim] is a terminal state. */
  terminated(obs: Float32Array): boolean;
}
