import { z } from 'zod';
import { RunSpec } from './run-spec';

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

export const JobSpec = z.discriminatedUnion('kind', [SimJobSpec, ExperimentJobSpec]);

export const Request = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('engine/info') }),
  z.strictObject({ type: z.literal('task/list') }),
  z.strictObject({ type: z.literal('job/start'), jobId, spec: JobSpec }),
  z.strictObject({ type: z.literal('job/cancel'), jobId }),
  /** List the experiment presets shipped in resources/presets. */
  z.strictObject({ type: z.literal('presets/list') }),
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
]);

export type SimJobSpec = z.infer<typeof SimJobSpec>;
export type ExperimentJobSpec = z.infer<typeof ExperimentJobSpec>;
export type JobSpec = z.infer<typeof JobSpec>;
/** A request as written by a sender (defaults may be left out). */
export type RequestInput = z.input<typeof Request>;
/** A validated request with defaults filled in. */
export type Request = z.infer<typeof Request>;
