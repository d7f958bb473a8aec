/**
 * One planner episode of the foresight MPC rounds: the visual-foresight planner pushes the block toward
 * one task's goal, with Gaussian noise on each planned action, and every frame, state and action is
 * recorded. A pure function of its inputs (the model's weights, the task, the settings), so the rounds
 * can run their episodes on any thread: the engine's, or a video-training worker's
 * (engine/compute/video-training-worker.ts), with the same result.
 */
import { collectImageEpisodes, type ImageEnv, type ImageEpisode, type PushingTask } from '../../mbrl/env';
import { readWeights, type VideoPredictionModel } from '../../mbrl/models/video';
import { VisualForesightPlanner, type VisualForesightSettings } from '../../mbrl/planning';
import { bytesToUnit } from '../../mbrl/render';
import { Rng } from '../../mbrl/util';
import { foresightLimitRepair } from './foresight-limits';

/** What one planner episode needs besides the env and the model. */
export interface PlannerEpisodeSettings {
  /** The planner's sizes. */
  planning: VisualForesightSettings;
  /** Actions in the episode. */
  steps: number;
  /** Std of the Gaussian noise added to each planned action, in action units. */
  noise: number;
}

/** Which env a thread builds for a planner episode: a pixel task's id at a square frame size (px). */
export interface PlannerEpisodeEnv {
  task: string;
  size: number;
}

/** Threads besides the engine's that run planner episodes (the video-training pool's workers). */
export interface PlannerEpisodeThreads {
  /** Threads, indexed 0 … count − 1. */
  readonly count: number;
  /**
   * {@link runPlannerEpisode} on thread `index`, with a model of the pool's config holding `weights`
   * (model.variables order) and its own env as `env` says.
   */
  plannerEpisode(index: number, weights: readonly Float32Array[], env: PlannerEpisodeEnv, task: PushingTask, settings: PlannerEpisodeSettings): Promise<ImageEpisode>;
}

/**
 * Runs `task` from its start (env.reset(task.episodeSeed)) for `settings.steps` actions. The CEM's seed
 * is planning.seed + episodeSeed and the noise's is episodeSeed, so the episode depends on nothing but
 * its inputs (not on which episodes ran before it, or on which thread).
 */
export async function runPlannerEpisode(env: ImageEnv, model: VideoPredictionModel, task: PushingTask, settings: PlannerEpisodeSettings): Promise<ImageEpisode> {
  const [episode] = await collectImageEpisodes(env, { episodes: 1, steps: settings.steps, seed: task.episodeSeed, policy: () => plannerPolicy(env, model, task, settings) });
  return episode;
}

/**
 * Planner episodes for `tasks`, in task order: each thread (the engine's, and every one of
 * `threads`) takes the next task as soon as it is free. `onDone` sees each episode as it ends (in the
 * order they end). Stops starting new episodes when `signal` aborts; returns those that ran. When a
 * thread fails, the others start no new episode, and once their current ones end this rejects with
 * the first failure (a worker's error names the request, e.g. an unknown task).
 */
export async function runPlannerEpisodes(
  env: ImageEnv,
  model: VideoPredictionModel,
  tasks: readonly PushingTask[],
  settings: PlannerEpisodeSettings,
  options: { threads?: PlannerEpisodeThreads; signal?: AbortSignal } = {},
  onDone?: (episode: ImageEpisode, task: PushingTask) => void,
): Promise<ImageEpisode[]> {
  const { threads, signal } = options;
  const results: (ImageEpisode | undefined)[] = new Array(tasks.length);
  const weights = threads?.count ? readWeights(model) : [];
  const where = { task: env.id, size: env.imageSpace.width };
  let next = 0;
  // After one thread's failure the others start no new episode (the call rejects with that failure).
  let failed = false;
  const lane = async (run: (task: PushingTask) => Promise<ImageEpisode>) => {
    while (next < tasks.length && !signal?.aborted && !failed) {
      const i = next++;
      try {
        results[i] = await run(tasks[i]);
      } catch (error) {
        failed = true;
        throw error;
      }
      onDone?.(results[i]!, tasks[i]);
    }
  };
  // Every lane settles before this returns or throws, so no episode still runs on env and model after.
  const settled = await Promise.allSettled([
    lane((task) => runPlannerEpisode(env, model, task, settings)),
    ...Array.from({ length: threads?.count ?? 0 }, (_, w) => lane((task) => threads!.plannerEpisode(w, weights, where, task, settings))),
  ]);
  const failure = settled.find((s): s is PromiseRejectedResult => s.status === 'rejected');
  if (failure) throw failure.reason;
  return results.filter((e): e is ImageEpisode => e !== undefined);
}

/** The episode's controller: plans toward `task`'s goal with noise, keeping the planner's context in step with what was applied. */
function plannerPolicy(env: ImageEnv, model: VideoPredictionModel, task: PushingTask, settings: PlannerEpisodeSettings) {
  const { low, high } = env.actionSpace;
  const planner = new VisualForesightPlanner(model, { kind: 'pixels', designated: [task.designated], goals: [task.goal] }, { ...settings.planning, seed: settings.planning.seed + task.episodeSeed }, { low, high }, 'model', foresightLimitRepair(settings.planning, env));
  const rng = new Rng(task.episodeSeed);
  let applied: Float32Array | null = null;
  return {
    async act(): Promise<Float32Array> {
      // Let the event loop turn once a step. Why: the planner's awaits resolve as microtasks, so an
      // episode on the engine's thread would otherwise hold back a worker's finished episode (and its
      // next task) until this episode ends, and the worker would sit idle.
      await new Promise<void>((resolve) => setImmediate(resolve));
      const frame = bytesToUnit(env.frame());
      if (applied) await planner.observe(applied, frame);
      else planner.reset(frame);
      const { action } = await planner.act();
      applied = Float32Array.from(action, (a, j) => Math.min(high[j], Math.max(low[j], a + settings.noise * rng.normal())));
      return applied;
    },
  };
}
