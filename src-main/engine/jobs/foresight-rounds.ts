/**
 * MPC rounds for visual foresight (the lecture's v1.0 → v1.5 loop, as the latent job's rounds):
 * after the first fit on random pushes, each round runs the visual-foresight planner on random
 * pushing tasks of its own (plus Gaussian action noise), adds those episodes to the training data
 * and fits the video model further on all of it.
 *
 * Why: random pushes aimed at the block show few of the motions the planner's plans make, such as
 * going around the block, brushing past its corners, and pushes that turn it. The planner then
 * picks plans exactly where the model is wrong: from most evaluation starts its plans never touch
 * the block (docs/RESULTS.md, issue 7). Its own episodes put those motions into the data.
 */
import { DEFAULT_PUSHING_TASKS, planarPushPointTracker, randomPushingTasks, type ImageEnv, type ImageEpisode } from '../../mbrl/env';
import { fitVideoModel, type VideoFitOptions, type VideoFitReport, type VideoGradientShards, type VideoPredictionModel } from '../../mbrl/models/video';
import type { VisualForesightSettings } from '../../mbrl/planning';
import { runPlannerEpisodes, type PlannerEpisodeThreads } from './foresight-planner-episode';

/** The rounds of a foresight training (spec train.mpcRounds). */
export interface ForesightRoundSettings {
  /** Rounds of plan-then-refit, ≥ 1. */
  rounds: number;
  /** Planner episodes per round, each toward its own random goal. */
  episodes: number;
  /** Actions per planner episode. */
  steps: number;
  /** Training steps after each round, on all episodes so far. */
  fitSteps: number;
  /** Std of the Gaussian noise added to each planned action, in action units (e.g. 0.3 of [−1, 1]). */
  noise: number;
  /**
   * Each planner episode is drawn this many times as often as a random one. Why: a few dozen planner
   * episodes beside hundreds of random ones would otherwise fill only a few percent of each batch.
   */
  weight: number;
  /**
   * Frames predicted after the context in each window of the rounds' fits (default: the first fit's
   * horizon). Why longer: the planner looks 24 steps ahead, and a model fitted on 10-step windows
   * predicts a push that starts after its 10th step hardly at all (the designated pixel's distribution
   * stalls while the block moves on), which is every push that first goes around the block (session
   * 20). The planner episodes are long enough for such windows; the random ones must be too.
   */
  fitHorizon?: number;
}

/** Goal distances of the rounds' tasks: issue 7's 10–20 px of a 64-px frame, scaled to the model's frame. */
const GOAL_DISTANCE_OF_FRAME: readonly [number, number] = [10 / 64, 20 / 64];

/** What the rounds need from the training. */
export interface ForesightRoundContext {
  /** The pushing task's image env at the model's frame size (its state shows the block). */
  env: ImageEnv;
  model: VideoPredictionModel;
  /** The planner's sizes (the evaluation's, or the plan's). */
  planning: VisualForesightSettings;
  /** The first fit's options; each round fits `fitSteps` more with the own-prediction input throughout. */
  fit: VideoFitOptions;
  /** Seed of the rounds' tasks and noise; round r's episode i resets with seed + 10 000·r + i. */
  seed: number;
  validation: ImageEpisode[];
  shards?: VideoGradientShards;
  /**
   * Worker threads that run planner episodes beside the engine's thread (the video-training pool's).
   * Why: a round's episodes are independent, and the planner alone keeps one core busy; on the
   * 2-core CPU two threads run them about 1.7× as fast (docs/RESULTS.md, session 18).
   */
  episodeThreads?: PlannerEpisodeThreads;
  signal?: AbortSignal;
  /** After each planner episode: round, episodes done this round, and the designated point's final distance to its goal (px of the model's frame). */
  onEpisode?: (round: number, done: number, finalDistance: number) => void;
  /** Each training report of a round's fit. */
  onFit?: (round: number, report: VideoFitReport) => void;
  /** After each round: its episodes' final distances (px of the model's frame). */
  onRound?: (round: number, finalDistances: number[]) => void;
}

/**
 * Runs the rounds on top of `episodes` (the random pushes the model was fitted on); returns the planner
 * episodes collected (in order) and every round's training reports (steps counted within the round).
 * Stops early, keeping what is collected and fitted, when `signal` aborts.
 * @throws Error when the env is not the pushing task (the rounds' goals move its block).
 */
export async function runForesightRounds(settings: ForesightRoundSettings, episodes: readonly ImageEpisode[], c: ForesightRoundContext): Promise<{ episodes: ImageEpisode[]; reports: (VideoFitReport & { round: number })[] }> {
  if (c.env.id !== 'planar-push-pixels') throw new Error(`train.mpcRounds: the rounds push the block of planar-push-pixels; task ${c.env.id} has no pushing goals`);
  const S = c.env.imageSpace.width;
  const collected: ImageEpisode[] = [];
  const reports: (VideoFitReport & { round: number })[] = [];
  for (let r = 1; r <= settings.rounds && !c.signal?.aborted; r++) {
    const seed = c.seed + 10_000 * r;
    const tasks = randomPushingTasks(c.env.camera, (s) => (c.env.reset(s), c.env.state()), {
      count: settings.episodes,
      seed,
      minDistance: GOAL_DISTANCE_OF_FRAME[0] * S,
      maxDistance: GOAL_DISTANCE_OF_FRAME[1] * S,
      marginFraction: DEFAULT_PUSHING_TASKS.marginFraction,
    });
    const finals: number[] = [];
    const dim = c.env.stateSpace.size;
    const added = await runPlannerEpisodes(c.env, c.model, tasks, { planning: c.planning, steps: settings.steps, noise: settings.noise }, { threads: c.episodeThreads, signal: c.signal }, (episode, task) => {
      const track = planarPushPointTracker(c.env.camera, episode.states.subarray(0, dim), [task.designated]);
      const p = track(episode.states.subarray(episode.states.length - dim))[0];
      finals.push(Math.hypot(p.x - task.goal.x, p.y - task.goal.y));
      c.onEpisode?.(r, finals.length, finals[finals.length - 1]);
    });
    collected.push(...added);
    if (finals.length) c.onRound?.(r, finals);
    if (c.signal?.aborted) break;
    const weighted = collected.flatMap((e) => Array.from({ length: settings.weight }, () => e));
    const fitted = await fitVideoModel(
      c.model,
      [...episodes, ...weighted],
      { ...c.fit, horizon: settings.fitHorizon ?? c.fit.horizon, steps: settings.fitSteps, samplingRampSteps: 0, seed: c.fit.seed + r },
      (report) => c.onFit?.(r, report),
      c.signal,
      c.validation,
      c.shards,
    );
    reports.push(...fitted.map((report) => ({ ...report, round: r })));
  }
  return { episodes: collected, reports };
}
