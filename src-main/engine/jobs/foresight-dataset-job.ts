/**
 * Visual foresight on a recorded image dataset (issue 7: "the same model trains on a recorded image
 * dataset … with its actions" and "works on frames from a loaded recorded dataset too"). The
 * `foresight` job with `data` comes here (ForesightJob.run hands it over):
 * - the start frame is a dataset frame (`start`: episode, step), resized to the model's S×S;
 * - `train` reads the dataset's episodes instead of collecting, and saves the model into a new run
 *   folder exactly as the task pipeline does;
 * - `predict` rolls the model from that frame (with the recorded context before it) under the
 *   actions recorded after it: predicted frames and designated-pixel maps (`foresight/plan`), and
 *   the recorded frames beside them (`foresight/executed`, no distances: there is no goal);
 * - `plan` makes one CEM plan through the model from that frame toward the goal pixels (or the
 *   episode's last frame as the goal image) and shows its predicted frames and maps. Nothing is
 *   executed: a recorded dataset has no simulator.
 * CEM's action bounds are the range of the recorded actions (the training set's when trained in the
 * same job, else the start episode's).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ImageEpisode } from '../../mbrl/env';
import type { ImageEpisodeSet } from '../../mbrl/data/image-episode-source';
import { DatasetError } from '../../mbrl/data/formats';
import { DEFAULT_VIDEO_FIT, DEFAULT_VIDEO_MODEL, expectedPixels, fitVideoModel, oneHotPixelMaps, readRollout, VideoPredictionModel, type VideoModelConfig } from '../../mbrl/models/video';
import { DEFAULT_FORESIGHT, VisualForesightPlanner } from '../../mbrl/planning';
import { bytesToUnit } from '../../mbrl/render';
import type { ForesightJobSpec } from '../../protocol';
import { loadImageEpisodes } from '../datasets/image-episode-source';
import { withVideoTrainingShards } from '../compute/video-training-pool';
import { writeFileAtomic } from '../run/atomic-write';
import { newRunId } from '../run/runs-index';
import type { ForesightSink } from './foresight-job';
import type { JobContext } from './job';
import { ProgressClock } from './progress-clock';

/** Frame size when the spec names none (the video model's default). */
const DEFAULT_SIZE = DEFAULT_VIDEO_MODEL.imageSize;

const toBytes = (v: Float32Array) => Uint8Array.from(v, (x) => Math.round(255 * Math.min(1, Math.max(0, x))));

/** Keeps only the keys that are set (so the defaults they would override survive). */
function defined<T extends object>(o: T): Partial<T> {
  return Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as Partial<T>;
}

/** The dataset's name for run folders ('square.hdf5' → 'square'). */
function datasetLabel(path: string): string {
  return (path.replace(/[/\\]+$/, '').split(/[/\\]/).pop() ?? 'dataset').replace(/\.(hdf5|h5|npz|npy)$/i, '');
}

/** Frame t of an episode: [S, S, 3] bytes. */
function frameOf(episode: ImageEpisode, t: number, S: number): Uint8Array {
  const n = S * S * 3;
  return episode.frames.slice(t * n, (t + 1) * n);
}

/**
 * Runs a `foresight` job whose spec has `data` (see the file comment). `sink` carries the
 * pipeline's events to the client; `loadModel` reads a run's checkpoint (foresight-job.ts).
 */
export async function runForesightOnDataset(
  spec: ForesightJobSpec,
  runsDir: string,
  ctx: JobContext,
  sink: ForesightSink,
  loadModel: (runDir: string) => Promise<VideoPredictionModel>,
): Promise<void> {
  const data = spec.data;
  if (!data) throw new Error('foresight: no dataset (data) given');
  const S = spec.imageSize ?? DEFAULT_SIZE;
  const start = spec.start ?? { episode: 0, step: 0 };
  // The start episode whole: its frame to designate on, the context before it, the actions after it.
  const first = await loadImageEpisodes(data, { width: S, height: S, episodes: [start.episode], minFrames: 1 });
  const episode = first.episodes[0];
  const frames = episode.frames.length / (S * S * 3);
  if (start.step >= frames) throw new DatasetError(data.dataset, data.imageKey, `step ${start.step} is outside episode ${start.episode} (${frames} frames)`);
  ctx.emit({ type: 'foresight/frame', jobId: ctx.jobId, task: spec.task, seed: spec.episodeSeed, size: S, frame: frameOf(episode, start.step, S) });

  let model: VideoPredictionModel | null = null;
  let bounds = { low: first.actionLow, high: first.actionHigh };
  try {
    if (spec.train) {
      const runId = newRunId(`dataset-${datasetLabel(data.dataset)}`, 'visual-foresight');
      const dir = join(runsDir, runId);
      ctx.emit({ type: 'job/run-folder', jobId: ctx.jobId, runId, path: dir });
      const trained = await trainOnDataset(spec, S, dir, sink);
      if (!trained) return;
      model = trained.model;
      bounds = { low: trained.set.actionLow, high: trained.set.actionHigh };
      await writeFileAtomic(join(dir, 'foresight.json'), `${JSON.stringify({ task: spec.task, imageSize: S, train: spec.train, data })}\n`);
      if (!spec.plan && !spec.predict) sink.emit({ type: 'foresight/phase', phase: 'done', message: `model saved in ${runId}` });
    } else if (spec.from) {
      model = await loadModel(join(runsDir, spec.from));
    }
    if (!model) return;
    const c = model.config;
    if (c.imageSize !== S || c.channels !== 3 || c.actDim !== first.actDim) {
      throw new Error(`foresight: the model predicts ${c.imageSize}×${c.imageSize}×${c.channels} frames under ${c.actDim}-D actions; ${data.dataset} gives ${S}×${S}×3 frames (${data.imageKey}) and ${first.actDim}-D actions (${first.actionKey})`);
    }
    if (spec.predict && !ctx.signal.aborted) await predictRecorded(model, first, data.dataset, start, spec.predict, sink);
    if (spec.plan && !ctx.signal.aborted) await planFromFrame(model, first, start, spec.plan, bounds, sink);
  } finally {
    model?.dispose();
  }
}

/** Reads the training episodes, trains the video model and saves it under `dir`; null when cancelled. */
async function trainOnDataset(spec: ForesightJobSpec, S: number, dir: string, sink: ForesightSink): Promise<{ model: VideoPredictionModel; set: ImageEpisodeSet } | null> {
  const data = spec.data!;
  const train = spec.train!;
  const { workers = 'auto', ...fitSpec } = (train.fit && defined(train.fit)) ?? {};
  const fit = { ...DEFAULT_VIDEO_FIT, ...fitSpec };
  if ((fit.trackWeight ?? 0) > 0) throw new Error(`train.fit.trackWeight: ${data.dataset} is recorded data, with no object poses to track (the term needs a simulator task); set it to 0`);
  const modelSpec = train.model && defined(train.model);
  const context = modelSpec?.context ?? DEFAULT_VIDEO_MODEL.context;
  sink.emit({ type: 'foresight/phase', phase: 'collect', message: `reading ${data.imageKey} of ${data.dataset}` });
  const set = await loadImageEpisodes(data, {
    width: S,
    height: S,
    // A training window is context + horizon frames.
    minFrames: context + fit.horizon,
    signal: sink.signal,
    onEpisode: (done, total) => sink.progress(done, total, `read: episode ${done}/${total}`),
  });
  if (sink.signal.aborted) return null;
  await mkdir(join(dir, 'checkpoints'), { recursive: true });
  const held = set.episodes.length >= 2 ? Math.max(1, Math.floor(set.episodes.length / 10)) : 0;
  const config: VideoModelConfig = { ...DEFAULT_VIDEO_MODEL, ...modelSpec, imageSize: S, channels: 3, actDim: set.actDim };
  const model = VideoPredictionModel.create(config);
  try {
    const clock = new ProgressClock();
    const reports = await withVideoTrainingShards(workers, fit.batchSize, config, (shards, where) => {
      sink.emit({ type: 'foresight/phase', phase: 'train', message: `training ${fit.steps} steps on ${set.episodes.length - held} recorded episodes (${held} held out)${where}` });
      return fitVideoModel(
        model,
        set.episodes.slice(0, set.episodes.length - held),
        fit,
        (report) => {
          sink.emit({ type: 'foresight/train', report });
          const eta = clock.eta(report.step, report.steps);
          sink.progress(report.step, report.steps, `train: loss ${report.trainLoss.toExponential(2)}${eta === undefined ? '' : `, ETA ${Math.round(eta)} s`}`);
        },
        sink.signal,
        held ? set.episodes.slice(set.episodes.length - held) : undefined,
        shards,
      );
    });
    const artifacts = await model.save();
    await writeFileAtomic(join(dir, 'checkpoints', 'video-model.json'), `${JSON.stringify(artifacts.modelJson)}\n`);
    await writeFileAtomic(join(dir, 'checkpoints', 'weights.bin'), new Uint8Array(artifacts.weightData));
    await writeFileAtomic(join(dir, 'metrics.jsonl'), reports.map((r) => JSON.stringify({ kind: 'video/fit', ...r })).join('\n') + '\n');
    if (sink.signal.aborted) {
      model.dispose();
      return null;
    }
    return { model, set };
  } catch (error) {
    model.dispose();
    throw error;
  }
}

/** The context before frame t: frames t−c+1 … t (the first frame repeated before the episode starts) and the c − 1 actions between them (zeros there). */
function contextAt(episode: ImageEpisode, t: number, c: number, S: number, A: number): { frames: Float32Array; actions: Float32Array } {
  const n = S * S * 3;
  const frames = new Float32Array(c * n);
  const actions = new Float32Array((c - 1) * A);
  for (let i = 0; i < c; i++) {
    const f = Math.max(0, t - c + 1 + i);
    for (let j = 0; j < n; j++) frames[i * n + j] = episode.frames[f * n + j] / 255;
    const a = t - c + 1 + i;
    if (i < c - 1 && a >= 0) actions.set(episode.actions.subarray(a * A, (a + 1) * A), i * A);
  }
  return { frames, actions };
}

/** The model's frames and pixel maps under the recorded actions after `start`, and the recorded frames beside them. */
async function predictRecorded(model: VideoPredictionModel, set: ImageEpisodeSet, file: string, start: { episode: number; step: number }, predict: NonNullable<ForesightJobSpec['predict']>, sink: ForesightSink): Promise<void> {
  const { imageSize: S, context: c, actDim: A } = model.config;
  const episode = set.episodes[0];
  const T = episode.actions.length / A;
  const t = start.step;
  const H = Math.min(predict.horizon, T - t);
  if (H < 1) throw new DatasetError(file, set.imageKey, `step ${t} is the last frame of episode ${start.episode}: no recorded actions after it to predict under`);
  const D = predict.designated.length;
  const began = performance.now();
  const ctx = contextAt(episode, t, c, S, A);
  const actions = episode.actions.slice(t * A, (t + H) * A);
  const { frames: predicted, maps } = await readRollout(model, ctx, actions, D ? oneHotPixelMaps(predict.designated, S) : null);
  sink.emit({ type: 'foresight/plan', step: t, size: S, horizon: H, designated: D, predictedFrames: toBytes(predicted), pixelMaps: maps, plan: actions, planMs: performance.now() - began });
  for (let k = 0; k < H; k++) sink.emit({ type: 'foresight/executed', step: t + k, frame: frameOf(episode, t + k + 1, S), distances: new Float32Array(0) });
  sink.progress(1, 1, 'predicted');
  sink.emit({ type: 'foresight/phase', phase: 'done', message: `predicted ${H} steps under the recorded actions from episode ${start.episode}, step ${t}` });
}

/** One CEM plan from the dataset frame toward the goal pixels (or the episode's last frame), shown, not executed. */
async function planFromFrame(
  model: VideoPredictionModel,
  set: ImageEpisodeSet,
  start: { episode: number; step: number },
  plan: NonNullable<ForesightJobSpec['plan']>,
  bounds: { low: Float32Array; high: Float32Array },
  sink: ForesightSink,
): Promise<void> {
  const { imageSize: S, context: c, actDim: A } = model.config;
  const episode = set.episodes[0];
  const frames = episode.frames.length / (S * S * 3);
  const t = start.step;
  const { target, steps: _steps, tracking: _tracking, ...planning } = plan;
  const settings = { ...DEFAULT_FORESIGHT, ...defined(planning) };
  const goal = target.kind === 'pixels' ? target : { kind: 'image' as const, image: bytesToUnit(frameOf(episode, frames - 1, S)) };
  const planner = new VisualForesightPlanner(model, goal, settings, bounds);
  // The recorded context: reset at frame t−c+1 and observe the frames after it, the designated pixels held where the user put them.
  const t0 = Math.max(0, t - c + 1);
  planner.reset(bytesToUnit(frameOf(episode, t0, S)));
  for (let f = t0 + 1; f <= t; f++) await planner.observe(episode.actions.slice((f - 1) * A, f * A), bytesToUnit(frameOf(episode, f, S)), target.kind === 'pixels' ? target.designated : undefined);
  sink.emit({ type: 'foresight/phase', phase: 'plan', message: `planning from episode ${start.episode}, step ${t} (not executed: a recorded dataset has no simulator)` });
  const decision = await planner.act();
  const preview = await planner.preview(decision.plan);
  const H = decision.plan.length / A;
  const D = target.kind === 'pixels' ? target.designated.length : 0;
  sink.emit({ type: 'foresight/plan', step: t, size: S, horizon: H, designated: D, predictedFrames: toBytes(preview.frames), pixelMaps: preview.maps, plan: decision.plan, planMs: decision.planMs });
  sink.progress(1, 1, 'planned');
  let message = `planned ${H} steps from episode ${start.episode}, step ${t} (not executed)`;
  if (target.kind === 'pixels') {
    const last = preview.maps.subarray((H - 1) * S * S * D);
    const where = expectedPixels(last, S, D);
    message += `; predicted final distance ${where.map((p, d) => Math.hypot(p.x - target.goals[d].x, p.y - target.goals[d].y).toFixed(1)).join(', ')} px`;
  } else {
    message += '; goal: the episode’s last frame';
  }
  sink.emit({ type: 'foresight/phase', phase: 'done', message });
}
