/**
 * Visual foresight end to end on an image task (issue 7): autonomous random-push data collection
 * (saved as data/transitions.hdf5, robomimic layout with images),
 * training of the CDNA video model with progress and cancel, then MPC episodes that move designated
 * pixels to goal pixels (or the scene to a goal image), streaming what the "Visual foresight" view
 * draws: the best plan's predicted frames (Uint8Array), each designated pixel's probability map over
 * the horizon (Float32Array), the executed real frames and the distance to goal per step.
 *
 * Transport-free: events go to a {@link ForesightSink}; the engine adapts it to its JobContext and
 * protocol events (the `foresight/*` event shapes below are designed to travel as transferred typed
 * arrays).
 */
import { mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  collectImageEpisodes,
  makePixelEnv,
  pixelView,
  PLANAR_PUSH_BLOCK,
  PLANAR_PUSH_YAW,
  tablePointOfPixel,
  type CollectOptions,
  type ImageEnv,
  type ImageEpisode,
  type ReadModelXml,
} from '../../mbrl/env';
import { DEFAULT_VIDEO_FIT, DEFAULT_VIDEO_MODEL, expectedPixels, fitVideoModel, VideoPredictionModel, type Pixel, type VideoFitOptions, type VideoFitReport, type VideoModelConfig } from '../../mbrl/models/video';
import { DEFAULT_FORESIGHT, VisualForesightPlanner, type VisualForesightSettings } from '../../mbrl/planning';
import { bytesToUnit } from '../../mbrl/render';
import type { PlanningWorkersSetting } from '../compute/planning-workers';
import { withVideoTrainingShards } from '../compute/video-training-pool';
import { writeFileAtomic } from '../run/atomic-write';
import { writeRobomimic } from '../run/robomimic-writer';
import { newRunId } from '../run/runs-index';
import { readModelXml as readResourceModelXml } from '../resources';
import type { ForesightJobSpec as ForesightJobRequest, EngineEvent } from '../../protocol';
import type { Job, JobContext } from './job';
import { ProgressClock } from './progress-clock';
import { runForesightOnDataset } from './foresight-dataset-job';
import { runForesightRounds, type ForesightRoundSettings } from './foresight-rounds';
import { plannerTracking, type ForesightTracking } from './foresight-eval';
import { foresightLimitRepair } from './foresight-limits';

/** What a foresight run does. */
export interface ForesightJobSpec {
  /** An image task; 'planar-push-pixels' is the pushing task (its designated points are tracked on the block). */
  task: string;
  /** Frame size S (S×S; a multiple of 8); default the task's. */
  imageSize?: number;
  /**
   * Random pushing: aimProbability (default 0) is the share of held actions that head for the block
   * (PixelView.explore); in a share goalPushEpisodes of the episodes (default 0) those actions go
   * around the block and push it toward the episode's hidden goal instead (PixelView.exploreTowardGoal).
   */
  collect: ForesightCollectSpec;
  model?: Partial<Omit<VideoModelConfig, 'imageSize' | 'channels' | 'actDim'>>;
  /** Training settings; `workers`: threads sharing each step (see videoTrainingThreads; default 'auto'). */
  fit?: Partial<VideoFitOptions> & { workers?: PlanningWorkersSetting };
  /** MPC rounds after the first fit (foresight-rounds.ts); `planning` defaults to the run's planner. */
  mpcRounds?: Omit<ForesightRoundSettings, 'weight'> & { weight?: number; planning?: Partial<VisualForesightSettings> };
  planning?: Partial<VisualForesightSettings>;
  /** Designated pixels (clicked on the first frame) and one goal pixel each; or a goal image (the task's). */
  target: { kind: 'pixels'; designated: Pixel[]; goals: Pixel[] } | { kind: 'image' };
  /** Steps executed in the planning episode. */
  episodeSteps: number;
  /** Seed of the planning episode's start. */
  episodeSeed: number;
  /** Where the designated pixels come from between plans: the model's predicted motion (the papers), registration of each real frame against the first, or the simulator's true object motion. */
  tracking: ForesightTracking;
}

/** Events of a foresight run. Frames are RGB bytes [.., S, S, 3]; maps are [.., S, S, D] probabilities. */
export type ForesightEvent =
  | { type: 'foresight/phase'; phase: 'collect' | 'train' | 'plan' | 'done'; message: string }
  | { type: 'foresight/train'; report: VideoFitReport }
  | {
      type: 'foresight/plan';
      step: number;
      size: number;
      horizon: number;
      designated: number;
      /** The best plan's predicted frames: [H, S, S, 3]. */
      predictedFrames: Uint8Array;
      /** Each designated pixel's distribution at each predicted step: [H, S, S, D] (empty for a goal image). */
      pixelMaps: Float32Array;
      /** The plan: [H · A]. */
      plan: Float32Array;
      planMs: number;
    }
  | {
      type: 'foresight/executed';
      step: number;
      /** The real frame after the executed action: [S, S, 3]. */
      frame: Uint8Array;
      /** Distance of each designated point to its goal pixel after the step, px: [D] (true position on the pushing task, else the belief's mean). */
      distances: Float32Array;
    };

/** Where a foresight run reports. */
export interface ForesightSink {
  readonly signal: AbortSignal;
  emit(event: ForesightEvent): void;
  progress(done: number, total: number, message?: string): void;
}

/** What a run produced. */
export interface ForesightOutcome {
  status: 'finished' | 'cancelled';
  /** Final distance of each designated point to its goal, px (empty for a goal image). */
  finalDistances: number[];
}

/** The rounds' episodes reset with collect.seed + this (random pushes use seed + i, held-out ones seed + 1 000 000). */
const ROUND_SEED_OFFSET = 2_000_000;

const toBytes = (v: Float32Array) => Uint8Array.from(v, (x) => Math.round(255 * Math.min(1, Math.max(0, x))));

/**
 * Follows points glued to the pushing task's block: each designated pixel's table point in the
 * block's frame at the start, mapped through the block's current pose and projected to the camera.
 * Null for other tasks (then distances come from the planner's belief).
 */
function blockTracker(env: ImageEnv, task: string, designated: readonly Pixel[]): ((state: Float32Array) => { x: number; y: number }[]) | null {
  if (task !== 'planar-push-pixels') return null;
  const s0 = env.state();
  const [bx, by, yaw0] = [s0[PLANAR_PUSH_BLOCK], s0[PLANAR_PUSH_BLOCK + 1], s0[PLANAR_PUSH_YAW]];
  const local = designated.map((p) => {
    const w = tablePointOfPixel(env.camera, p.y, p.x);
    if (!w) throw new Error(`designated pixel (${p.x}, ${p.y}) does not see the table`);
    const [dx, dy] = [w[0] - bx, w[1] - by];
    return [Math.cos(-yaw0) * dx - Math.sin(-yaw0) * dy, Math.sin(-yaw0) * dx + Math.cos(-yaw0) * dy];
  });
  return (s) => {
    const [x, y, yaw] = [s[PLANAR_PUSH_BLOCK], s[PLANAR_PUSH_BLOCK + 1], s[PLANAR_PUSH_YAW]];
    return local.map(([lx, ly]) => {
      const { u, v } = env.camera.project([x + Math.cos(yaw) * lx - Math.sin(yaw) * ly, y + Math.sin(yaw) * lx + Math.cos(yaw) * ly, 0]);
      return { x: u - 0.5, y: v - 0.5 };
    });
  };
}

/** Collect → train → plan into `outDir` (model checkpoint and metrics there). */
export async function runForesight(spec: ForesightJobSpec, outDir: string, readModelXml: ReadModelXml, sink: ForesightSink): Promise<ForesightOutcome> {
  const env = await makePixelEnv(spec.task, readModelXml, spec.imageSize ? { width: spec.imageSize, height: spec.imageSize } : {});
  let model: VideoPredictionModel | null = null;
  try {
    model = await collectAndTrain(spec, env, outDir, sink);
    if (!model) return { status: 'cancelled', finalDistances: [] };
    return await planEpisode(spec, env, model, sink);
  } finally {
    model?.dispose();
    env.dispose();
  }
}

/** How {@link ForesightJobSpec.collect} collects. */
export interface ForesightCollectSpec {
  episodes: number;
  steps: number;
  actionRepeat: number;
  seed: number;
  aimProbability?: number;
  goalPushEpisodes?: number;
}

/**
 * The task's scripted explorations that `collect` asks for, as collectImageEpisodes options.
 * @throws Error naming the field when the task has no such exploration.
 */
export function scriptedExploration(task: string, collect: Pick<ForesightCollectSpec, 'aimProbability' | 'goalPushEpisodes'>): Pick<CollectOptions, 'aim' | 'aimProbability' | 'goalPush' | 'goalPushEpisodes'> {
  const { explore, exploreTowardGoal } = pixelView(task);
  if (collect.aimProbability && !explore) throw new Error(`train.collect.aimProbability: task ${task} has no scripted exploration; set it to 0`);
  if (collect.goalPushEpisodes && !exploreTowardGoal) throw new Error(`train.collect.goalPushEpisodes: task ${task} has no goal-push exploration; set it to 0`);
  return {
    ...(collect.aimProbability ? { aim: explore, aimProbability: collect.aimProbability } : {}),
    ...(collect.goalPushEpisodes ? { goalPush: exploreTowardGoal, goalPushEpisodes: collect.goalPushEpisodes } : {}),
  };
}

/**
 * The MPC rounds' planner: the defaults, then the spec's `planning`, then `mpcRounds.planning` field by
 * field, so a field the rounds leave out is the evaluation planner's (a preset that plans its
 * evaluation with options its rounds must not use sets them off in `mpcRounds.planning`).
 */
export function roundsPlanner(spec: Pick<ForesightJobSpec, 'mpcRounds' | 'planning'>): VisualForesightSettings {
  return { ...DEFAULT_FORESIGHT, ...spec.planning, ...spec.mpcRounds?.planning };
}

/**
 * Collects random pushes and trains a video model, then runs the MPC rounds when asked (their planner:
 * {@link roundsPlanner}); the model is saved under `outDir`; null when cancelled.
 */
export async function collectAndTrain(
  spec: Pick<ForesightJobSpec, 'task' | 'collect' | 'model' | 'fit' | 'mpcRounds' | 'planning'>,
  env: ImageEnv,
  outDir: string,
  sink: ForesightSink,
): Promise<VideoPredictionModel | null> {
  const { width: S, height, channels } = env.imageSpace;
  if (S !== height) throw new Error(`foresight: task ${spec.task} renders ${S}×${height}; the video model needs square frames`);
  const A = env.actionSpace.size;
  await mkdir(join(outDir, 'checkpoints'), { recursive: true });

  // 1. Autonomous random pushing.
  sink.emit({ type: 'foresight/phase', phase: 'collect', message: `collecting ${spec.collect.episodes} random episodes of ${spec.task}` });
  const clock = new ProgressClock();
  if ((spec.fit?.trackWeight ?? 0) > 0 && !pixelView(spec.task).objectPoint) throw new Error(`train.fit.trackWeight: task ${spec.task} has no object to track; set it to 0`);
  const episodes: ImageEpisode[] = await collectImageEpisodes(env, {
    ...spec.collect,
    ...scriptedExploration(spec.task, spec.collect),
    signal: sink.signal,
    onEpisode: (done, total) => sink.progress(done, total, `collect: episode ${done}/${total}${eta(clock, done, total)}`),
  });
  if (sink.signal.aborted) return null;
  // The dataset in the run folder, robomimic layout with the frames as obs/<camera>_image.
  const key = `${env.cameraName}_image`;
  await mkdir(join(outDir, 'data'), { recursive: true });
  const writeDataset = (path: string, list: readonly ImageEpisode[]) =>
    writeRobomimic(
      path,
      list.map((e) => ({ obs: e.states, act: e.actions, reward: e.rewards, terminated: e.terminated, images: [{ key, frames: e.frames, height: S, width: S }] })),
      { task: spec.task, obsDim: env.stateSpace.size, actDim: A, envKwargs: { camera: env.cameraName, image_key: key, width: S, height: S } },
    );
  await writeDataset(join(outDir, 'data', 'transitions.hdf5'), episodes);

  const held = Math.max(1, Math.floor(episodes.length / 10));
  const train = episodes.slice(0, episodes.length - held);
  const validation = episodes.slice(episodes.length - held);

  // 2. Training, with validation on the last tenth of the episodes.
  const config: VideoModelConfig = { ...DEFAULT_VIDEO_MODEL, ...spec.model, imageSize: S, channels, actDim: A };
  const model = VideoPredictionModel.create(config);
  try {
    const { workers = 'auto', ...fitSpec } = spec.fit ?? {};
    const fit = { ...DEFAULT_VIDEO_FIT, ...fitSpec };
    const trainClock = new ProgressClock();
    const rounds = spec.mpcRounds;
    // The loss curve runs on over the rounds' fits: step and steps count all training steps.
    const allSteps = fit.steps + (rounds ? rounds.rounds * rounds.fitSteps : 0);
    const reports = await withVideoTrainingShards(workers, fit.batchSize, config, async (shards, where) => {
      sink.emit({ type: 'foresight/phase', phase: 'train', message: `training ${fit.steps} steps${where}` });
      const first = await fitVideoModel(
        model,
        train,
        fit,
        (report) => {
          sink.emit({ type: 'foresight/train', report: { ...report, steps: allSteps } });
          sink.progress(report.step, report.steps, `train: loss ${report.trainLoss.toExponential(2)}${eta(trainClock, report.step, report.steps)}`);
        },
        sink.signal,
        validation,
        shards,
      );
      if (!rounds || sink.signal.aborted) return first;
      // The first fit's model too, as a run folder of its own (`--from RUN/before-rounds`), so that a
      // run can be evaluated with and without its rounds.
      await saveForesightModel(join(outDir, BEFORE_ROUNDS_DIR), model, first);
      const { planning: _roundPlanning, weight = 1, ...counts } = rounds;
      const planning = roundsPlanner(spec);
      const roundClock = new ProgressClock();
      const overallStep = (round: number, step: number) => fit.steps + (round - 1) * counts.fitSteps + step;
      const { episodes: planned, reports: later } = await runForesightRounds({ ...counts, weight }, train, {
        env,
        model,
        planning,
        fit,
        seed: spec.collect.seed + ROUND_SEED_OFFSET,
        validation,
        shards,
        episodeThreads: shards,
        signal: sink.signal,
        onEpisode: (r, done, distance) =>
          sink.progress(done, counts.episodes, `round ${r} of ${counts.rounds}: planner episode ${done} of ${counts.episodes} ended ${distance.toFixed(1)} px from its goal${eta(roundClock, done, counts.episodes)}`),
        onRound: (r, finals) => {
          const sorted = [...finals].sort((a, b) => a - b);
          sink.emit({ type: 'foresight/phase', phase: 'train', message: `round ${r} of ${counts.rounds}: the planner's ${finals.length} episodes ended a median ${sorted[Math.floor(sorted.length / 2)].toFixed(1)} px (${S}×${S} frame) from their goals; training ${counts.fitSteps} steps on them and the random pushes${where}` });
        },
        onFit: (r, report) => {
          sink.emit({ type: 'foresight/train', report: { ...report, step: overallStep(r, report.step), steps: allSteps } });
          sink.progress(report.step, report.steps, `round ${r} of ${counts.rounds}: train: loss ${report.trainLoss.toExponential(2)}`);
        },
      });
      if (planned.length) await writeDataset(join(outDir, 'data', 'planner-rounds.hdf5'), planned);
      return [...first, ...later.map((r) => ({ ...r, step: overallStep(r.round, r.step), steps: allSteps }))];
    });
    await saveForesightModel(outDir, model, reports);
    if (sink.signal.aborted) {
      model.dispose();
      return null;
    }
    return model;
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** The run's subfolder that holds the model as the first fit left it, before `train.mpcRounds`. */
export const BEFORE_ROUNDS_DIR = 'before-rounds';

/** Writes the model (checkpoints/video-model.json + weights.bin) and its fit reports (metrics.jsonl) under `dir`, atomically. */
async function saveForesightModel(dir: string, model: VideoPredictionModel, reports: readonly object[]): Promise<void> {
  const artifacts = await model.save();
  await mkdir(join(dir, 'checkpoints'), { recursive: true });
  await writeFileAtomic(join(dir, 'checkpoints', 'video-model.json'), `${JSON.stringify(artifacts.modelJson)}\n`);
  await writeFileAtomic(join(dir, 'checkpoints', 'weights.bin'), new Uint8Array(artifacts.weightData));
  await writeFileAtomic(join(dir, 'metrics.jsonl'), reports.map((r) => JSON.stringify({ kind: 'video/fit', ...r })).join('\n') + '\n');
}

/**
 * Loads the video model a foresight run saved under `runDir` (checkpoints/video-model.json +
 * weights.bin). Throws naming the file when it is missing or unreadable.
 */
export async function loadForesightModel(runDir: string): Promise<VideoPredictionModel> {
  const jsonPath = join(runDir, 'checkpoints', 'video-model.json');
  const weightsPath = join(runDir, 'checkpoints', 'weights.bin');
  let modelJson: unknown;
  try {
    modelJson = JSON.parse(await readFile(jsonPath, 'utf8'));
  } catch (error) {
    throw new Error(`foresight: cannot read the trained model ${jsonPath}: ${(error as Error).message.split('\n')[0]}`);
  }
  const weights = await readFile(weightsPath).catch((error: Error) => {
    throw new Error(`foresight: cannot read the model weights ${weightsPath}: ${error.message.split('\n')[0]}`);
  });
  try {
    return VideoPredictionModel.load({ modelJson: modelJson as Parameters<typeof VideoPredictionModel.load>[0]['modelJson'], weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) });
  } catch (error) {
    throw new Error(`foresight: ${jsonPath} is not a video model: ${(error as Error).message.split('\n')[0]}`);
  }
}

/** MPC from the reset of `spec.episodeSeed` toward the target, streaming plans and executed frames. */
export async function planEpisode(
  spec: Pick<ForesightJobSpec, 'task' | 'planning' | 'target' | 'episodeSteps' | 'episodeSeed' | 'tracking'>,
  env: ImageEnv,
  model: VideoPredictionModel,
  sink: ForesightSink,
): Promise<ForesightOutcome> {
  const S = env.imageSpace.width;
  const A = env.actionSpace.size;
  const c = model.config;
  if (c.imageSize !== S || c.actDim !== A || c.channels !== env.imageSpace.channels) {
    throw new Error(`foresight: the model predicts ${c.imageSize}×${c.imageSize}×${c.channels} frames under ${c.actDim}-D actions; task ${spec.task} gives ${S}×${S}×${env.imageSpace.channels} and ${A}-D actions`);
  }
  sink.emit({ type: 'foresight/phase', phase: 'plan', message: 'planning' });
  env.reset(spec.episodeSeed);
  const settings = { ...DEFAULT_FORESIGHT, ...spec.planning };
  const goalImage = spec.target.kind === 'image' ? env.goalImage() : null;
  if (spec.target.kind === 'image' && !goalImage) throw new Error(`foresight: task ${spec.task} has no goal image; designate pixels instead`);
  const planner = new VisualForesightPlanner(
    model,
    spec.target.kind === 'pixels' ? spec.target : { kind: 'image', image: bytesToUnit(goalImage!) },
    settings,
    { low: env.actionSpace.low, high: env.actionSpace.high },
    plannerTracking(spec.tracking),
    foresightLimitRepair(settings, env),
  );
  const track = spec.target.kind === 'pixels' ? blockTracker(env, spec.task, spec.target.designated) : null;
  if (spec.tracking === 'simulator' && !track) throw new Error(`foresight: tracking 'simulator' needs the pushing task's block (task ${spec.task})`);
  planner.reset(bytesToUnit(env.frame()));
  let finalDistances: number[] = [];
  for (let step = 0; step < spec.episodeSteps && !sink.signal.aborted; step++) {
    const decision = await planner.act();
    if (decision.replanned) {
      const preview = await planner.preview(decision.plan);
      sink.emit({ type: 'foresight/plan', step, size: S, horizon: decision.plan.length / A, designated: spec.target.kind === 'pixels' ? spec.target.designated.length : 0, predictedFrames: toBytes(preview.frames), pixelMaps: preview.maps, plan: decision.plan, planMs: decision.planMs });
    }
    const result = env.step(decision.action);
    const frame = env.frame();
    const tracked = track ? track(env.state()) : null;
    await planner.observe(decision.action, bytesToUnit(frame), spec.tracking === 'simulator' && tracked ? tracked : undefined);
    if (spec.target.kind === 'pixels') {
      const where = tracked ?? expectedPixels(planner.pixelMaps!, S, spec.target.designated.length);
      const goals = spec.target.goals;
      finalDistances = where.map((p, d) => Math.hypot(p.x - goals[d].x, p.y - goals[d].y));
    }
    sink.emit({ type: 'foresight/executed', step, frame, distances: Float32Array.from(finalDistances) });
    sink.progress(step + 1, spec.episodeSteps, `plan: step ${step + 1}/${spec.episodeSteps}`);
    if (result.terminated || result.truncated) break;
    await new Promise((resolve) => setImmediate(resolve));
  }
  sink.emit({ type: 'foresight/phase', phase: 'done', message: finalDistances.length ? `final distance ${finalDistances.map((d) => d.toFixed(1)).join(', ')} px` : 'done' });
  return { status: sink.signal.aborted ? 'cancelled' : 'finished', finalDistances };
}

function eta(clock: ProgressClock, done: number, total: number): string {
  const s = clock.eta(done, total);
  return s === undefined ? '' : `, ETA ${Math.round(s)} s`;
}

/** A foresight event as the protocol carries it (with the job's id; NaN validation loss → null). */
function toProtocol(jobId: string, e: ForesightEvent): EngineEvent {
  if (e.type === 'foresight/train') {
    const { report: r } = e;
    return { type: 'foresight/train', jobId, step: r.step, steps: r.steps, trainLoss: r.trainLoss, valLoss: Number.isFinite(r.valLoss) ? r.valLoss : null, truthProbability: r.truthProbability, sequencesPerSecond: r.sequencesPerSecond };
  }
  return { ...e, jobId };
}

/** Keeps only the keys that are set (so the defaults they would override survive). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/**
 * The `foresight` job kind (src-main/protocol/foresight-job.ts) on the engine: first the planning
 * episode's start frame (`foresight/frame`, so the user can designate pixels on it), then — as the
 * spec asks — collect and train into a new run folder under `runsDir` (`job/run-folder`) and/or
 * load a run's model (`from`) and plan toward the designated/goal pixels, streaming through ctx.
 */
export class ForesightJob implements Job {
  constructor(
    private readonly spec: ForesightJobRequest,
    private readonly runsDir: string,
    private readonly readXml: ReadModelXml = readResourceModelXml,
  ) {}

  async run(ctx: JobContext): Promise<void> {
    const { spec } = this;
    const { jobId } = ctx;
    const sink: ForesightSink = { signal: ctx.signal, emit: (e) => ctx.emit(toProtocol(jobId, e)), progress: (done, total, message) => ctx.progress(done, total, message) };
    // A recorded dataset instead of the task's simulator (foresight-dataset-job.ts).
    if (spec.data) return runForesightOnDataset(spec, this.runsDir, ctx, sink, loadForesightModel);
    const env = await makePixelEnv(spec.task, this.readXml, spec.imageSize ? { width: spec.imageSize, height: spec.imageSize } : {});
    let model: VideoPredictionModel | null = null;
    try {
      env.reset(spec.episodeSeed);
      ctx.emit({ type: 'foresight/frame', jobId, task: spec.task, seed: spec.episodeSeed, size: env.imageSpace.width, frame: env.frame() });
      if (spec.train) {
        const runId = newRunId(spec.task, 'visual-foresight');
        const dir = join(this.runsDir, runId);
        ctx.emit({ type: 'job/run-folder', jobId, runId, path: dir });
        // Without data the protocol requires collect.
        const { target: _target, steps: _steps, tracking: _tracking, ...planning } = spec.plan ?? {};
        model = await collectAndTrain(
          { task: spec.task, collect: spec.train.collect!, model: spec.train.model && defined(spec.train.model), fit: spec.train.fit && defined(spec.train.fit), mpcRounds: spec.train.mpcRounds, planning: defined(planning) },
          env,
          dir,
          sink,
        );
        if (!model) return;
        await writeFileAtomic(join(dir, 'foresight.json'), `${JSON.stringify({ task: spec.task, imageSize: env.imageSpace.width, train: spec.train })}\n`);
        if (!spec.plan) sink.emit({ type: 'foresight/phase', phase: 'done', message: `model saved in ${runId}` });
      } else if (spec.from) {
        model = await loadForesightModel(join(this.runsDir, spec.from));
      }
      if (spec.plan && model && !ctx.signal.aborted) {
        const { target, steps, tracking, ...planning } = spec.plan;
        await planEpisode({ task: spec.task, planning: defined(planning), target, episodeSteps: steps, episodeSeed: spec.episodeSeed, tracking }, env, model, sink);
      }
    } finally {
      model?.dispose();
      env.dispose();
    }
  }
}
