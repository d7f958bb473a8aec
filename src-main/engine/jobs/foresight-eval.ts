/**
 * Visual foresight's evaluation (issue 7, "Results to reach"): N random pushing tasks on
 * planar-push-pixels (the block's start from the task's reset, its centre designated, a goal pixel
 * 10–20 px away on the 64×64 frame), each run as an MPC episode by one of three controllers:
 * - 'model': the visual-foresight planner through the learned video model (the result);
 * - 'simulator': the same CEM with the true MuJoCo simulator as the model and the same cost on the
 *   designated point's true position (Σ_t ‖point_t − goal‖, px): the planner's ceiling;
 * - 'random': uniform random actions, held as the planner holds them: the floor.
 * Distances are always measured on the evaluation frame (default 64×64) from the block's true pose,
 * whatever frame size the model sees (a model on 32×32 frames gets the designated and goal pixels
 * scaled to its frame).
 */
import {
  makeMujocoEnv,
  PixelEnv,
  pixelView,
  planarPushPointTracker,
  randomPushingTasks,
  type ImagePoint2,
  type PushingTask,
  type PushingTaskOptions,
  type ReadModelXml,
} from '../../mbrl/env';
import type { VideoPredictionModel } from '../../mbrl/models/video';
import { DEFAULT_FORESIGHT, foresightOptimizer, MpcAgent, SimulatorPointObjective, VisualForesightPlanner, type PixelTracking, type VisualForesightSettings } from '../../mbrl/planning';
import { Rng } from '../../mbrl/util';
import { bytesToUnit } from '../../mbrl/render';
import { foresightLimitRepair } from './foresight-limits';

export type ForesightController = 'model' | 'simulator' | 'random';

/** Where the planner believes the designated pixels are between plans (see {@link PixelTracking}), or the simulated block's true point. */
export type ForesightTracking = PixelTracking | 'simulator';

/** The planner's own tracking for a run's tracking: 'simulator' positions are handed to observe() by the caller, so the planner itself uses the model's motion. */
export function plannerTracking(tracking: ForesightTracking): PixelTracking {
  return tracking === 'simulator' ? 'model' : tracking;
}

/** How to evaluate. */
export interface ForesightEvalOptions {
  /** The tasks: count, seed, goal distances (px of the evaluation frame), margin. */
  tasks: PushingTaskOptions;
  /** Actions per episode. */
  steps: number;
  /** A task succeeds when the designated point ends within this many px of its goal (issue 7: 4). */
  successRadius: number;
  /** Size of the frame distances are measured on (issue 7: 64). */
  evalSize: number;
  /** Planner sizes (the simulator baseline uses the same CEM). */
  planning: Partial<VisualForesightSettings>;
  /**
   * Between plans the designated pixel follows the model's predicted motion (the papers), the point
   * found in each real frame by registration against the first, or the simulator's true block.
   */
  tracking: ForesightTracking;
  /**
   * Indices of the tasks to run among the `tasks.count` drawn (0-based); absent: all. The whole set is
   * drawn first, so task i has the same start and goal as in the whole evaluation (to rerun one task,
   * or to spread a set over processes).
   */
  only?: readonly number[];
}

/** One task's outcome. Distances in px of the evaluation frame. */
export interface ForesightTaskResult {
  episodeSeed: number;
  designated: ImagePoint2;
  goal: ImagePoint2;
  startDistance: number;
  finalDistance: number;
  /** The designated point's distance to the goal after each step. */
  distances: number[];
  /** The designated point's largest distance from where it started, px: ≈ 0 when the block was never touched. */
  moved: number;
  /** Mean planning time per replanning, ms (0 for random). */
  planMs: number;
}

/** Outcome of one controller on all tasks. */
export interface ForesightEvalResult {
  controller: ForesightController;
  tasks: ForesightTaskResult[];
  /** Share of tasks within successRadius at the end, in [0, 1]. */
  successRate: number;
  /** Final distances sorted ascending, px. */
  finalDistances: number[];
  /** Wall time of the whole evaluation, s. */
  seconds: number;
}

/** Progress of an evaluation: after each task. */
export type EvalProgress = (done: number, total: number, last: ForesightTaskResult) => void;

/**
 * Runs `controller` on the tasks; `model` is needed for 'model'. The env is the pushing task at the
 * model's frame size (or the evaluation size without a model).
 */
export async function evaluateForesight(
  controller: ForesightController,
  model: VideoPredictionModel | null,
  options: ForesightEvalOptions,
  readModelXml: ReadModelXml,
  onTask?: EvalProgress,
  signal?: AbortSignal,
): Promise<ForesightEvalResult> {
  if (controller === 'model' && !model) throw new Error('foresight evaluation: the model controller needs a trained model');
  const { env, stateEnv, evalCamera, tasks } = await openPushingTasks(model, options, readModelXml);
  const started = performance.now();
  try {
    const settings = { ...DEFAULT_FORESIGHT, ...options.planning };
    const bounds = { low: env.actionSpace.low, high: env.actionSpace.high };
    const results: ForesightTaskResult[] = [];
    for (const task of tasks) {
      if (signal?.aborted) break;
      const result = await runTask(controller, model, task, env, stateEnv, evalCamera, settings, bounds, options);
      results.push(result);
      onTask?.(results.length, tasks.length, result);
    }
    const finalDistances = results.map((r) => r.finalDistance).sort((a, b) => a - b);
    return {
      controller,
      tasks: results,
      successRate: results.filter((r) => r.finalDistance <= options.successRadius).length / Math.max(1, results.length),
      finalDistances,
      seconds: (performance.now() - started) / 1000,
    };
  } finally {
    env.dispose();
  }
}

/** The evaluation's pushing env at the model's frame size (or the evaluation size), its state env, the evaluation camera and the tasks. The caller disposes env. */
export async function openPushingTasks(model: VideoPredictionModel | null, options: Pick<ForesightEvalOptions, 'evalSize' | 'tasks' | 'only'>, readModelXml: ReadModelXml) {
  const S = model?.config.imageSize ?? options.evalSize;
  const stateEnv = await makeMujocoEnv('planar-push', readModelXml);
  const env = new PixelEnv('planar-push-pixels', stateEnv, pixelView('planar-push-pixels'), { width: S, height: S });
  try {
    const evalCamera = env.camera.resized(options.evalSize, options.evalSize);
    const all = randomPushingTasks(evalCamera, (seed) => (env.reset(seed), env.state()), options.tasks);
    const tasks = options.only?.map((i) => {
      if (!Number.isInteger(i) || i < 0 || i >= all.length) throw new RangeError(`foresight evaluation: task ${i} is out of range (the evaluation has ${all.length}: 0-${all.length - 1})`);
      return all[i];
    }) ?? all;
    return { env, stateEnv, evalCamera, tasks };
  } catch (error) {
    env.dispose();
    throw error;
  }
}

/** Evaluation-frame pixel-index coordinates → a model frame of size S (same camera, another size). */
export function toModelFrame(p: ImagePoint2, S: number, evalSize: number): ImagePoint2 {
  const scale = S / evalSize;
  return { x: (p.x + 0.5) * scale - 0.5, y: (p.y + 0.5) * scale - 0.5 };
}

/**
 * A task's designated point and goal on a model frame of size S: the designated point at its exact
 * place (for a bilinear P₀, not rounded to its pixels), kept inside the frame; the goal may lie anywhere.
 */
export function taskOnModelFrame(task: Pick<PushingTask, 'designated' | 'goal'>, S: number, evalSize: number): { designated: ImagePoint2; goal: ImagePoint2 } {
  const d = toModelFrame(task.designated, S, evalSize);
  return { designated: { x: Math.min(S - 1, Math.max(0, d.x)), y: Math.min(S - 1, Math.max(0, d.y)) }, goal: toModelFrame(task.goal, S, evalSize) };
}

async function runTask(
  controller: ForesightController,
  model: VideoPredictionModel | null,
  task: PushingTask,
  env: PixelEnv,
  stateEnv: Awaited<ReturnType<typeof makeMujocoEnv>>,
  evalCamera: PixelEnv['camera'],
  settings: VisualForesightSettings,
  bounds: { low: Float32Array; high: Float32Array },
  options: ForesightEvalOptions,
): Promise<ForesightTaskResult> {
  env.reset(task.episodeSeed);
  const track = planarPushPointTracker(evalCamera, env.state(), [task.designated]);
  const start = track(env.state())[0];
  const startDistance = Math.hypot(start.x - task.goal.x, start.y - task.goal.y);
  const distances: number[] = [];
  let moved = 0;
  let planMs = 0;
  let plans = 0;
  const step = (action: Float32Array) => {
    const p = track(env.step(action).state)[0];
    distances.push(Math.hypot(p.x - task.goal.x, p.y - task.goal.y));
    moved = Math.max(moved, Math.hypot(p.x - start.x, p.y - start.y));
  };
  const seed = settings.seed + task.episodeSeed;
  if (controller === 'random') {
    const rng = new Rng(seed);
    const action = new Float32Array(bounds.low.length);
    for (let t = 0; t < options.steps; t++) {
      if (t % (settings.hold ?? 1) === 0) for (let j = 0; j < action.length; j++) action[j] = rng.uniform(bounds.low[j], bounds.high[j]);
      step(action);
    }
  } else if (controller === 'simulator') {
    const objective = new SimulatorPointObjective(stateEnv, (obs) => track(obs), [task.goal], settings.terminalWeight);
    try {
      const agent = new MpcAgent(() => objective, foresightOptimizer({ ...settings, seed }, bounds, foresightLimitRepair(settings, env)), bounds, settings.replanEvery);
      for (let t = 0; t < options.steps; t++) {
        const decision = await agent.act(new Float32Array(0));
        if (decision.replanned) {
          planMs += decision.planMs;
          plans++;
        }
        step(decision.action);
      }
    } finally {
      objective.dispose();
    }
  } else {
    const m = model!;
    const S = m.config.imageSize;
    const toModel = (p: ImagePoint2) => toModelFrame(p, S, options.evalSize);
    const { designated, goal } = taskOnModelFrame(task, S, options.evalSize);
    const planner = new VisualForesightPlanner(m, { kind: 'pixels', designated: [designated], goals: [goal] }, { ...settings, seed }, bounds, plannerTracking(options.tracking), foresightLimitRepair(settings, env));
    planner.reset(bytesToUnit(env.frame()));
    for (let t = 0; t < options.steps; t++) {
      const decision = await planner.act();
      if (decision.replanned) {
        planMs += decision.planMs;
        plans++;
      }
      step(decision.action);
      const tracked = options.tracking === 'simulator' ? track(env.state()).map(toModel) : undefined;
      await planner.observe(decision.action, bytesToUnit(env.frame()), tracked);
      await new Promise((resolve) => setImmediate(resolve));
    }
  }
  return { episodeSeed: task.episodeSeed, designated: task.designated, goal: task.goal, startDistance, finalDistance: distances[distances.length - 1] ?? startDistance, distances, moved, planMs: plans ? planMs / plans : 0 };
}
