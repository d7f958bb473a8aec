/**
 * Image-observation environments: a state task (a MuJoCo {@link Env}) seen through the engine's
 * software rasterizer from a fixed camera. The agent gets RGB frames; the true state is kept beside
 * them for evaluation and for colouring plots, and is never part of the observation.
 */
import type { BoxSpace, Env } from './env';
import type { SceneDescription } from './scene';
import { Rasterizer, type PixelCamera, type PixelCameraSpec, type RasterOptions } from '../render';
import { Rng } from '../util/rng';
import type { StartSampler } from './exploring-starts';
import { MujocoEnv } from './mujoco-env';
import { mujocoTask } from './registry';

/** Shape of an image observation: k stacked RGB frames [k, H, W, 3], uint8. */
export interface ImageSpace {
  height: number;
  width: number;
  /** Always 3 (RGB). */
  channels: 3;
  /** Frames per observation, k ≥ 1 (oldest first). */
  frameStack: number;
  /** Bytes per observation: k · H · W · 3. */
  size: number;
}

/** Result of one step of an {@link ImageEnv}. */
export interface PixelStepResult {
  /** Next observation [k, H, W, 3] uint8 (the newest frame last). A fresh array owned by the caller. */
  obs: Uint8Array;
  /** Reward of the state task for the transition (its units). */
  reward: number;
  terminated: boolean;
  truncated: boolean;
  /** The true state after the step, the state task's observation [stateDim]: for evaluation only. */
  state: Float32Array;
}

/**
 * A control task observed through images (Gymnasium semantics, like {@link Env}). obs is a Uint8Array
 * [k, H, W, 3]: k = frameStack frames, oldest first, each RGB bytes row by row from the top-left pixel
 * (k = 1: a single frame [H, W, 3]). At reset the first frame fills all k slots.
 */
export interface ImageEnv {
  /** Pixel task id, e.g. "pendulum-pixels". */
  readonly id: string;
  /** The state task underneath, e.g. "pendulum" (its reward, its batched functions, its state). */
  readonly stateTaskId: string;
  readonly imageSpace: ImageSpace;
  readonly actionSpace: BoxSpace;
  /** Space of {@link state} (the state task's observation space). */
  readonly stateSpace: BoxSpace;
  readonly dt: number;
  readonly maxEpisodeSteps: number;
  /** The camera at the image size: world ↔ pixel mapping (project, pixelOf, unproject). */
  readonly camera: PixelCamera;
  /** Camera name for dataset keys: frames are saved as obs/<cameraName>_image. */
  readonly cameraName: string;
  /** Start an episode: the first observation [k, H, W, 3]. Same seed, same bytes. */
  reset(seed: number): Uint8Array;
  /** Apply an action (clipped to the action space) for dt seconds. */
  step(action: Float32Array): PixelStepResult;
  /** The true state now [stateDim] (a copy). For evaluation and plots, never for the agent. */
  state(): Float32Array;
  /** The newest frame [H, W, 3] (a copy). */
  frame(): Uint8Array;
  /**
   * Frames of arbitrary states without disturbing the episode: states [K · stateDim] → [K, H, W, 3]
   * (e.g. a goal image, or frames of a model's predicted states). Coordinates a state does not
   * determine keep their live values.
   */
  renderStates(states: Float32Array): Uint8Array;
  /**
   * The frame the task counts as its goal for the current episode (e.g. the pendulum upright, the
   * point mass at its goal), for goal-image planning; null when the task has no such picture.
   */
  goalImage(): Uint8Array | null;
  /**
   * Where the task's manipulated object is on the frame in a true state ([stateDim]): (x, y) in
   * pixel-index coordinates (a pixel's centre is an integer), continuous; null or absent when the task
   * has no such object. Collected episodes carry it per frame (ImageEpisode.points).
   */
  objectPixel?(state: Float32Array): { x: number; y: number } | null;
  /** The state task's scene and body poses, for the 3D view beside the frames. */
  scene(): SceneDescription;
  poses(): Float32Array;
  dispose(): void;
}

/** How a pixel task looks: its camera and drawing choices (everything the rasterizer needs). */
export interface PixelView {
  camera: PixelCameraSpec;
  /** Dataset key prefix, e.g. "top" → obs/top_image. */
  cameraName: string;
  /** Default image size, pixels. */
  width: number;
  height: number;
  /** Names of bodies not drawn (e.g. a goal marker the agent must not see). */
  hiddenBodies?: readonly string[];
  /** See {@link RasterOptions}. */
  minRadiusPx?: number;
  shading?: RasterOptions['shading'];
  background?: RasterOptions['background'];
  supersample?: number;
  /** The state whose picture is the goal image, given the current true state; absent: no goal image. */
  goalState?(state: Float32Array): Float32Array;
  /**
   * A scripted exploratory action for data collection from the true state (e.g. the pusher heading
   * for the block), which random collection may mix in (CollectOptions.aimProbability) so that random
   * data shows the interactions worth learning. Absent: purely random collection.
   */
  explore?(state: Float32Array, rng: Rng): Float32Array;
  /**
   * A scripted exploration that carries out a whole manoeuvre toward the episode's hidden goal (the
   * pushing task: go around the block, then push it toward the goal), which collection may use
   * instead of `explore` in a share of the episodes (CollectOptions.goalPushEpisodes). Absent: none.
   */
  exploreTowardGoal?(state: Float32Array, rng: Rng): Float32Array;
  /**
   * The world point [x, y, z] (m) that stands for the manipulated object in a true state (the pushing
   * task's block centre, on its top face): its pixel is what video training's tracking term follows
   * (ImageEnv.objectPixel). Absent: no object to track.
   */
  objectPoint?(state: Float32Array): readonly number[];
}

/** Per-instance choices when making a pixel env; absent fields take the task's defaults. */
export interface PixelEnvOptions {
  width?: number;
  height?: number;
  /** Frames per observation (default 1). */
  frameStack?: number;
  supersample?: number;
  shading?: RasterOptions['shading'];
}

/**
 * {@link ImageEnv} over a state {@link Env}: every reset and step renders the state env's body poses.
 * The state env must implement posesFor (every MuJoCo task does) for renderStates and goalImage.
 * Owns the state env: dispose() frees it.
 */
export class PixelEnv implements ImageEnv {
  readonly id: string;
  readonly stateTaskId: string;
  readonly imageSpace: ImageSpace;
  readonly actionSpace: BoxSpace;
  readonly stateSpace: BoxSpace;
  readonly dt: number;
  readonly maxEpisodeSteps: number;
  readonly camera: PixelCamera;
  readonly cameraName: string;
  readonly rasterizer: Rasterizer;

  private readonly env: Env;
  private readonly view: PixelView;
  private readonly nbody: number;
  /** The k newest frames, oldest first: [k, H, W, 3]. */
  private readonly stack: Uint8Array;
  private current: Float32Array | null = null;
  /** Where reset() starts episodes: null = the task's own start distribution. */
  private starts: StartSampler | null = null;

  /** @throws RangeError on a bad frameStack or image size; Error when a hidden body name is unknown. */
  constructor(id: string, env: Env, view: PixelView, options: PixelEnvOptions = {}) {
    const frameStack = options.frameStack ?? 1;
    if (!Number.isInteger(frameStack) || frameStack < 1 || frameStack > 16) throw new RangeError(`${id}: frameStack must be an integer in 1..16, got ${frameStack}`);
    const width = options.width ?? view.width;
    const height = options.height ?? view.height;
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 8 || height < 8 || width > 1024 || height > 1024) {
      throw new RangeError(`${id}: image size must be integers in 8..1024, got ${width}×${height}`);
    }
    const scene = env.scene();
    this.rasterizer = viewRasterizer(id, view, scene, { ...options, width, height });
    this.id = id;
    this.stateTaskId = env.id;
    this.env = env;
    this.view = view;
    this.nbody = scene.bodies.length;
    this.camera = this.rasterizer.camera;
    this.cameraName = view.cameraName;
    this.actionSpace = env.actionSpace;
    this.stateSpace = env.observationSpace;
    this.dt = env.dt;
    this.maxEpisodeSteps = env.maxEpisodeSteps;
    const frameSize = width * height * 3;
    this.imageSpace = { height, width, channels: 3, frameStack, size: frameStack * frameSize };
    this.stack = new Uint8Array(frameStack * frameSize);
  }

  reset(seed: number): Uint8Array {
    this.current = this.env.reset(seed);
    const frameSize = this.stack.length / this.imageSpace.frameStack;
    if (this.starts) {
      this.current = this.startFrom(seed, this.starts);
      // A sampled start may be moving: fill the stack with real frames, k − 1 steps with no action from
      // the start, so that the first observation shows the motion the state has (a copied picture would
      // show it still). The episode then begins where those steps end.
      this.rasterizer.render(this.env.poses(), this.stack.subarray(0, frameSize));
      const noAction = new Float32Array(this.actionSpace.size);
      for (let i = 1; i < this.imageSpace.frameStack; i++) {
        this.current = this.env.step(noAction).obs;
        this.rasterizer.render(this.env.poses(), this.stack.subarray(i * frameSize, (i + 1) * frameSize));
      }
      return this.stack.slice();
    }
    const first = this.rasterizer.render(this.env.poses(), this.stack.subarray(0, frameSize));
    for (let i = 1; i < this.imageSpace.frameStack; i++) this.stack.set(first, i * frameSize);
    return this.stack.slice();
  }

  step(action: Float32Array): PixelStepResult {
    const r = this.env.step(action);
    this.current = r.obs;
    const frameSize = this.stack.length / this.imageSpace.frameStack;
    // Shift the stack by one frame and render the newest into the last slot.
    this.stack.copyWithin(0, frameSize);
    this.rasterizer.render(this.env.poses(), this.stack.subarray(this.stack.length - frameSize));
    return { obs: this.stack.slice(), reward: r.reward, terminated: r.terminated, truncated: r.truncated, state: r.obs.slice() };
  }

  /**
   * Makes reset(seed) start episodes from `starts` (e.g. the pendulum at any angle, from
   * exploring-starts.ts) instead of the task's own start distribution, until called with null. For data
   * collection only: evaluation episodes start as the task defines. Same seed, same start.
   * @throws Error when the state task is not a MuJoCo task (a start is written into its qpos and qvel).
   */
  useStarts(starts: StartSampler | null): void {
    if (starts && !(this.env instanceof MujocoEnv)) throw new Error(`${this.id}: exploring starts need a MuJoCo state task`);
    this.starts = starts;
  }

  /** After env.reset(seed): writes the sampled start into the simulator and returns its observation [stateDim]. */
  private startFrom(seed: number, starts: StartSampler): Float32Array {
    const { mj, model, data } = this.env as MujocoEnv;
    // Wasm memory may have grown since the last read: take the array views afresh.
    const qpos = data.qpos as Float64Array;
    const qvel = data.qvel as Float64Array;
    starts(new Rng(seed), qpos, qvel);
    mj.mj_forward(model, data);
    const obs = new Float32Array(this.stateSpace.size);
    mujocoTask(this.env.id).observe(qpos, qvel, obs);
    return obs;
  }

  /** The state task's env underneath (e.g. for the true-simulator baseline; never for the agent). */
  get stateEnv(): Env {
    return this.env;
  }

  state(): Float32Array {
    if (!this.current) throw new Error(`${this.id}: no episode yet (call reset(seed))`);
    return this.current.slice();
  }

  frame(): Uint8Array {
    const frameSize = this.stack.length / this.imageSpace.frameStack;
    return this.stack.slice(this.stack.length - frameSize);
  }

  renderStates(states: Float32Array): Uint8Array {
    if (!this.env.posesFor) throw new Error(`${this.id}: the state task '${this.env.id}' cannot pose arbitrary states`);
    return this.rasterizer.renderMany(this.env.posesFor(states), this.nbody);
  }

  goalImage(): Uint8Array | null {
    if (!this.view.goalState) return null;
    return this.renderStates(this.view.goalState(this.state()));
  }

  objectPixel(state: Float32Array): { x: number; y: number } | null {
    if (!this.view.objectPoint) return null;
    const { u, v } = this.camera.project(this.view.objectPoint(state));
    // project() gives continuous image coordinates with pixel centres at half-integers.
    return { x: u - 0.5, y: v - 0.5 };
  }

  scene(): SceneDescription {
    return this.env.scene();
  }

  poses(): Float32Array {
    return this.env.poses();
  }

  dispose(): void {
    this.env.dispose();
  }
}

/**
 * The rasterizer of a pixel view for a task's scene (hidden bodies resolved by name); options
 * override the view's size, shading and supersampling.
 * @throws Error when a hidden body name is not in the scene.
 */
export function viewRasterizer(id: string, view: PixelView, scene: SceneDescription, options: PixelEnvOptions = {}): Rasterizer {
  const names = scene.bodies.map((b) => b.name);
  const hidden = (view.hiddenBodies ?? []).map((name) => {
    const b = names.indexOf(name);
    if (b < 0) throw new Error(`${id}: hidden body '${name}' is not in ${scene.task}'s model (bodies: ${names.join(', ')})`);
    return b;
  });
  return new Rasterizer(scene, view.camera, {
    width: options.width ?? view.width,
    height: options.height ?? view.height,
    hiddenBodies: hidden,
    minRadiusPx: view.minRadiusPx,
    shading: options.shading ?? view.shading,
    background: view.background,
    supersample: options.supersample ?? view.supersample,
  });
}
