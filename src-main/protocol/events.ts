import { z } from 'zod';

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
  camera: z.object({ eye: vec3, target: vec3 }),
});

/** One line of metrics.jsonl. Later issues add kinds. */
export const MetricRecord = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('episode'), episode: z.number().int(), return: z.number(), steps: z.number().int() }),
]);

export const EngineEvent = z.discriminatedUnion('type', [
  z.object({
    type: z.literal('engine/info'),
    /** tfjs backend in use: 'tensorflow' (tfjs-node / -gpu), 'wasm' or 'cpu'. */
    backend: z.string(),
    /** Which package provides it and why the faster ones were not used. */
    backendDetail: z.string(),
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
  }),
  /** A request that could not be understood; the engine carries on. */
  z.object({ type: z.literal('error'), message: z.string() }),
  /** Sent by the host (Electron main or the serve bridge) after it restarted a crashed engine. */
  z.object({ type: z.literal('engine/restarted'), message: z.string() }),
]);

export type TaskInfoMessage = z.infer<typeof TaskInfoSchema>;
export type MetricRecord = z.infer<typeof MetricRecord>;
export type EngineEvent = z.infer<typeof EngineEvent>;
export type EngineEventOf<T extends EngineEvent['type']> = Extract<EngineEvent, { type: T }>;
