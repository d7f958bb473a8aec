import type { SceneDescription } from './scene';

/** A box in R^n: every component bounded by low and high (inclusive). */
export interface BoxSpace {
  /** Dimension n. */
  size: number;
  /** Lower bounds: [n]. May be -Infinity for unbounded observations. */
  low: Float32Array;
  /** Upper bounds: [n]. May be +Infinity for unbounded observations. */
  high: Float32Array;
}

/** Result of one environment step. */
export interface StepResult {
  /** Next observation: [obsDim]. A fresh array owned by the caller. */
  obs: Float32Array;
  /** Reward for the transition, task units (documented per task). */
  reward: number;
  /** True when the task reached a terminal state (the episode is over for good). */
  terminated: boolean;
  /** True when the episode was cut by the step limit (not a terminal state). */
  truncated: boolean;
}

/**
 * A control task with continuous observations and actions (Gymnasium semantics).
 * One step advances simulated time by {@link Env.dt} seconds.
 */
export interface Env {
  /** Task id as used in specs, e.g. "cartpole". */
  readonly id: string;
  readonly observationSpace: BoxSpace;
  readonly actionSpace: BoxSpace;
  /** Simulated seconds per env step. */
  readonly dt: number;
  /** Steps after which an episode is truncated. */
  readonly maxEpisodeSteps: number;
  /** Start a new episode. The same seed gives the same initial state, bit for bit. */
  reset(seed: number): Float32Array;
  /** Apply an action (clipped to the action space) for dt seconds. */
  step(action: Float32Array): StepResult;
  /** Static description of the scene, for drawing. */
  scene(): SceneDescription;
  /** Body poses now: [nbody * POSE_STRIDE], see PoseLayout in scene.ts. */
  poses(): Float32Array;
  /**
   * Body poses for a sequence of observations (e.g. a model's predicted trajectory), without
   * disturbing the episode: observations [K · obsDim] → poses [K · nbody · POSE_STRIDE].
   * Optional: only tasks whose observation determines the configuration can draw it.
   */
  posesFor?(observations: Float32Array): Float32Array;
  /** Free the simulator's memory. The env is unusable afterwards. */
  dispose(): void;
}

/** Static facts about a task, for lists in the UI and spec validation. */
export interface TaskInfo {
  id: string;
  title: string;
  description: string;
  obsDim: number;
  actDim: number;
  /** Seconds per step. */
  dt: number;
  maxEpisodeSteps: number;
  /** Per-dimension action bounds. */
  actionLow: number[];
  actionHigh: number[];
  /** Human names of action dimensions, for keyboard control hints. */
  actionNames: string[];
  /**
   * Indices of observation dimensions that are raw angles in radians (unwrapped, so possibly many
   * turns). Dynamics models should feed these through sin/cos: the same physical pose then gives the
   * same input however often the joint has turned. Empty when the task already observes cos/sin.
   */
  angleDims: number[];
}
