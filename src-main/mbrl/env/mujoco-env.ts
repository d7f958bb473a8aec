import type { MjData, MjModel } from 'mujoco-js';
import type { BoxSpace, Env, StepResult } from './env';
import type { MujocoTask } from './mujoco-task';
import { extractPoses, extractScene } from './mujoco-scene';
import { POSE_STRIDE, type SceneDescription } from './scene';
import { getMujoco, loadModelFromXml, type Mujoco } from './mujoco-runtime';
import { Rng } from '../util/rng';

/** Agreement tolerance between the task's static action bounds and the model's float64 ctrlrange. */
const BOUND_TOL = 1e-9;

/**
 * A generic MuJoCo-backed {@link Env}: one model, one data, a task's hooks. Each step writes the clipped
 * action to data.ctrl and runs task.frameSkip physics substeps.
 *
 * Reproducibility: reset(seed) restores the model's reference state (mj_resetData clears every
 * simulator buffer, warm starts included) and draws initial-state noise from a fresh {@link Rng}(seed),
 * so the same seed and the same actions give bit-identical observations.
 *
 * Lifecycle: step() before the first reset() or after an episode ended (terminated or truncated)
 * throws; call reset() again. After dispose() every method throws.
 */
export class MujocoEnv implements Env {
  readonly id: string;
  readonly observationSpace: BoxSpace;
  readonly actionSpace: BoxSpace;
  readonly dt: number;
  readonly maxEpisodeSteps: number;
  /**
   * The simulator, for tests and benchmarks that need raw MuJoCo (e.g. mj_step at the model timestep).
   * Read array fields (data.qpos, ...) afresh each time: the views go stale when wasm memory grows.
   * Changing the state behind the env's back voids the reproducibility promise above.
   */
  readonly mj: Mujoco;
  readonly model: MjModel;
  readonly data: MjData;

  private readonly task: MujocoTask;
  private stepsTaken = 0;
  private episodeOver = true;
  private kinematicsStale = false;
  private disposed = false;
  /** Second MjData for {@link posesFor}, made on first use: the live data is never written by it. */
  private scratch: MjData | null = null;

  /** Load the runtime, compile xml (the task's MJCF document) and build the env. */
  static async create(task: MujocoTask, xml: string): Promise<MujocoEnv> {
    const mj = await getMujoco();
    return new MujocoEnv(task, mj, loadModelFromXml(mj, xml, task.modelFile));
  }

  /**
   * Wrap a compiled model; the env takes ownership of it and frees it in dispose().
   * @throws Error (and frees the model) when the model disagrees with task.info: actuator count,
   *   ctrlrange versus actionLow/actionHigh, or timestep × frameSkip versus dt.
   */
  constructor(task: MujocoTask, mj: Mujoco, model: MjModel) {
    this.task = task;
    this.mj = mj;
    this.model = model;
    const { info } = task;
    try {
      checkModelMatchesTask(task, model);
    } catch (e) {
      model.delete();
      throw e;
    }
    this.id = info.id;
    this.dt = info.dt;
    this.maxEpisodeSteps = info.maxEpisodeSteps;
    this.actionSpace = box(info.actionLow, info.actionHigh);
    this.observationSpace = box(task.observationLow, task.observationHigh);
    this.data = new mj.MjData(model);
    // Valid body poses before the first reset, in case the UI draws the scene first.
    mj.mj_forward(model, this.data);
  }

  /** Env steps taken in the current episode. */
  get elapsedSteps(): number {
    return this.stepsTaken;
  }

  /**
   * Start an episode from the model's reference state plus the task's seeded noise.
   * @param seed a safe integer (see {@link Rng}); @throws RangeError otherwise.
   * @returns the first observation, [obsDim].
   */
  reset(seed: number): Float32Array {
    this.assertAlive();
    const { mj, model, data } = this;
    mj.mj_resetData(model, data);
    this.task.initialState(new Rng(seed), data.qpos as Float64Array, data.qvel as Float64Array);
    mj.mj_forward(model, data);
    this.stepsTaken = 0;
    this.episodeOver = false;
    this.kinematicsStale = false;
    return this.observe();
  }

  /**
   * Apply action [actDim] (clipped to the action space; NaN throws) for dt seconds.
   * The reward is task.reward(next observation, clipped action). truncated is set on the
   * maxEpisodeSteps-th step.
   */
  step(action: Float32Array): StepResult {
    this.assertAlive();
    if (this.episodeOver) throw new Error(`${this.id}: step() needs reset(seed) first (no episode running)`);
    const { mj, model, data, actionSpace } = this;
    if (action.length !== actionSpace.size) {
      throw new RangeError(`${this.id}: action has ${action.length} components, expected ${actionSpace.size}`);
    }
    const applied = new Float32Array(actionSpace.size);
    const ctrl = data.ctrl as Float64Array;
    for (let i = 0; i < applied.length; i++) {
      const a = action[i];
      // NaN would poison the simulation state for the rest of the episode: refuse it loudly.
      if (Number.isNaN(a)) throw new RangeError(`${this.id}: action[${i}] is NaN`);
      applied[i] = Math.min(actionSpace.high[i], Math.max(actionSpace.low[i], a));
      ctrl[i] = applied[i];
    }
    for (let k = 0; k < this.task.frameSkip; k++) mj.mj_step(model, data);
    this.stepsTaken++;
    // mj_step leaves body poses one substep behind qpos; poses() refreshes them only when asked.
    this.kinematicsStale = true;
    const obs = this.observe();
    const terminated = this.task.terminated(obs);
    const truncated = this.stepsTaken >= this.maxEpisodeSteps;
    if (terminated || truncated) this.episodeOver = true;
    return { obs, reward: this.task.reward(obs, applied), terminated, truncated };
  }

  scene(): SceneDescription {
    this.assertAlive();
    return extractScene(this.mj, this.model, this.id, this.task.camera);
  }

  poses(): Float32Array {
    this.assertAlive();
    if (this.kinematicsStale) {
      // Positions only: cheap, and it does not touch anything the next mj_step reads.
      this.mj.mj_kinematics(this.model, this.data);
      this.kinematicsStale = false;
    }
    return extractPoses(this.model, this.data);
  }

  /**
   * Body poses of the configurations that observations [K · obsDim] show, for drawing a predicted
   * trajectory next to the real system: [K · nbody · POSE_STRIDE], pose k at [k · nbody · 7, ...).
   * Each configuration is the live one with what the observation determines written over it
   * (task.configurationFromObs; e.g. the half-cheetah keeps its live root x). Positions come from
   * mj_kinematics on a separate MjData, so the episode (its state, poses() and the next step()) is
   * untouched. Works before the first reset (from the reference state) and after an episode ended.
   * @throws RangeError when the length is not a multiple of obsDim.
   */
  posesFor(observations: Float32Array): Float32Array {
    this.assertAlive();
    const obsDim = this.observationSpace.size;
    if (observations.length % obsDim !== 0) {
      throw new RangeError(`${this.id}: posesFor got ${observations.length} values, not a multiple of obsDim ${obsDim}`);
    }
    const k = observations.length / obsDim;
    const { mj, model } = this;
    const stride = model.nbody * POSE_STRIDE;
    const out = new Float32Array(k * stride);
    if (k === 0) return out;
    // Allocating may grow wasm memory: read every array view only after it.
    this.scratch ??= new mj.MjData(model);
    const scratch = this.scratch;
    const live = Float64Array.from(this.data.qpos as Float64Array);
    for (let i = 0; i < k; i++) {
      const qpos = scratch.qpos as Float64Array;
      qpos.set(live);
      this.task.configurationFromObs(observations.subarray(i * obsDim, (i + 1) * obsDim), qpos);
      mj.mj_kinematics(model, scratch);
      out.set(extractPoses(model, scratch), i * stride);
    }
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.scratch?.delete();
    this.scratch = null;
    this.data.delete();
    this.model.delete();
  }

  private observe(): Float32Array {
    const out = new Float32Array(this.observationSpace.size);
    this.task.observe(this.data.qpos as Float64Array, this.data.qvel as Float64Array, out);
    return out;
  }

  private assertAlive(): void {
    if (this.disposed) throw new Error(`${this.id}: env was disposed`);
  }
}

function box(low: readonly number[], high: readonly number[]): BoxSpace {
  if (low.length !== high.length) throw new RangeError(`bounds differ in length: ${low.length} vs ${high.length}`);
  return { size: low.length, low: Float32Array.from(low), high: Float32Array.from(high) };
}

/** The static TaskInfo is served without loading MuJoCo, so keep it honest against the compiled model. */
function checkModelMatchesTask(task: MujocoTask, model: MjModel): void {
  const { info, frameSkip, modelFile } = task;
  const fail = (what: string): never => {
    throw new Error(`${modelFile} does not match task '${info.id}': ${what}`);
  };
  if (model.nu !== info.actDim) fail(`${model.nu} actuators, task has actDim ${info.actDim}`);
  const range = model.actuator_ctrlrange as Float64Array;
  const limited = model.actuator_ctrllimited as Uint8Array;
  for (let i = 0; i < info.actDim; i++) {
    if (!limited[i]) fail(`actuator ${i} has no ctrlrange`);
    if (Math.abs(range[2 * i] - info.actionLow[i]) > BOUND_TOL || Math.abs(range[2 * i + 1] - info.actionHigh[i]) > BOUND_TOL) {
      fail(`actuator ${i} ctrlrange [${range[2 * i]}, ${range[2 * i + 1]}] vs [${info.actionLow[i]}, ${info.actionHigh[i]}]`);
    }
  }
  const { follow } = task.camera;
  if (follow !== undefined && !(Number.isInteger(follow) && follow >= 0 && follow < model.nbody)) {
    fail(`camera follows body ${follow}, the model has ${model.nbody} bodies`);
  }
  const stepSeconds = model.opt.timestep * frameSkip;
  if (Math.abs(stepSeconds - info.dt) > 1e-12) fail(`timestep ${model.opt.timestep} s × ${frameSkip} ≠ dt ${info.dt} s`);
}
