/**
 * The latent-model pipeline as an engine job: collect random episodes on an image task, train a
 * latent model (the lecture's deterministic or VAE model, or E2C) with per-term curves, progress and
 * cancel, stream what a "Latent space" view draws (codes with true-state colouring values, strips of
 * observed / reconstructed / predicted frames), then control the task from pixels in latent space
 * (CEM on the learned reward, CEM toward the goal image, or iLQR toward it for E2C).
 *
 * Events are the job's own typed union ({@link LatentJobEvent}); the engine forwards them as they
 * are (typed arrays travel as transferred buffers, rule 5 of the architecture).
 */
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { collectImageEpisodes, exploringStart, judgeEpisode, makePixelEnv, pixelView, type ImageEpisode, type PixelEnv } from '../../mbrl/env';
import {
  E2cModel,
  LatentWorldModel,
  episodesToImageTransitions,
  toBytes,
  type E2cLossWeights,
  type LatentEpochReport,
  type LatentFitOptions,
  type LatentModel,
  type LabelledImageTransitions,
  type PatchStage,
  type WorldModelLossWeights,
} from '../../mbrl/models/latent';
import type { Activation } from '../../mbrl/models';
import type { LinearDynamics } from '../../mbrl/planning';
import { stackToUnitChannels } from '../../mbrl/render';
import { fitPca, projectPca, type PcaProjection } from '../../mbrl/util';
import { writeFileAtomic } from '../run/atomic-write';
import { loadImageEpisodes } from '../datasets/image-episode-source';
import type { ImageDatasetSource } from '../../protocol/image-dataset-source';
import { readModelXml } from '../resources';
import type { Job, JobContext } from './job';
import { checkControl, createController, fitTrueStateModel, type LatentControllerKind, type LatentPlanSettings } from './latent-controllers';
import { mpcRoundUnits, runMpcRounds, type MpcRoundSettings } from './latent-rounds';

/**
 * One set of exploring-start episodes (LatentJobSpec.collect.exploringStarts): random episodes from
 * the task's exploring starts over a range (mbrl/env/exploring-starts.ts; the pendulum: |θ| ≤ maxAngle
 * rad, default π, |θ̇| ≤ maxSpeed rad/s, default 0).
 */
export interface ExploringStartSet {
  episodes: number;
  steps?: number;
  actionRepeat?: number;
  maxAngle?: number;
  maxSpeed?: number;
}

/** What to run. */
export interface LatentJobSpec {
  /** A pixel task id, e.g. 'point-mass-pixels'. */
  task: string;
  /**
   * Image size override (default: the task's), frames stacked on channels per observation, and
   * supersample: s × s rays per pixel averaged (default the task's). Why supersampling: in a 1-sample
   * 32 × 32 frame the pendulum's ball moves a whole pixel (4 cm, 0.08 rad near the top) before the image
   * changes, so the speed two stacked frames show is quantised to ±1.6 rad/s; averaged coverage makes
   * sub-pixel motion visible, as a real camera's pixels integrate light over their area.
   */
  image?: { width?: number; height?: number; frameStack?: number; supersample?: number };
  /** Collect random episodes in the task, or (instead) read `data`. */
  collect?: {
    episodes: number;
    steps?: number;
    actionRepeat?: number;
    seed: number;
    /**
     * More random episodes from the task's exploring starts (e.g. the pendulum at any angle; see
     * mbrl/env/exploring-starts.ts), after the episodes above, one set or several in order; actionRepeat
     * defaults to theirs. Control episodes still start as the task defines.
     */
    exploringStarts?: ExploringStartSet | ExploringStartSet[];
  };
  /** A recorded image dataset to train on instead of collecting (no control then: no simulator). */
  data?: ImageDatasetSource;
  model: {
    kind: 'deterministic' | 'stochastic' | 'e2c';
    latentDim: number;
    stages: PatchStage[];
    hidden: number[];
    /** Latent dynamics (lecture) or transition network (E2C) hidden widths. */
    dynamicsHidden: number[];
    rewardHidden: number[];
    activation: Activation;
    /** Gaussian pixel likelihood with this std instead of Bernoulli (see pixelNll). */
    pixelStd?: number;
    /** E2C: start the decoder at the training frames' mean image (E2cConfig.meanImageOffset). */
    meanImageOffset?: boolean;
    /** E2C: std (pixels) of the encoder's fixed input blur (E2cConfig.inputBlur). */
    inputBlur?: number;
    /** E2C: spatial-softmax keypoint layer first in the encoder (E2cConfig.keypoints). */
    keypoints?: { channels: number; kernel: number; hidden?: number[] };
    /** E2C: the encoder's starting log-variance (E2cConfig.initialLogVariance). */
    initialLogVariance?: number;
    /** Lecture model: steps K of the multi-step reward term (LatentWorldModelConfig.rolloutSteps; default 1: none). */
    rolloutSteps?: number;
    /** Lecture model: the multi-step code term every this many steps (LatentWorldModelConfig.overshootEvery; default none). */
    overshootEvery?: number;
    /** Lecture model: the reward head's scale (LatentWorldModelConfig.rewardScale; default 'linear'). */
    rewardScale?: 'linear' | 'sqrt';
    /** Lecture model: more weight on near-optimal rows (LatentWorldModelConfig.rewardFocus; default none). */
    rewardFocus?: { above: number; weight: number };
    /** Loss weights: the lecture model's or E2C's (missing keys take 1). */
    weights?: Partial<WorldModelLossWeights & E2cLossWeights>;
    seed: number;
  };
  fit: LatentFitOptions;
  /**
   * After the first fit, rounds of collecting episodes with the latent MPC (plan's CEM on the learned
   * reward, plus action noise) and refitting on all data, as PlaNet does (latent-rounds.ts). Absent: none.
   */
  mpcRounds?: MpcRoundSettings;
  plan?: LatentPlanSettings & {
    episodes: number;
    steps?: number;
    /**
     * 'latent' (default): plan from pixels in the model's latent space; 'true-state': the same planner
     * on the true state (a baseline: no model is trained); 'random': uniform random actions (a baseline).
     * See latent-controllers.ts.
     */
    controller?: LatentControllerKind;
  };
  /** Index of the true-state variable that colours the codes (default 0). */
  colourBy?: number;
  /** Most codes streamed (default 2000). */
  maxCodes?: number;
  /** Frames in the strips and how many steps ahead "predicted" looks (defaults 12 and 5). */
  strip?: { frames: number; ahead: number };
  /** Where model.json + weights.bin are written (optional). */
  checkpointDir?: string;
}

/** Streamed events (per-loss curves, codes, frame strips, plans, results). */
export type LatentJobEvent =
  | { type: 'latent/collected'; jobId: string; episodes: number; transitions: number; imageShape: [number, number, number]; stateNames?: string[] }
  | { type: 'latent/curve'; jobId: string; epoch: number; epochs: number; train: Record<string, number>; val: Record<string, number>; transitionsPerSecond: number }
  | {
      type: 'latent/codes';
      jobId: string;
      latentDim: number;
      /** [N · latentDim]. */
      codes: Float32Array;
      /** The true-state values that colour each code: [N] (state dim `colourBy`). */
      colour: Float32Array;
      colourBy: number;
      /** All true states [N · stateDim], for other colourings and hover. */
      states: Float32Array;
      stateDim: number;
      /** The codes in 3-D for the point cloud (as they are when latentDim ≤ 3, else their top-3 PCA projection): [N · 3]. */
      xyz: Float32Array;
      /** The newest frame of each coded observation, for hover: [N · H · W · 3]. */
      frames: Uint8Array;
      height: number;
      width: number;
    }
  | {
      type: 'latent/frames';
      jobId: string;
      /** Frame size (the newest frame of a stack): [H, W, 3]. */
      height: number;
      width: number;
      /** Each [K, H, W, 3] bytes: o_t, decode(encode(o_t)), and decode of the code rolled `ahead` steps from o_{t−ahead}. */
      observed: Uint8Array;
      reconstructed: Uint8Array;
      predicted: Uint8Array;
      ahead: number;
    }
  | { type: 'latent/plan'; jobId: string; episode: number; step: number; action: Float32Array; state: Float32Array; reward: number; planCodes: Float32Array; planXyz: Float32Array; planMs: number }
  | {
      type: 'latent/episode';
      jobId: string;
      episode: number;
      controller: LatentControllerKind;
      return: number;
      finalReward: number;
      steps: number;
      /** The task's success predicate on the true states (mbrl/env/episode-success.ts); null when the task has none. */
      success: boolean | null;
      /** The numbers behind it, e.g. { finalDistance } in metres for the point mass. */
      measures: Record<string, number>;
    }
  | { type: 'latent/saved'; jobId: string; path: string };

const PLAN_EVENT_INTERVAL_MS = 50;

/**
 * Runs the whole pipeline; `emit` receives the job's events. Returns the trained model and its data,
 * or null when cancelled or when nothing is trained (the baseline controllers of `plan.controller`).
 */
export async function runLatentJob(spec: LatentJobSpec, ctx: JobContext, emit: (e: LatentJobEvent) => void): Promise<{ model: LatentModel; data: LabelledImageTransitions } | null> {
  const jobId = ctx.jobId;
  const k = spec.image?.frameStack ?? 1;
  if (!spec.collect === !spec.data) throw new Error('latent: give either collect (from the task) or data (a recorded dataset)');
  if (spec.data && spec.plan) throw new Error('latent: plan needs the task simulator; a recorded dataset (data) has none');
  // A recorded dataset needs no simulator: frames, actions and colouring states come from the file.
  const env = spec.data ? null : await makePixelEnv(spec.task, readModelXml, { width: spec.image?.width, height: spec.image?.height, frameStack: k, supersample: spec.image?.supersample });
  let model: LatentModel | null = null;
  try {
    const planEpisodes = spec.plan?.episodes ?? 0;
    const collectUnits = spec.collect ? spec.collect.episodes + exploringSets(spec.collect).reduce((n, set) => n + set.episodes, 0) : 1;
    if (spec.collect?.exploringStarts && !exploringStart(spec.task)) throw new Error(`collect.exploringStarts: task ${spec.task} has no exploring starts`);
    const controller = spec.plan?.controller ?? 'latent';
    // Baselines need no model: they skip training (and the model's views), so their rows cost only control.
    const trains = controller === 'latent';
    if (spec.plan && env) checkControl(controller, spec.plan, env, null, false);
    // Baseline controllers train nothing, so they skip the rounds.
    if (spec.mpcRounds && trains && (!spec.plan || spec.data)) throw new Error('mpcRounds: collecting with the latent MPC needs a task to collect in (collect) and plan settings');
    const roundUnits = trains ? mpcRoundUnits(spec.mpcRounds) : 0;
    const total = collectUnits + (trains ? spec.fit.epochs : 0) + roundUnits + planEpisodes;
    ctx.progress(0, total, spec.data ? `reading ${spec.data.dataset}` : 'collecting');
    const recorded = spec.data
      ? await loadImageEpisodes(spec.data, { width: spec.image?.width, height: spec.image?.height, signal: ctx.signal, onEpisode: (done, n) => ctx.progress(done / n, total, `reading the dataset: episode ${done} of ${n}`) })
      : null;
    const { height: H, width: W } = recorded ?? env!.imageSpace;
    let episodes: readonly ImageEpisode[] = recorded ? recorded.episodes : await collectImageEpisodes(env!, {
      episodes: spec.collect!.episodes,
      steps: spec.collect!.steps,
      actionRepeat: spec.collect!.actionRepeat,
      seed: spec.collect!.seed,
      signal: ctx.signal,
      onEpisode: (done) => ctx.progress(done, total, `collecting: episode ${done} of ${spec.collect!.episodes}`),
    });
    if (spec.collect?.exploringStarts && !ctx.signal.aborted) episodes = [...episodes, ...(await collectFromExploringStarts(env!, spec.collect, spec.task, ctx, total))];
    if (ctx.signal.aborted || !episodes.length) return null;
    let data = episodesToImageTransitions(episodes, H, W, k);
    emit({ type: 'latent/collected', jobId, episodes: episodes.length, transitions: data.size, imageShape: data.imageShape, ...(recorded ? { stateNames: recorded.stateNames } : {}) });

    if (!trains) {
      if (spec.plan && env && !ctx.signal.aborted) await control(spec, env, null, episodes, ctx, emit, total, collectUnits, () => new Float32Array(0));
      return null;
    }

    model = createModel(spec, data);
    const allEpochs = spec.fit.epochs + (spec.mpcRounds ? spec.mpcRounds.rounds * spec.mpcRounds.epochs : 0);
    const curve = (r: LatentEpochReport) => emit({ type: 'latent/curve', jobId, epoch: r.epoch, epochs: allEpochs, train: r.train, val: r.val, transitionsPerSecond: r.transitionsPerSecond });
    await model.fit(
      data,
      spec.fit,
      (r) => {
        curve(r);
        ctx.progress(collectUnits + r.epoch, total, `training: epoch ${r.epoch} of ${r.epochs}`);
      },
      ctx.signal,
    );
    if (spec.mpcRounds && env && spec.plan && !ctx.signal.aborted) {
      const c = { env, model, plan: spec.plan, fit: spec.fit, steps: spec.collect!.steps, seed: spec.collect!.seed, job: ctx, doneBefore: collectUnits + spec.fit.epochs, total, epochsBefore: spec.fit.epochs, epochsTotal: allEpochs, onEpoch: curve };
      ({ episodes, data } = await runMpcRounds(spec.mpcRounds, episodes, c));
    }
    if (spec.checkpointDir) {
      const artifacts = await model.save();
      await mkdir(spec.checkpointDir, { recursive: true });
      await writeFileAtomic(join(spec.checkpointDir, 'weights.bin'), new Uint8Array(artifacts.weightData));
      await writeFileAtomic(join(spec.checkpointDir, 'model.json'), JSON.stringify(artifacts.modelJson));
      emit({ type: 'latent/saved', jobId, path: spec.checkpointDir });
    }
    const codes = codesEvent(jobId, model, data, spec.colourBy ?? 0, spec.maxCodes ?? 2000, H, W, k);
    emit(codes.event);
    emit(framesEvent(jobId, model, data, episodes[0].rewards.length, H, W, k, spec.strip ?? { frames: 12, ahead: 5 }));
    if (spec.plan && env && !ctx.signal.aborted) await control(spec, env, model, episodes, ctx, emit, total, collectUnits + spec.fit.epochs + roundUnits, codes.to3d);
    return { model, data };
  } catch (error) {
    model?.dispose();
    model = null;
    throw error;
  } finally {
    env?.dispose();
  }
}

/** Seed offset of the exploring-start episodes (episode i resets with collect.seed + this + i), apart from the other episodes' seeds. */
const EXPLORING_SEED_OFFSET = 1_000_000;

/** collect.exploringStarts as a list of sets (none, one, or the list given). */
function exploringSets(collect: NonNullable<LatentJobSpec['collect']>): ExploringStartSet[] {
  const sets = collect.exploringStarts;
  return sets === undefined ? [] : Array.isArray(sets) ? sets : [sets];
}

/**
 * The random episodes of collect.exploringStarts, set after set: the env starts them from the task's
 * exploring starts over each set's range, then goes back to its own. Set i draws from seed + offset +
 * i · 100 000, so a first set replays what the single-set form collected.
 */
async function collectFromExploringStarts(env: PixelEnv, collect: NonNullable<LatentJobSpec['collect']>, task: string, ctx: JobContext, total: number): Promise<ImageEpisode[]> {
  const episodes: ImageEpisode[] = [];
  let done = collect.episodes;
  try {
    for (const [i, set] of exploringSets(collect).entries()) {
      if (ctx.signal.aborted) break;
      env.useStarts(exploringStart(task, { maxAngle: set.maxAngle, maxSpeed: set.maxSpeed }));
      const before = done;
      episodes.push(
        ...(await collectImageEpisodes(env, {
          episodes: set.episodes,
          steps: set.steps,
          actionRepeat: set.actionRepeat ?? collect.actionRepeat,
          seed: collect.seed + EXPLORING_SEED_OFFSET + i * 100_000,
          signal: ctx.signal,
          onEpisode: (n) => ctx.progress(before + n, total, `collecting from exploring starts: episode ${n} of ${set.episodes}`),
        })),
      );
      done += set.episodes;
    }
  } finally {
    env.useStarts(null);
  }
  return episodes;
}

function createModel(spec: LatentJobSpec, data: LabelledImageTransitions): LatentModel {
  const m = spec.model;
  const w = m.weights ?? {};
  const base = { imageShape: data.imageShape, actDim: data.actDim, latentDim: m.latentDim, stages: m.stages, hidden: m.hidden, activation: m.activation, pixelStd: m.pixelStd, seed: m.seed };
  if (m.kind === 'e2c') {
    return E2cModel.create({ ...base, meanImageOffset: m.meanImageOffset, inputBlur: m.inputBlur, keypoints: m.keypoints, initialLogVariance: m.initialLogVariance, transitionHidden: m.dynamicsHidden, weights: { reconstruction: w.reconstruction ?? 1, nextReconstruction: w.nextReconstruction ?? 1, kl: w.kl ?? 1, consistency: w.consistency ?? 1 } });
  }
  return LatentWorldModel.create({ ...base, kind: m.kind, dynamicsHidden: m.dynamicsHidden, rewardHidden: m.rewardHidden, rolloutSteps: m.rolloutSteps, overshootEvery: m.overshootEvery, rewardScale: m.rewardScale, rewardFocus: m.rewardFocus, weights: { dynamics: w.dynamics ?? 1, reconstruction: w.reconstruction ?? 1, reward: w.reward ?? 1, kl: w.kl ?? 1, rollout: w.rollout ?? 1, overshoot: w.overshoot ?? 1 } });
}

/** Codes [n · d] → the cloud's 3-D frame [n · 3]: the same projection for the codes and every later plan. */
type To3d = (codes: Float32Array) => Float32Array;

/** A projection to 3-D: identity (zero-padded) for d ≤ 3, else PCA fitted on `codes` [n · d]. */
function latentTo3d(codes: Float32Array, n: number, d: number): To3d {
  const pca: PcaProjection | null = d > 3 ? fitPca(codes, n, d, 3) : null;
  return (c) => {
    const m = Math.floor(c.length / d);
    if (pca) return projectPca(pca, c, m);
    const out = new Float32Array(m * 3);
    for (let i = 0; i < m; i++) for (let j = 0; j < d; j++) out[i * 3 + j] = c[i * d + j];
    return out;
  };
}

/** Codes of (up to maxCodes, evenly spaced) observations with their true states, 3-D positions and newest frames. */
function codesEvent(jobId: string, model: LatentModel, data: LabelledImageTransitions, colourBy: number, maxCodes: number, H: number, W: number, k: number): { event: LatentJobEvent; to3d: To3d } {
  if (colourBy < 0 || colourBy >= data.stateDim) throw new Error(`colourBy: state has ${data.stateDim} dims, got ${colourBy}`);
  const n = Math.min(maxCodes, data.size);
  const P = data.obs.length / data.size;
  const rows = Array.from({ length: n }, (_, i) => Math.floor((i * data.size) / n));
  const codes = new Float32Array(n * model.latentDim);
  const states = new Float32Array(n * data.stateDim);
  const chunk = 256;
  for (let s = 0; s < n; s += chunk) {
    const part = rows.slice(s, s + chunk);
    const images = new Float32Array(part.length * P);
    part.forEach((r, i) => {
      for (let j = 0; j < P; j++) images[i * P + j] = data.obs[r * P + j] / 255;
      states.set(data.states.subarray(r * data.stateDim, (r + 1) * data.stateDim), (s + i) * data.stateDim);
    });
    const z = tf.tidy(() => model.encode(tf.tensor2d(images, [part.length, P])));
    codes.set(z.dataSync() as Float32Array, s * model.latentDim);
    z.dispose();
  }
  const colour = Float32Array.from({ length: n }, (_, i) => states[i * data.stateDim + colourBy]);
  // The newest frame of each stacked observation (channels 3(k−1)…3k−1 of every pixel), for hover.
  const frameBytes = H * W * 3;
  const frames = new Uint8Array(n * frameBytes);
  rows.forEach((r, i) => {
    for (let p = 0; p < H * W; p++) for (let c = 0; c < 3; c++) frames[i * frameBytes + p * 3 + c] = data.obs[r * P + p * 3 * k + 3 * (k - 1) + c];
  });
  const to3d = latentTo3d(codes, n, model.latentDim);
  const event: LatentJobEvent = { type: 'latent/codes', jobId, latentDim: model.latentDim, codes, colour, colourBy, states, stateDim: data.stateDim, xyz: to3d(codes), frames, height: H, width: W };
  return { event, to3d };
}

/** Strips along the first episode: observed, reconstructed, and predicted `ahead` steps open-loop. */
function framesEvent(jobId: string, model: LatentModel, data: LabelledImageTransitions, episodeLength: number, H: number, W: number, k: number, strip: { frames: number; ahead: number }): LatentJobEvent {
  const ahead = Math.max(1, Math.min(strip.ahead, episodeLength - 1));
  const K = Math.max(1, Math.min(strip.frames, episodeLength - ahead));
  const P = data.obs.length / data.size;
  const frameBytes = H * W * 3;
  const [observed, reconstructed, predicted] = tf.tidy(() => {
    const all = tf.div(tf.tensor2d(data.obs.subarray(0, (K + ahead) * P), [K + ahead, P], 'float32'), 255) as tf.Tensor2D;
    const targets = tf.slice(all, [ahead, 0], [K, P]) as tf.Tensor2D;
    const recon = model.decode(model.encode(targets));
    let z = model.encode(tf.slice(all, [0, 0], [K, P]) as tf.Tensor2D);
    for (let s = 0; s < ahead; s++) {
      const rows = Array.from({ length: K }, (_, i) => i + s);
      const a = tf.tensor2d(rows.flatMap((r) => Array.from(data.act.subarray(r * data.actDim, (r + 1) * data.actDim))), [K, data.actDim]);
      z = model.step(z, a);
    }
    return [targets, recon, model.decode(z)];
  });
  // The newest frame of each (stacked) observation: channels 3(k−1)…3k−1.
  const newest = (t: tf.Tensor) => {
    const v = t.dataSync();
    const out = new Float32Array(K * frameBytes);
    for (let i = 0; i < K; i++) for (let p = 0; p < H * W; p++) for (let c = 0; c < 3; c++) out[i * frameBytes + p * 3 + c] = v[i * P + p * 3 * k + 3 * (k - 1) + c];
    return toBytes(out);
  };
  const event: LatentJobEvent = { type: 'latent/frames', jobId, height: H, width: W, observed: newest(observed), reconstructed: newest(reconstructed), predicted: newest(predicted), ahead };
  tf.dispose([observed, reconstructed, predicted]);
  return event;
}

/**
 * The control episodes: each starts from reset(plan.seed + e) (so every controller meets the same
 * start/goal pairs), runs the chosen controller and reports the task's success predicate.
 * `doneBefore`: progress units already done.
 */
async function control(
  spec: LatentJobSpec,
  env: PixelEnv,
  model: LatentModel | null,
  episodes: readonly ImageEpisode[],
  ctx: JobContext,
  emit: (e: LatentJobEvent) => void,
  total: number,
  doneBefore: number,
  to3d: To3d,
): Promise<void> {
  const plan = spec.plan!;
  const kind = plan.controller ?? 'latent';
  const { height: H, width: W, frameStack: k } = env.imageSpace;
  const steps = plan.steps ?? env.maxEpisodeSteps;
  const D = env.stateSpace.size;
  checkControl(kind, plan, env, model, true);
  let linear: LinearDynamics | null = null;
  const linearModel = () => (linear ??= fitTrueStateModel(episodes, D, env.actionSpace.size));
  const view = pixelView(env.id);
  for (let e = 0; e < plan.episodes && !ctx.signal.aborted; e++) {
    let obs = env.reset(plan.seed + e);
    let goalInput: Float32Array | null = null;
    let goalState: Float32Array | null = null;
    if (plan.mode === 'goal') {
      goalState = view.goalState!(env.state());
      const goal = env.goalImage()!;
      // A goal is a still picture: stack it k times.
      const stacked = new Uint8Array(goal.length * k);
      for (let f = 0; f < k; f++) stacked.set(goal, f * goal.length);
      goalInput = stackToUnitChannels(stacked, k, H, W);
    }
    const controller = createController(kind, plan, { env, model, episodes }, e, goalInput, goalState, linearModel);
    const states = new Float32Array(steps * D);
    let state = env.state();
    let ret = 0;
    let reward = 0;
    let lastEvent = -Infinity;
    let t = 0;
    try {
      for (; t < steps && !ctx.signal.aborted; t++) {
        const decision = await controller.act(kind === 'latent' ? stackToUnitChannels(obs, k, H, W) : new Float32Array(0), state);
        const r = env.step(decision.action);
        ret += r.reward;
        reward = r.reward;
        obs = r.obs;
        state = r.state;
        states.set(r.state, t * D);
        const now = performance.now();
        if (now - lastEvent >= PLAN_EVENT_INTERVAL_MS || t === steps - 1) {
          lastEvent = now;
          const planXyz = kind === 'latent' ? to3d(decision.codes) : new Float32Array(0);
          emit({ type: 'latent/plan', jobId: ctx.jobId, episode: e, step: t, action: decision.action, state: r.state, reward: r.reward, planCodes: decision.codes, planXyz, planMs: decision.planMs });
        }
        if (r.terminated || r.truncated) {
          t++;
          break;
        }
        if (t % 10 === 9) await new Promise<void>((resolve) => setImmediate(resolve));
      }
    } finally {
      controller.dispose();
    }
    const outcome = t > 0 ? judgeEpisode(spec.task, states.subarray(0, t * D), D) : null;
    emit({ type: 'latent/episode', jobId: ctx.jobId, episode: e, controller: kind, return: ret, finalReward: reward, steps: t, success: outcome?.success ?? null, measures: outcome?.measures ?? {} });
    ctx.progress(doneBefore + e + 1, total, `control (${kind}): episode ${e + 1} of ${plan.episodes}`);
  }
}

/**
 * {@link runLatentJob} as a {@link Job}. `emitLatent` forwards the job's events to the client (the
 * engine passes ctx.emit once the protocol lists them); the trained model is freed at the end.
 */
export class LatentJob implements Job {
  constructor(private readonly spec: LatentJobSpec, private readonly emitLatent: (e: LatentJobEvent) => void) {}

  async run(ctx: JobContext): Promise<void> {
    const out = await runLatentJob(this.spec, ctx, this.emitLatent);
    out?.model.dispose();
  }
}
