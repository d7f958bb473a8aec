import { z } from 'zod';
import { RunSpec } from './run-spec';
import { LatentJobSpec } from './latent-job';
import { ForesightJobSpec } from './foresight-job';

/**
 * Requests a client (renderer, CLI, test) sends to the engine.
 * Every request is validated with {@link parseRequest} before the engine acts on it.
 */

const jobId = z.string().min(1).max(64);
const taskId = z.string().min(1).max(64);
const seed = z.number().int().min(0).max(2 ** 31 - 1);
/** An open dataset, as named by the engine's `dataset/summary` reply. */
const datasetId = z.string().min(1).max(64);
const row = z.number().int().min(0);

/** Run a task live at real-time speed, streaming a scene and then frames until cancelled. */
export const SimJobSpec = z.strictObject({
  kind: z.literal('sim'),
  task: taskId,
  seed,
  /** Who chooses actions: uniform random, or the user (via `sim/action`). */
  policy: z.enum(['random', 'keyboard']),
  /** Playback speed relative to real time (1 = one env step every dt seconds). */
  speed: z.number().positive().max(100).default(1),
});

/**
 * A model-based RL experiment (the run spec of `mbrl-lab run`), streamed live: metrics, the real
 * rollout as frames, the model's predicted trajectory for each plan. Written to a run folder.
 */
export const ExperimentJobSpec = z.strictObject({
  kind: z.literal('experiment'),
  spec: RunSpec,
  /** Short label for the run folder and the runs list, e.g. "lecture: v1.5". */
  label: z.string().max(80).optional(),
});

/**
 * Fit a dynamics model or ensemble on a recorded dataset (engine/datasets/dataset-train-job.ts):
 * whole episodes held out for validation; after the fit, `dataset/prediction` events show each
 * held-out episode's multi-step open-loop prediction. Written to a run folder in the runs dir.
 */
export const DatasetTrainJobSpec = z.strictObject({
  kind: z.literal('dataset-train'),
  /** The dataset file or folder (as the summary names it). */
  path: z.string().min(1).max(4096),
  /** Fields concatenated into the state (default: the format's observation role). */
  state: z.array(z.string().min(1).max(256)).min(1).max(32).optional(),
  action: z.string().min(1).max(256).optional(),
  members: z.number().int().min(1).max(16).default(1),
  probabilistic: z.boolean().default(false),
  epochs: z.number().int().min(1).max(1000).default(30),
  hidden: z.array(z.number().int().min(1).max(1024)).min(1).max(6).default([64, 64]),
  /** Share of episodes held out, in [0, 1). */
  holdout: z.number().min(0).max(0.9).default(0.2),
  seed,
  /** Longest open-loop horizon for the RMSE-vs-horizon numbers. */
  horizon: z.number().int().min(1).max(1000).default(20),
  batchSize: z.number().int().min(1).max(4096).optional(),
});

export const JobSpec = z.discriminatedUnion('kind', [SimJobSpec, ExperimentJobSpec, DatasetTrainJobSpec, LatentJobSpec, ForesightJobSpec]);

/**
 * Compute backends the engine knows, in its order of preference (fastest kind first): TensorFlow.js
 * on CUDA, WebGPU (Dawn), native TensorFlow on the CPU, wasm, plain JavaScript.
 */
export const BACKEND_PROVIDERS = ['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendProvider = (typeof BACKEND_PROVIDERS)[number];

export const Request = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('engine/info') }),
  z.strictObject({ type: z.literal('task/list') }),
  z.strictObject({ type: z.literal('job/start'), jobId, spec: JobSpec }),
  z.strictObject({ type: z.literal('job/cancel'), jobId }),
  /**
   * Use this compute backend from now on and remember it (settings); 'auto' forgets the setting and
   * takes the machine's measured fastest (`remeasure`: benchmark again). Refused while a job runs;
   * answered by `engine/info` to every client, or by `error`.
   */
  z.strictObject({ type: z.literal('engine/set-backend'), backend: z.enum(['auto', ...BACKEND_PROVIDERS]), remeasure: z.boolean().optional() }),
  /** List the experiment presets shipped in resources/presets. */
  z.strictObject({ type: z.literal('presets/list') }),
  /** List the latent-model job presets in resources/presets/latent (answered by `presets/latent`). */
  z.strictObject({ type: z.literal('presets/latent') }),
  /** List the visual-foresight presets in resources/presets/foresight (answered by `presets/foresight`). */
  z.strictObject({ type: z.literal('presets/foresight') }),
  /** List the run folders on disk (newest first). */
  z.strictObject({ type: z.literal('runs/list') }),
  /** All metrics of one run (by id from runs/list). */
  z.strictObject({ type: z.literal('runs/get'), runId: z.string().min(1).max(200) }),
  z.strictObject({
    type: z.literal('sim/command'),
    jobId,
    command: z.enum(['pause', 'resume', 'reset', 'step']),
    /** For `reset`: the new episode's seed; omitted keeps counting from the job's seed. */
    seed: seed.optional(),
  }),
  z.strictObject({
    type: z.literal('sim/action'),
    jobId,
    /** Action held until the next one arrives: [actDim], clipped by the env. */
    action: z.array(z.number().finite()).max(64),
  }),
  /**
   * Open a recorded dataset (file or folder; absolute, or relative to the engine's working folder)
   * read-only for browsing. Answered by `dataset/summary`, or by `error` with one line.
   */
  z.strictObject({ type: z.literal('dataset/open'), path: z.string().min(1).max(4096) }),
  /** Rows [start, end) (default: all) of fields of one episode of an open dataset → `dataset/episode`. */
  z.strictObject({
    type: z.literal('dataset/episode'),
    datasetId,
    episode: row,
    fields: z.array(z.string().min(1).max(256)).min(1).max(64),
    start: row.optional(),
    end: row.optional(),
  }),
  /** Close an open dataset (the engine also closes a connection's datasets when it goes). */
  z.strictObject({ type: z.literal('dataset/close'), datasetId }),
  /** One image (uint8 [H, W, C] per step) of an open dataset's field at one step → `dataset/frame`. */
  z.strictObject({ type: z.literal('dataset/frame'), datasetId, episode: row, field: z.string().min(1).max(256), step: row }),
  /**
   * Where the viewer can play one episode of a video feature (summary.videos) → `dataset/video`:
   * the engine grants a URL for exactly that file to the host that serves media (serve's HTTP
   * route, Electron's mbrl-video: protocol) until the dataset closes.
   */
  z.strictObject({ type: z.literal('dataset/video'), datasetId, episode: row, key: z.string().min(1).max(256) }),
  /**
   * Body poses of a built-in task for every step of an episode, from the named state fields
   * (default: the observation role; their width must be the task's obsDim) → `dataset/replay`.
   */
  z.strictObject({
    type: z.literal('dataset/replay'),
    datasetId,
    episode: row,
    task: taskId,
    fields: z.array(z.string().min(1).max(256)).min(1).max(32).optional(),
  }),
  /**
   * One chunk of a file uploaded from the browser (bytes [offset, offset + data.length) of `size`);
   * the engine stores it under a temporary uploads folder, answers `dataset/upload-progress`, and
   * after the last chunk opens it read-only (→ `dataset/summary`).
   */
  z.strictObject({
    type: z.literal('dataset/upload'),
    uploadId: z.string().regex(/^[A-Za-z0-9_-]{1,64}$/),
    name: z.string().min(1).max(255),
    size: z.number().int().min(0).max(2 ** 45),
    offset: z.number().int().min(0),
    data: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array'),
  }),
  /** Write episodes of an open dataset to a robomimic HDF5 or NPZ file → `dataset/exported`. */
  z.strictObject({
    type: z.literal('dataset/export'),
    datasetId,
    to: z.enum(['robomimic', 'npz']),
    out: z.string().min(1).max(4096),
    episodes: z.array(row).max(1_000_000).optional(),
    state: z.array(z.string().min(1).max(256)).min(1).max(32).optional(),
    action: z.string().min(1).max(256).optional(),
  }),
]);

export type SimJobSpec = z.infer<typeof SimJobSpec>;
export type ExperimentJobSpec = z.infer<typeof ExperimentJobSpec>;
export type DatasetTrainJobSpec = z.infer<typeof DatasetTrainJobSpec>;
export type JobSpec = z.infer<typeof JobSpec>;
/** A request as written by a sender (defaults may be left out). */
export type RequestInput = z.input<typeof Request>;
/** A validated request with defaults filled in. */
export type Request = z.infer<typeof Request>;
