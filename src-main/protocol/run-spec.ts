import { z } from 'zod';

/**
 * An experiment spec for `mbrl-lab run SPEC.json --out DIR` and the Experiments view.
 * Strict at every level: an unknown (e.g. misspelt) field is an error, never silently ignored.
 * Every field but `task` has a default; the defaults are the values written below.
 */

/** The dynamics model and how it is fitted after each episode. */
export const ModelSpec = z.strictObject({
  /** Hidden layer widths. */
  hidden: z.array(z.number().int().min(1).max(4096)).min(1).max(8).default([200, 200, 200]),
  activation: z.enum(['relu', 'swish', 'tanh']).default('swish'),
  /** Most epochs per fit (early stopping may end sooner). */
  epochs: z.number().int().min(1).max(10_000).default(50),
  batchSize: z.number().int().min(1).max(65_536).default(256),
  learningRate: z.number().positive().max(1).default(1e-3),
  /** L2 penalty on kernels. */
  weightDecay: z.number().min(0).max(1).default(5e-5),
  /** Share of transitions held out for validation and early stopping. */
  valFraction: z.number().min(0).max(0.5).default(0.1),
  /** Epochs without validation improvement before stopping. */
  patience: z.number().int().min(1).max(1000).default(5),
  /** K: networks in the ensemble (1 = a single model). */
  members: z.number().int().min(1).max(64).default(1),
  /** Members predict a Gaussian (mean and log-variance, trained by NLL) instead of a point. */
  probabilistic: z.boolean().default(false),
  /** Each member's data: independent shuffles of all of it (default), or a bootstrap resample. */
  sampling: z.enum(['shuffle', 'bootstrap']).default('shuffle'),
  /** E: members kept for prediction after each fit, best by validation loss. Default: all K. */
  elites: z.number().int().min(1).max(64).optional(),
}).refine((m) => m.elites === undefined || m.elites <= m.members, { message: 'elites must not exceed members', path: ['elites'] });

/** Planning with an ensemble's uncertainty (used when model.members > 1 or model.probabilistic). */
export const UncertaintySpec = z.strictObject({
  /** P: particles per candidate action sequence. */
  particles: z.number().int().min(1).max(1000).default(20),
  /** expectation (mean of members), ts1 (random member every step) or tsinf (one member per particle). */
  propagation: z.enum(['expectation', 'ts1', 'tsinf']).default('tsinf'),
  /** Sample s′ from the predicted Gaussian (true) or use its mean. */
  sample: z.boolean().default(true),
  /** expected return, pessimistic (mean − k·std), worst particle, or optimistic (mean + k·std). */
  objective: z.enum(['expected', 'pessimistic', 'worst', 'optimistic']).default('expected'),
  /** k of the pessimistic/optimistic objectives. */
  riskK: z.number().min(0).max(10).default(1),
});

/** The trajectory optimizer used by MPC. */
export const OptimizerSpec = z.strictObject({
  kind: z.enum(['cem', 'random-shooting', 'mppi']).default('cem'),
  /** Candidate action sequences per iteration. */
  population: z.number().int().min(2).max(100_000).default(400),
  /** CEM/MPPI refinements per plan (random shooting always does one). */
  iterations: z.number().int().min(1).max(100).default(5),
  /** CEM: share of candidates kept as elites. */
  eliteFraction: z.number().gt(0).max(1).default(0.1),
  /** CEM: smoothing, new = α·old + (1−α)·elites. */
  alpha: z.number().min(0).max(0.999).default(0.1),
  /** MPPI: reward-weighting sharpness γ. */
  temperature: z.number().positive().default(10),
  /** MPPI: noise standard deviation (action units). */
  noiseStd: z.number().positive().default(0.5),
  /** MPPI: noise filter coefficient β in (0, 1]. */
  beta: z.number().gt(0).max(1).default(0.6),
});

/** Model-predictive control settings. */
export const MpcSpec = z.strictObject({
  /** Planning horizon H (steps). */
  horizon: z.number().int().min(1).max(500).default(25),
  /**
   * Replan every N executed steps. 1 = full MPC (v1.5). v1.0 always executes whole plans (N = H);
   * v0.5 uses this value.
   */
  replanEvery: z.number().int().min(1).max(500).default(1),
});

/** Where the work runs. Changes speed only: a seeded run plans the same with any setting. */
export const ComputeSpec = z.strictObject({
  /**
   * Worker threads that evaluate planning candidates in parallel, each with its own backend instance
   * and a copy of the model: 'auto' = one per CPU core; 1 = plan on the engine's own thread. Used
   * with the single-threaded backends (wasm, cpu); the others always plan on the engine's thread.
   */
  planningWorkers: z.union([z.number().int().min(1).max(64), z.literal('auto')]).default('auto'),
  /**
   * Worker threads that fit the ensemble's members in parallel after each episode, each training a
   * group of whole members on its own backend instance: 'auto' = one per CPU core; 1 = fit on the
   * engine's own thread. Never more than `model.members` are used (a single model fits on the
   * engine's thread). Used with the single-threaded backends (wasm, cpu), like planningWorkers.
   */
  trainingWorkers: z.union([z.number().int().min(1).max(64), z.literal('auto')]).default('auto'),
});

export const RunSpec = z
  .strictObject({
    /** Task id, e.g. "cartpole". Required. */
    task: z.string().min(1),
    /**
     * - "random": a uniformly random policy only.
     * - "v0.5": random data once, fit once, then plan and act without adding data.
     * - "v1.0": each episode: plan, execute whole plans open-loop, add the data, refit.
     * - "v1.5": MPC: replan every `mpc.replanEvery` steps, add the data, refit after each episode.
     */
    algorithm: z.enum(['random', 'v0.5', 'v1.0', 'v1.5']).default('random'),
    /** Episodes run by the algorithm (after the random ones). */
    episodes: z.number().int().min(1).max(100_000).default(10),
    /** Random-policy episodes collected first (the lecture's base policy π₀). Ignored by "random". */
    initialEpisodes: z.number().int().min(1).max(10_000).default(1),
    /** Integer 0…2³¹−1; seeds episodes, model initialisation, minibatches and the planner. */
    seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
    model: ModelSpec.prefault({}),
    optimizer: OptimizerSpec.prefault({}),
    mpc: MpcSpec.prefault({}),
    uncertainty: UncertaintySpec.prefault({}),
    compute: ComputeSpec.prefault({}),
  });

export type ModelSpec = z.infer<typeof ModelSpec>;
export type OptimizerSpec = z.infer<typeof OptimizerSpec>;
export type MpcSpec = z.infer<typeof MpcSpec>;
export type UncertaintySpec = z.infer<typeof UncertaintySpec>;
export type ComputeSpec = z.infer<typeof ComputeSpec>;
export type RunSpec = z.infer<typeof RunSpec>;
/** A spec as a user may write it (defaults omitted). */
export type RunSpecInput = z.input<typeof RunSpec>;
