import { z } from 'zod';
import { RunSpec } from './run-spec';
import { LatentJobEvents, LatentJobSpec } from './latent-job';
import { ForesightEvalSpec, ForesightJobEvents } from './foresight-job';

/**
 * Events the engine sends to a client. Bulk numbers travel as typed arrays
 * (structured clone over MessagePorts, binary frames over WebSocket), never JSON arrays.
 */

/** Any Float32Array (whatever its buffer kind), checked by class. */
const f32 = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array');
const vec3 = z.tuple([z.number(), z.number(), z.number()]);

export const TaskInfoSchema = z.object({
  id: z.string(),
  title: z.string(),
  description: z.string(),
  obsDim: z.number().int(),
  actDim: z.number().int(),
  dt: z.number(),
  maxEpisodeSteps: z.number().int(),
  actionLow: z.array(z.number()),
  actionHigh: z.array(z.number()),
  actionNames: z.array(z.string()),
  angleDims: z.array(z.number().int()),
});

export const SceneSchema = z.object({
  task: z.string(),
  bodies: z.array(z.object({ name: z.string() })),
  geoms: z.array(
    z.object({
      body: z.number().int().min(0),
      kind: z.enum(['plane', 'sphere', 'capsule', 'ellipsoid', 'cylinder', 'box']),
      size: vec3,
      pos: vec3,
      quat: z.tuple([z.number(), z.number(), z.number(), z.number()]),
      rgba: z.tuple([z.number(), z.number(), z.number(), z.number()]),
    }),
  ),
  camera: z.object({ eye: vec3, target: vec3, follow: z.number().int().min(0).optional() }),
});

/** One line of metrics.jsonl (see mbrl/algorithms/metrics.ts for the meaning of each field). */
export const MetricRecord = z.discriminatedUnion('kind', [
  z.object({
    kind: z.literal('episode'),
    episode: z.number().int(),
    return: z.number(),
    steps: z.number().int(),
    policy: z.enum(['random', 'mpc']).optional(),
    env_steps_total: z.number().int().optional(),
    plan_ms_mean: z.number().optional(),
  }),
  z.object({
    kind: z.literal('train'),
    fit: z.number().int(),
    epoch: z.number().int(),
    epochs: z.number().int(),
    train_loss: z.number(),
    val_loss: z.number().nullable(),
    transitions: z.number().int(),
  }),
  z.object({ kind: z.literal('prediction'), fit: z.number().int(), rmse: z.array(z.number()) }),
  z.object({
    kind: z.literal('calibration'),
    fit: z.number().int(),
    nll: z.number().nullable(),
    within_1sigma: z.number().nullable(),
    within_2sigma: z.number().nullable(),
    samples: z.number().int(),
  }),
]);

/** A run folder as listed by `runs/list`. */
export const RunSummary = z.object({
  id: z.string(),
  label: z.string().optional(),
  task: z.string(),
  algorithm: z.string(),
  seed: z.number().int(),
  startedAt: z.string(),
  finishedAt: z.string().optional(),
  /** Episode returns in order (random episodes included, see `policies`). */
  returns: z.array(z.number()),
  policies: z.array(z.string()),
});

/** A dataset's summary (src-main/mbrl/data/formats DatasetSummary) as `dataset/summary` carries it. */
const shape = z.array(z.number().int());
export const DatasetSummarySchema = z.object({
  format: z.string(),
  path: z.string(),
  layout: z.string().optional(),
  episodes: z.array(z.object({ index: z.number().int(), name: z.string(), length: z.number().int() })),
  steps: z.number().int(),
  arrays: z.record(z.string(), z.object({ shape, dtype: z.string() })),
  fields: z.record(z.string(), z.object({ shape, dtype: z.string(), rows: z.enum(['steps', 'steps+1']) })),
  roles: z.object({
    observation: z.array(z.string()).optional(),
    nextObservation: z.array(z.string()).optional(),
    action: z.string().optional(),
    reward: z.string().optional(),
    terminated: z.string().optional(),
    truncated: z.string().optional(),
  }),
  attributes: z.record(z.string(), z.unknown()),
  warnings: z.array(z.string()),
  /** Features stored as video files (LeRobot): fps, codec named by info.json, frame size. */
  videos: z.record(z.string(), z.object({ fps: z.number(), codec: z.string().optional(), height: z.number().optional(), width: z.number().optional() })).optional(),
});

export const EngineEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('engine/info'),
    /** tfjs backend in use: 'tensorflow' (tfjs-node / -gpu), 'wasm' or 'cpu'. */
    backend: z.string(),
    /** Which package provides it and why the faster ones were not used. */
    backendDetail: z.string(),
    /** The package that provides it ('tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'). */
    provider: z.string().optional(),
    /** What computes, e.g. 'wasm (SIMD, 1 thread)' or a GPU adapter's name. */
    device: z.string().optional(),
    /** How it was chosen: forced by the command line, the user's setting, the machine's cached measurement, a new measurement, or the first that loaded. */
    backendSource: z.enum(['override', 'setting', 'cache', 'benchmark', 'preference']).optional(),
    /** The user's stored setting: a provider, or 'auto' for the measured fastest. */
    backendSetting: z.string().optional(),
    /** Every provider with what the engine knows of it: ms per planning forward pass when measured, or why it is unavailable. */
    backendOptions: z.array(z.object({ provider: z.string(), ms: z.number().optional(), note: z.string().optional() })).optional(),
    /** Where the engine runs: 'electron-utility' or 'node-child' or 'in-process'. */
    host: z.string(),
    versions: z.record(z.string(), z.string()),
    pid: z.number().int(),
  }),
  z.object({ type: z.literal('task/list'), tasks: z.array(TaskInfoSchema) }),
  z.object({ type: z.literal('job/started'), jobId: z.string(), kind: z.string() }),
  z.object({
    type: z.literal('job/progress'),
    jobId: z.string(),
    done: z.number(),
    total: z.number(),
    /** Seconds left at the current rate; absent until it can be estimated. */
    etaSeconds: z.number().optional(),
    message: z.string().optional(),
  }),
  z.object({ type: z.literal('job/metric'), jobId: z.string(), record: MetricRecord }),
  z.object({ type: z.literal('job/done'), jobId: z.string() }),
  z.object({ type: z.literal('job/cancelled'), jobId: z.string() }),
  z.object({ type: z.literal('job/error'), jobId: z.string(), message: z.string() }),
  z.object({ type: z.literal('sim/scene'), jobId: z.string(), scene: SceneSchema, info: TaskInfoSchema }),
  z.object({
    type: z.literal('sim/frame'),
    jobId: z.string(),
    episode: z.number().int(),
    seed: z.number().int(),
    step: z.number().int(),
    /** Simulated seconds since reset. */
    time: z.number(),
    reward: z.number(),
    return: z.number(),
    terminated: z.boolean(),
    truncated: z.boolean(),
    paused: z.boolean(),
    /** Action applied in this step: [actDim]. */
    action: f32,
    /** Observation after the step: [obsDim]. */
    obs: f32,
    /** Body poses after the step: [nbody * 7], see POSE_STRIDE. */
    poses: f32,
    /**
     * What an image-based agent sees of this state (the engine's rasterizer, the task's pixel camera):
     * rgb [height · width · 3] uint8, top row first. Only for tasks with an image variant.
     */
    observationImage: z
      .object({ width: z.number().int(), height: z.number().int(), rgb: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array') })
      .optional(),
  }),
  z.object({ type: z.literal('job/run-folder'), jobId: z.string(), runId: z.string(), path: z.string() }),
  /**
   * The model's prediction for a new plan, one trajectory per elite member (1 for a single model):
   * from the real observation at `step`, the predicted observations [members · (H + 1) · obsDim]
   * and, for drawing, the body poses of each [members · (H + 1) · nbody · 7] (empty when the task
   * cannot draw predicted observations).
   */
  z.object({
    type: z.literal('plan/ghost'),
    jobId: z.string(),
    episode: z.number().int(),
    step: z.number().int(),
    horizon: z.number().int(),
    members: z.number().int().min(1),
    predictedObs: f32,
    poses: f32,
  }),
  /**
   * After each fit, the model's uncertainty against the truth: each elite member's predictions on
   * held-out transitions (`heldOutTruth` [n · D], `heldOutPredicted` [members · n · D]) for a
   * predicted-vs-true scatter, and one-step predictions along the newest episode (`trajectoryTruth`,
   * `trajectoryMean`, `trajectoryStd`: [T · D]) for mean ± std bands.
   */
  z.object({
    type: z.literal('model/diagnostics'),
    jobId: z.string(),
    fit: z.number().int(),
    obsDim: z.number().int(),
    members: z.number().int(),
    samples: z.number().int(),
    heldOutTruth: f32,
    heldOutPredicted: f32,
    trajectoryTruth: f32,
    trajectoryMean: f32,
    trajectoryStd: f32,
  }),
  /** CEM/MPPI progress inside one planning call (sent when planning is slow). */
  z.object({ type: z.literal('plan/iteration'), jobId: z.string(), iteration: z.number().int(), iterations: z.number().int(), bestReturn: z.number(), meanReturn: z.number() }),
  z.object({ type: z.literal('runs/list'), runs: z.array(RunSummary), dir: z.string() }),
  /** Presets by id (file name); `errors` names preset files that did not validate. */
  z.object({ type: z.literal('presets/list'), presets: z.array(z.object({ id: z.string(), spec: RunSpec })), errors: z.array(z.string()) }),
  /** Latent-job presets (resources/presets/latent) by id (file name); `errors` names files that did not validate, and the field. */
  z.object({ type: z.literal('presets/latent'), presets: z.array(z.object({ id: z.string(), spec: LatentJobSpec })), errors: z.array(z.string()) }),
  /** Visual-foresight evaluation presets (resources/presets/foresight) by id; `errors` as for `presets/latent`. */
  z.object({ type: z.literal('presets/foresight'), presets: z.array(z.object({ id: z.string(), spec: ForesightEvalSpec })), errors: z.array(z.string()) }),
  z.object({ type: z.literal('runs/metrics'), runId: z.string(), spec: z.record(z.string(), z.unknown()), records: z.array(MetricRecord) }),
  /** A dataset opened by `dataset/open`; `datasetId` names it in later requests. */
  z.object({ type: z.literal('dataset/summary'), datasetId: z.string(), summary: DatasetSummarySchema }),
  /**
   * Fields of one episode (`dataset/episode`), rows from `start`: each as Float32 `data` with
   * `shape` [rows, ...step shape] and the stored `dtype`.
   */
  z.object({
    type: z.literal('dataset/episode'),
    datasetId: z.string(),
    episode: z.number().int(),
    start: z.number().int().optional(),
    fields: z.array(z.object({ name: z.string(), shape, dtype: z.string(), data: f32 })),
  }),
  /** One image of a dataset field at one step: `data` uint8 [height · width · channels], row-major. */
  z.object({
    type: z.literal('dataset/frame'),
    datasetId: z.string(),
    episode: z.number().int(),
    field: z.string(),
    step: z.number().int(),
    height: z.number().int(),
    width: z.number().int(),
    channels: z.number().int(),
    data: z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array'),
  }),
  /**
   * Where to play one episode of a video feature: `url` (granted until the dataset closes), frame k
   * of the episode at `from + k / fps` seconds into the file, `frames` frames, ending at `to`.
   */
  z.object({
    type: z.literal('dataset/video'),
    datasetId: z.string(),
    episode: z.number().int(),
    key: z.string(),
    url: z.string(),
    from: z.number(),
    to: z.number(),
    fps: z.number(),
    frames: z.number().int(),
    codec: z.string().optional(),
  }),
  /** A dataset episode replayed in a built-in task: body poses [steps · nbody · 7] for each step. */
  z.object({
    type: z.literal('dataset/replay'),
    datasetId: z.string(),
    episode: z.number().int(),
    task: z.string(),
    scene: SceneSchema,
    info: TaskInfoSchema,
    steps: z.number().int(),
    poses: f32,
  }),
  /** Bytes of an upload received so far; `path` once the file is complete (it is then opened). */
  z.object({ type: z.literal('dataset/upload-progress'), uploadId: z.string(), received: z.number(), size: z.number(), path: z.string().optional() }),
  /** `dataset/export` finished: the file written and what it holds. */
  z.object({
    type: z.literal('dataset/exported'),
    datasetId: z.string(),
    to: z.string(),
    out: z.string(),
    episodes: z.number().int(),
    steps: z.number().int(),
    obsDim: z.number().int(),
    actDim: z.number().int(),
    skipped: z.array(z.number().int()),
  }),
  /**
   * A dataset-train job's multi-step open-loop prediction of one held-out episode from its first
   * state along the recorded actions: `truth` [(steps + 1) · obsDim], each elite member's
   * trajectory `members` [K · (steps + 1) · obsDim], the ensemble `mean` and predictive `std`
   * [(steps + 1) · obsDim]; `rmse[h − 1]`: open-loop RMSE at horizon h over all starts.
   */
  z.object({
    type: z.literal('dataset/prediction'),
    jobId: z.string(),
    episode: z.number().int(),
    name: z.string(),
    obsDim: z.number().int(),
    steps: z.number().int(),
    memberCount: z.number().int(),
    dimNames: z.array(z.string()),
    truth: f32,
    members: f32,
    mean: f32,
    std: f32,
    rmse: z.array(z.number()),
  }),
  /** A request that could not be understood; the engine carries on. */
  z.object({ type: z.literal('error'), message: z.string() }),
  /** Sent by the host (Electron main or the serve bridge) after it restarted a crashed engine. */
  z.object({ type: z.literal('engine/restarted'), message: z.string() }),
  ...LatentJobEvents,
  ...ForesightJobEvents,
]);

export type TaskInfoMessage = z.infer<typeof TaskInfoSchema>;
export type MetricRecord = z.infer<typeof MetricRecord>;
export type RunSummary = z.infer<typeof RunSummary>;
export type DatasetSummaryMessage = z.infer<typeof DatasetSummarySchema>;
export type EngineEvent = z.infer<typeof EngineEvent>;
export type EngineEventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;
