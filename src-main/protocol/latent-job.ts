import { z } from 'zod';
import { ImageDatasetSource } from './image-dataset-source';

/**
 * The latent-model job (issue 6): collect random episodes of an image task, train a latent model
 * (the lecture's deterministic or VAE-encoder model, or E2C), stream what the "Latent space" view
 * draws, then control the task from pixels in latent space. The engine's LatentJob runs it
 * (src-main/engine/jobs/latent-job.ts); these schemas are its wire form.
 */

const seed = z.number().int().min(0).max(2 ** 31 - 1);
const widths = z.array(z.number().int().min(1).max(4096)).max(8);

/** One set of exploring-start episodes of a latent job's collection (collect.exploringStarts). */
const ExploringStartSet = z.strictObject({
  episodes: z.number().int().min(1).max(10_000),
  steps: z.number().int().min(2).max(10_000).optional(),
  actionRepeat: z.number().int().min(1).max(100).optional(),
  /** Largest start angle from upright, rad (the pendulum's |θ|); default π: anywhere. */
  maxAngle: z.number().gt(0).max(Math.PI).optional(),
  /** Largest start speed, rad/s (the pendulum's |θ̇|); default 0: at rest. */
  maxSpeed: z.number().min(0).max(20).optional(),
});

export const LatentJobSpec = z.strictObject({
  kind: z.literal('latent'),
  /** A pixel task id, e.g. 'point-mass-pixels'. */
  task: z.string().min(1).max(64),
  /** Image size override (default: the task's) and frames stacked on channels per observation. */
  image: z
    .strictObject({
      width: z.number().int().min(8).max(256).optional(),
      height: z.number().int().min(8).max(256).optional(),
      frameStack: z.number().int().min(1).max(4).optional(),
      /** Samples per pixel side, averaged (anti-aliasing; default the task's, 1 for most). */
      supersample: z.number().int().min(1).max(8).optional(),
    })
    .optional(),
  collect: z
    .strictObject({
      episodes: z.number().int().min(1).max(10_000),
      steps: z.number().int().min(2).max(10_000).optional(),
      actionRepeat: z.number().int().min(1).max(100).optional(),
      seed,
      /**
       * More random episodes that start from the task's exploring starts (the pendulum: |θ| ≤ maxAngle,
       * default any angle, |θ̇| ≤ maxSpeed, default at rest; mbrl/env/exploring-starts.ts) instead of its
       * own start; control episodes still start as the task defines. actionRepeat defaults to
       * collect.actionRepeat. One set, or a list of sets collected in order (parsed as a list).
       */
      exploringStarts: z.preprocess((sets) => (sets === undefined || Array.isArray(sets) ? sets : [sets]), z.array(ExploringStartSet).min(1).max(8)).optional(),
    })
    .optional(),
  /** Train on a recorded image dataset instead of collecting (then `task` is only a label and there is no control: no simulator). */
  data: ImageDatasetSource.optional(),
  model: z.strictObject({
    kind: z.enum(['deterministic', 'stochastic', 'e2c']),
    latentDim: z.number().int().min(1).max(256),
    /** Patch-convolution stages from the image side (none: an MLP on the flattened image, as E2C's planar nets). */
    stages: z.array(z.strictObject({ patch: z.number().int().min(1).max(16), channels: z.number().int().min(1).max(512) })).max(6),
    hidden: widths,
    dynamicsHidden: widths,
    rewardHidden: widths,
    activation: z.enum(['relu', 'swish', 'tanh']),
    pixelStd: z.number().positive().max(10).optional(),
    /** E2C: start the decoder at the training frames' mean image. */
    meanImageOffset: z.boolean().optional(),
    /** E2C: std (pixels) of the encoder's fixed Gaussian input blur. */
    inputBlur: z.number().min(0).max(16).optional(),
    /** E2C: the encoder's first layer is a spatial-softmax keypoint layer (no stages), then `hidden` layers (default none) to the code. */
    keypoints: z.strictObject({ channels: z.number().int().min(1).max(64), kernel: z.number().int().min(1).max(15).refine((k) => k % 2 === 1, 'must be odd'), hidden: widths.optional() }).optional(),
    /** E2C: the encoder's log-variance output at the start of training (default 0). */
    initialLogVariance: z.number().min(-20).max(5).optional(),
    /** Lecture model: steps K of the multi-step reward term (default 1: none). */
    rolloutSteps: z.number().int().min(1).max(100).optional(),
    /** Lecture model: match the rolled-out codes to the encoder's every this many steps up to rolloutSteps (term 'overshoot'; default none). */
    overshootEvery: z.number().int().min(1).max(100).optional(),
    /** Lecture model: the scale the reward head is fitted on, 'linear' (default) or 'sqrt' (sign(r)·√|r|; finer near a quadratic cost's optimum). */
    rewardScale: z.enum(['linear', 'sqrt']).optional(),
    /** Lecture model: weight `weight` on the reward terms' rows with r > `above` (near-optimal states; default none). */
    rewardFocus: z.strictObject({ above: z.number(), weight: z.number().min(1).max(1000) }).optional(),
    weights: z
      .strictObject({
        dynamics: z.number().min(0).optional(),
        reconstruction: z.number().min(0).optional(),
        reward: z.number().min(0).optional(),
        kl: z.number().min(0).optional(),
        nextReconstruction: z.number().min(0).optional(),
        consistency: z.number().min(0).optional(),
        rollout: z.number().min(0).optional(),
        overshoot: z.number().min(0).optional(),
      })
      .optional(),
    seed,
  }),
  fit: z.strictObject({
    epochs: z.number().int().min(1).max(10_000),
    batchSize: z.number().int().min(1).max(4096),
    learningRate: z.number().positive().max(1),
    valFraction: z.number().min(0).max(0.5),
    seed,
  }),
  /** PlaNet-style rounds after the first fit: collect `episodes` with the latent MPC (+ noise), refit `epochs` on all data. */
  mpcRounds: z
    .strictObject({
      rounds: z.number().int().min(1).max(100),
      episodes: z.number().int().min(1).max(1000),
      epochs: z.number().int().min(1).max(10_000),
      noise: z.number().min(0).max(10),
    })
    .optional(),
  plan: z
    .strictObject({
      episodes: z.number().int().min(0).max(1000),
      steps: z.number().int().min(1).max(10_000).optional(),
      mode: z.enum(['reward', 'goal']),
      planner: z.enum(['cem', 'ilqr']),
      /** 'latent' (default): from pixels; 'true-state': the same planner on the true state (baseline); 'random': random actions (baseline). */
      controller: z.enum(['latent', 'true-state', 'random']).optional(),
      horizon: z.number().int().min(1).max(200),
      cem: z.strictObject({ population: z.number().int().min(2).max(10_000), iterations: z.number().int().min(1).max(50), eliteFraction: z.number().gt(0).max(1), alpha: z.number().min(0).lt(1) }).optional(),
      ilqr: z.strictObject({ iterations: z.number().int().min(1).max(200), stateCost: z.number().min(0), finalStateCost: z.number().min(0), actionCost: z.number().min(0) }).optional(),
      /** Offset-free MPC (latent CEM): each predicted step adds gain × the smoothed one-step code error, while r̂(z₀) > whenRewardAbove. */
      offsetCorrection: z.strictObject({ smoothing: z.number().min(0).lt(1), gain: z.number().min(0).max(2), whenRewardAbove: z.number().optional() }).optional(),
      seed,
    })
    .optional(),
  /** Index of the true-state variable that colours the codes (default 0). */
  colourBy: z.number().int().min(0).max(64).optional(),
  /** Most codes streamed (default 2000). */
  maxCodes: z.number().int().min(1).max(20_000).optional(),
  strip: z.strictObject({ frames: z.number().int().min(1).max(64), ahead: z.number().int().min(1).max(100) }).optional(),
})
  .refine((s) => s.model.overshootEvery === undefined || (s.model.kind !== 'e2c' && (s.model.rolloutSteps ?? 1) > 1 && s.model.overshootEvery <= (s.model.rolloutSteps ?? 1)), {
    message: 'overshootEvery needs the lecture model (deterministic or stochastic) with rolloutSteps > 1, and at most rolloutSteps',
    path: ['model', 'overshootEvery'],
  })
  .refine((s) => s.model.rewardScale === undefined || s.model.kind !== 'e2c', {
    message: 'rewardScale needs the lecture model (deterministic or stochastic): E2C learns no reward',
    path: ['model', 'rewardScale'],
  })
  .refine((s) => s.model.rewardFocus === undefined || s.model.kind !== 'e2c', {
    message: 'rewardFocus needs the lecture model (deterministic or stochastic): E2C learns no reward',
    path: ['model', 'rewardFocus'],
  })
  .refine((s) => !s.plan?.offsetCorrection || s.plan.planner === 'cem', {
    message: "offsetCorrection corrects the latent CEM's predictions: set plan.planner to 'cem'",
    path: ['plan', 'offsetCorrection'],
  })
  .refine((s) => s.plan?.offsetCorrection?.whenRewardAbove === undefined || s.model.kind !== 'e2c', {
    message: 'offsetCorrection.whenRewardAbove reads the learned reward: E2C learns none',
    path: ['plan', 'offsetCorrection', 'whenRewardAbove'],
  })
  .refine((s) => !s.model.keypoints || (s.model.kind === 'e2c' && s.model.stages.length === 0), {
    message: 'keypoints needs the e2c model without stages (the keypoint layer replaces them)',
    path: ['model', 'keypoints'],
  })
  .refine((s) => s.model.initialLogVariance === undefined || s.model.kind === 'e2c', { message: 'initialLogVariance is an e2c option', path: ['model', 'initialLogVariance'] })
  .refine((s) => !!s.collect !== !!s.data, { message: 'give either collect (from the task) or data (a recorded dataset)', path: ['collect'] })
  .refine((s) => !(s.data && s.plan), { message: 'plan needs the task simulator: a recorded dataset has none', path: ['plan'] });

const f32 = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array');
const u8 = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array');
const terms = z.record(z.string(), z.number());

/** What a latent job streams (typed arrays travel as transferred buffers). */
export const LatentJobEvents = [
  z.object({
    type: z.literal('latent/collected'),
    jobId: z.string(),
    episodes: z.number(),
    transitions: z.number(),
    imageShape: z.tuple([z.number(), z.number(), z.number()]),
    /** Names of the true-state dimensions where they come from a recorded dataset ('obs/state[0]'; 'step' without a state). */
    stateNames: z.array(z.string()).optional(),
  }),
  /** Per-loss-term training and validation values after an epoch. */
  z.object({ type: z.literal('latent/curve'), jobId: z.string(), epoch: z.number(), epochs: z.number(), train: terms, val: terms, transitionsPerSecond: z.number() }),
  z.object({
    type: z.literal('latent/codes'),
    jobId: z.string(),
    latentDim: z.number(),
    /** Codes [N · latentDim]. */
    codes: f32,
    /** The codes in 3-D for the point cloud: as they are when latentDim ≤ 3, else their top-3 PCA projection: [N · 3]. */
    xyz: f32,
    /** The true-state value colouring each code: [N] (state dimension `colourBy`). */
    colour: f32,
    colourBy: z.number(),
    /** True states [N · stateDim] (for other colourings and hover). */
    states: f32,
    stateDim: z.number(),
    /** The newest frame of each coded observation, for hover: [N · H · W · 3]. */
    frames: u8,
    height: z.number(),
    width: z.number(),
  }),
  /** Strips [K · H · W · 3] along the first episode: observed, reconstructed, and predicted `ahead` steps open-loop. */
  z.object({ type: z.literal('latent/frames'), jobId: z.string(), height: z.number(), width: z.number(), observed: u8, reconstructed: u8, predicted: u8, ahead: z.number() }),
  /** One executed control step: the plan's predicted codes z₀…z_H, and the same in the cloud's 3-D frame. */
  z.object({ type: z.literal('latent/plan'), jobId: z.string(), episode: z.number(), step: z.number(), action: f32, state: f32, reward: z.number(), planCodes: f32, planXyz: f32, planMs: z.number() }),
  /** One control episode: its return and the task's success predicate on the true states (null: the task has none) with its measures (e.g. finalDistance, m). */
  z.object({
    type: z.literal('latent/episode'),
    jobId: z.string(),
    episode: z.number(),
    controller: z.enum(['latent', 'true-state', 'random']),
    return: z.number(),
    finalReward: z.number(),
    steps: z.number(),
    success: z.boolean().nullable(),
    measures: z.record(z.string(), z.number()),
  }),
  z.object({ type: z.literal('latent/saved'), jobId: z.string(), path: z.string() }),
] as const;

export type LatentJobSpec = z.infer<typeof LatentJobSpec>;
