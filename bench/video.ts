/**
 * Visual-foresight benchmarks (issue 7), each beside bench/reference/cdna_video.py (the same CDNA
 * network in PyTorch) timed alternately in the same run:
 * - "video predicted frames": the planner's batch — N candidates × H steps predicted from two
 *   context frames with one designated-pixel map carried along and scored (CEM's inner loop);
 * - "video plan latency": one visual-foresight MPC action (CEM N × iterations, horizon H), ours only;
 * - "video train throughput": sequences per second through Adam steps on batches of context + H frames;
 *   again with each step shared by one thread per core (data-parallel, train.fit.workers 'auto');
 * - "video rounds episodes" (opt-in, `--only episodes`): planner episodes per minute of the CPU preset's
 *   MPC rounds (its model size, planner and episode length, on planar-push-pixels) on the engine's thread
 *   alone and shared with the video-training pool's workers, the same episodes in the same run; ours only.
 * Run alone: `npx tsx bench/video.ts [--backend wasm] [--only rollout,plan,train,episodes] [--population 200] [--horizon 10]
 * [--runs 3] [--no-reference]`.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { poolBackend } from '../src-main/engine/compute/planning-workers';
import { VideoTrainingPool, videoTrainingThreads } from '../src-main/engine/compute/video-training-pool';
import { chooseBackend, type BackendChoice } from '../src-main/engine/tf-backend';
import { runPlannerEpisodes } from '../src-main/engine/jobs/foresight-planner-episode';
import { readModelXml, resourcesDir } from '../src-main/engine/resources';
import { makePixelEnv, randomPushingTasks } from '../src-main/mbrl/env';
import { DEFAULT_VIDEO_MODEL, fitVideoModel, VideoPredictionModel, type FrameEpisode, type VideoGradientShards } from '../src-main/mbrl/models/video';
import { DEFAULT_FORESIGHT, goalDistanceMaps, VisualForesightPlanner, visualForesightObjective } from '../src-main/mbrl/planning';
import { Rng } from '../src-main/mbrl/util';
import { median, withReference, type BenchResult } from './bench-result';
import { describeReference, ReferenceProcess, referenceTorchDevice, torchPython } from './reference';

/** The measured sizes: the default model (64×64 RGB, widths 8/16/32, 4 kernels of 5×5) and the papers' planner batch. */
export const VIDEO_SHAPES = Object.freeze({ population: 200, horizon: 10, iterations: 3, batch: 8 });

type Shapes = { -readonly [K in keyof typeof VIDEO_SHAPES]: number };

function randomFrames(rng: Rng, count: number, size: number): Float32Array {
  return Float32Array.from({ length: count * size * size * 3 }, () => rng.nextFloat());
}

/** Times `unit` warmup + runs times, calling afterRun (the reference's turn) after each timed run. */
async function timeUnits(unit: () => Promise<void> | void, runs: number, afterRun: () => Promise<void>): Promise<number[]> {
  await unit();
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    await unit();
    times.push(performance.now() - start);
    await afterRun();
  }
  return times;
}

/** ms for one planner batch: N × H predicted frames with a pixel map, scored. */
async function benchRollout(model: VideoPredictionModel, s: Shapes, runs: number, afterRun: () => Promise<void>): Promise<number> {
  const S = model.config.imageSize;
  const rng = new Rng(1);
  const maps = new Float32Array(S * S);
  maps[32 * S + 20] = 1;
  const objective = visualForesightObjective(model, { frames: randomFrames(rng, 2, S), actions: new Float32Array(2) }, { kind: 'pixels', maps, distances: goalDistanceMaps([{ x: 40, y: 20 }], S) }, s.population);
  const actions = Float32Array.from({ length: s.population * s.horizon * 2 }, () => rng.uniform(-1, 1));
  const times = await timeUnits(
    async () => {
      const cost = tf.tidy(() => objective(tf.tensor3d(actions, [s.population, s.horizon, 2])));
      await cost.data();
      cost.dispose();
    },
    runs,
    afterRun,
  );
  return median(times);
}

/** ms for one MPC action of the visual-foresight planner (CEM population × iterations). */
async function benchPlan(model: VideoPredictionModel, s: Shapes, runs: number): Promise<number> {
  const S = model.config.imageSize;
  const planner = new VisualForesightPlanner(model, { kind: 'pixels', designated: [{ x: 20, y: 32 }], goals: [{ x: 40, y: 20 }] }, { horizon: s.horizon, population: s.population, iterations: s.iterations, eliteFraction: 0.1, alpha: 0, replanEvery: 1, chunk: s.population, seed: 0 }, { low: Float32Array.of(-1, -1), high: Float32Array.of(1, 1) });
  planner.reset(randomFrames(new Rng(2), 1, S));
  const times = await timeUnits(async () => void (await planner.act()), runs, async () => {});
  return median(times);
}

/** ms per training step (batch × (2 + H) frames, own predictions after the context). */
async function benchTrain(model: VideoPredictionModel, s: Shapes, runs: number, afterRun: () => Promise<void>, shards?: VideoGradientShards): Promise<number> {
  const S = model.config.imageSize;
  const rng = new Rng(3);
  const T = 2 + s.horizon + 4;
  const episodes: FrameEpisode[] = Array.from({ length: 4 }, () => ({
    frames: Uint8Array.from({ length: (T + 1) * S * S * 3 }, () => Math.floor(rng.nextFloat() * 256)),
    actions: Float32Array.from({ length: T * 2 }, () => rng.uniform(-1, 1)),
  }));
  const times: number[] = [];
  let last = 0;
  // One report per step: the time between reports is one step (sampling, forward, backward, Adam, read-back).
  await fitVideoModel(model, episodes, { steps: runs + 1, batchSize: s.batch, learningRate: 1e-3, horizon: s.horizon, samplingRampSteps: 0, reportEvery: 1, seed: 0 }, async ({ step }) => {
    if (step > 1) times.push(performance.now() - last);
    if (step > 1) await afterRun();
    last = performance.now();
  }, undefined, undefined, shards);
  return median(times);
}

/** Episodes timed in "video rounds episodes": two per thread on a 2-core machine. */
const ROUND_EPISODES = 4;

/**
 * The CPU preset's rounds episodes ({@link ROUND_EPISODES} of them, a fresh model of its size) on the
 * engine's thread alone, then shared with a video-training pool (sharedMs null where there is none): ms
 * each way. Throws when the two runs give other episodes (each episode is a pure function of its task).
 */
async function benchRoundEpisodes(): Promise<{ label: string; threads: number; serialMs: number; sharedMs: number | null }> {
  const preset = JSON.parse(await readFile(join(resourcesDir(), 'presets', 'foresight', 'cpu-32.json'), 'utf8'));
  const S: number = preset.imageSize;
  const env = await makePixelEnv(preset.task, readModelXml, { width: S, height: S });
  const model = VideoPredictionModel.create({ ...DEFAULT_VIDEO_MODEL, ...preset.train.model, imageSize: S, channels: 3, actDim: env.actionSpace.size });
  try {
    const rounds = preset.train.mpcRounds;
    const settings = { planning: { ...DEFAULT_FORESIGHT, ...preset.planning, ...rounds.planning }, steps: rounds.steps, noise: rounds.noise };
    const tasks = randomPushingTasks(env.camera, (seed) => (env.reset(seed), env.state()), { count: ROUND_EPISODES, seed: 7_000_000, minDistance: S / 6, maxDistance: S / 3, marginFraction: 0.19 });
    const p = settings.planning;
    const label = `${ROUND_EPISODES} x ${settings.steps} actions, CEM ${p.population}x${p.iterations}, H ${p.horizon}, ${S}x${S}, widths ${model.config.widths.join('/')}`;
    let start = performance.now();
    const serial = await runPlannerEpisodes(env, model, tasks, settings);
    const serialMs = performance.now() - start;
    const threads = videoTrainingThreads('auto', preset.train.fit.batchSize);
    const backend = poolBackend();
    // One core, or a backend that computes off this thread (a GPU): no pool to share with.
    if (threads <= 1 || !backend) return { label, threads: 1, serialMs, sharedMs: null };
    const pool = await VideoTrainingPool.create({ workers: threads - 1, backend, config: model.config });
    try {
      start = performance.now();
      const shared = await runPlannerEpisodes(env, model, tasks, settings, { threads: pool });
      const sharedMs = performance.now() - start;
      if (!shared.every((e, i) => e.actions.every((a, k) => a === serial[i].actions[k]))) throw new Error('video rounds episodes: the shared run gave other episodes than the one-thread run');
      return { label, threads, serialMs, sharedMs };
    } finally {
      await pool.dispose();
    }
  } finally {
    model.dispose();
    env.dispose();
  }
}

/** Runs the video benchmarks on the current tfjs backend; `python` null skips the reference. */
export async function benchVideo(backendLabel: string, python: string | null, log: (line: string) => void, shapes: Partial<Shapes> = {}, runs = 3, onResult: (r: BenchResult) => void = () => {}, only: readonly string[] = ['rollout', 'plan', 'train']): Promise<BenchResult[]> {
  const s = { ...VIDEO_SHAPES, ...shapes };
  const model = VideoPredictionModel.create({ ...DEFAULT_VIDEO_MODEL, actDim: 2 });
  const results: BenchResult[] = [];
  const push = (r: BenchResult) => {
    results.push(r);
    onResult(r);
  };
  const label = `${model.config.imageSize}x${model.config.imageSize}, widths ${model.config.widths.join('/')}, ${model.config.kernels} kernels ${model.config.kernelSize}x${model.config.kernelSize}; ${backendLabel}`;
  const withRef = async (mode: string, args: string[], ours: (afterRun: () => Promise<void>) => Promise<number>) => {
    let ref: ReferenceProcess | null = null;
    if (python) {
      try {
        ref = await ReferenceProcess.start(python, 'cdna_video.py', [`--mode=${mode}`, ...args, '--warmup=1', `--device=${referenceTorchDevice()}`]);
        log(`reference: ${describeReference(ref.info)}`);
      } catch (error) {
        log(`reference skipped: ${(error as Error).message}`);
      }
    }
    const refTimes: number[] = [];
    try {
      const ms = await ours(async () => {
        if (ref) refTimes.push(await ref.step());
      });
      return { ms, refMs: refTimes.length ? median(refTimes) : undefined };
    } finally {
      ref?.close();
    }
  };
  try {
    if (only.includes('rollout')) {
      log(`video: planner batch ${s.population} x ${s.horizon} frames, alternating with the reference`);
      const rollout = await withRef('rollout', [`--population=${s.population}`, `--horizon=${s.horizon}`], (after) => benchRollout(model, s, runs, after));
      const frames = s.population * s.horizon;
      push(withReference({ name: `video predicted frames (${s.population}x${s.horizon} batch, ${label})`, value: frames / (rollout.ms / 1000), unit: 'frames/s' }, rollout.refMs ? frames / (rollout.refMs / 1000) : undefined));
    }
    if (only.includes('plan')) {
      log(`video: one MPC action, CEM ${s.population}x${s.iterations}, H ${s.horizon}`);
      push({ name: `video plan latency (CEM ${s.population}x${s.iterations}, H ${s.horizon}, ${label})`, value: await benchPlan(model, s, Math.min(runs, 2)), unit: 'ms' });
    }
    if (only.includes('train')) {
      log(`video: training steps, batch ${s.batch} x ${2 + s.horizon} frames, alternating with the reference`);
      const train = await withRef('train', [`--batch=${s.batch}`, `--horizon=${s.horizon}`], (after) => benchTrain(model, s, runs, after));
      const refRate = train.refMs ? s.batch / (train.refMs / 1000) : undefined;
      push(withReference({ name: `video train throughput (batch ${s.batch} x ${2 + s.horizon} frames, ${label})`, value: s.batch / (train.ms / 1000), unit: 'sequences/s' }, refRate));
      // Data-parallel (train.fit.workers 'auto'): the same steps shared by one thread per core.
      const threads = videoTrainingThreads('auto', s.batch);
      const backend = poolBackend();
      if (threads > 1 && backend) {
        log(`video: training steps on ${threads} threads (data-parallel)`);
        const pool = await VideoTrainingPool.create({ workers: threads - 1, backend, config: model.config });
        try {
          const ms = await benchTrain(model, s, runs, async () => {}, pool);
          push(withReference({ name: `video train throughput (batch ${s.batch} x ${2 + s.horizon} frames, ${label}, ${threads} threads)`, value: s.batch / (ms / 1000), unit: 'sequences/s' }, refRate));
        } finally {
          await pool.dispose();
        }
      }
    }
    if (only.includes('episodes')) {
      log(`video: the CPU preset's rounds episodes, one thread, then shared with the pool's workers`);
      const r = await benchRoundEpisodes();
      const perMinute = (ms: number) => ROUND_EPISODES / (ms / 60_000);
      push({ name: `video rounds episodes (${r.label}; ${backendLabel}, 1 thread)`, value: perMinute(r.serialMs), unit: 'episodes/min' });
      if (r.sharedMs !== null) push({ name: `video rounds episodes (${r.label}; ${backendLabel}, ${r.threads} threads)`, value: perMinute(r.sharedMs), unit: 'episodes/min' });
    }
  } finally {
    model.dispose();
  }
  return results;
}

async function main(argv: string[]) {
  const arg = (name: string) => {
    const i = argv.indexOf(`--${name}`);
    return i >= 0 ? argv[i + 1] : undefined;
  };
  const report = await chooseBackend(arg('backend') as BackendChoice | undefined);
  const shapes: Partial<Shapes> = {};
  for (const key of ['population', 'horizon', 'iterations', 'batch'] as const) if (arg(key)) shapes[key] = Number(arg(key));
  const python = argv.includes('--no-reference') ? null : torchPython();
  await benchVideo(report.backend, python, (line) => console.error(line), shapes, Number(arg('runs') ?? 3), (r) => console.log(JSON.stringify(r)), (arg('only') ?? 'rollout,plan,train').split(','));
}

if (process.argv[1] && import.meta.url.endsWith(process.argv[1].split('/').pop()!)) await main(process.argv.slice(2));
