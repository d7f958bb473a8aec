import { z } from 'zod';
import { RunSpec } from './run-spec';

/**
 * Requests a client (renderer, CLI, test) sends to the engine.
 * Every request is validated with {@link parseRequest} before the engine acts on it.
 */

const jobId = z.string().min(1).max(64);
const taskId = z.string().min(1).max(64);
const seed = z.number().int().min(0).max(2 ** 31 - 1);

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
]);

export type SimJobSpec = z.infer<typeof SimJobSpec>;
export type ExperimentJobSpec = z.infer<typeof ExperimentJobSpec>;
export type JobSpec = z.infer<typeof JobSpec>;
/** A request as written by a sender (defaults may be left out). */
export type RequestInput = z.input<typeof Request>;
/** A validated request with defaults filled in. */
export type Request = z.infer<typeof Request>;
