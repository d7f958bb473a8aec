import { z } from 'zod';
import { DatasetFrameRef, ImageDatasetSource, RecordedPrediction } from './image-dataset-source';

/**
 * The visual-foresight job (issue 7): its wire form. The engine's ForesightJob runs it
 * (src-main/engine/jobs/foresight-job.ts). One job kind, three uses the "Visual foresight" view
 * chains so the user designates pixels on the real start frame *before* planning:
 * - `train`: collect random pushes and train the video model into a new run folder (announced by
 *   `job/run-folder`);
 * - `from` + `plan`: load that run's checkpoint and run MPC toward the designated/goal pixels;
 * - neither: only the start frame.
 * Every job first sends `foresight/frame`, the planning episode's start frame for `episodeSeed`.
 */

const seed = z.number().int().min(0).max(2 ** 31 - 1);
const count = (max: number) => z.number().int().min(1).max(max);
/** A pixel of the S×S frame: column x, row y (top row 0). */
const pixel = z.strictObject({ x: z.number().int().min(0).max(1023), y: z.number().int().min(0).max(1023) });

/** The video model's context frames when the spec leaves them out (DEFAULT_VIDEO_MODEL.context; the protocol does not import the engine's modules, a test keeps the two equal). */
export const DEFAULT_VIDEO_CONTEXT = 2;

/**
 * The longest `train.mpcRounds.fitHorizon` whose windows (`context` frames + the predicted ones) fit in a
 * collected episode of `collectSteps` actions (collectSteps + 1 frames). The spec refuses longer ones; the
 * Visual foresight view shortens a preset's to it when the user shortens the episodes.
 */
export function longestRoundFitHorizon(collectSteps: number, context = DEFAULT_VIDEO_CONTEXT): number {
  return collectSteps + 1 - context;
}

/**
 * The visual-foresight planner's settings, shared by an evaluation's planner, the MPC rounds' planner
 * and a `foresight` job's `plan` (VisualForesightSettings in src-main/mbrl/planning).
 */
const foresightPlannerFields = {
  horizon: count(100),
  population: z.number().int().min(2).max(10_000),
  iterations: count(50),
  eliteFraction: z.number().gt(0).max(1).optional(),
  /** Each planned action is held this many steps (horizon a multiple of it). */
  hold: count(100).optional(),
  /** CEM's initial std as a share of the action range. */
  initialStdFraction: z.number().positive().max(10).optional(),
  /** The last predicted step counts this many times in the cost (default 1: the plain sum over steps). */
  terminalWeight: z.number().min(1).max(1000).optional(),
  /** Weight of a control cost Σ_t ‖a_t‖² added to the pixel cost (default 0: none). */
  actionCost: z.number().min(0).max(1000).optional(),
  /** iCEM's colored noise exponent β along the plan (default 0: white noise). */
  noiseBeta: z.number().min(0).max(10).optional(),
  /** iCEM's elites kept into the next iteration, the previous plan's rest first (default 0). */
  keepElites: z.number().int().min(0).max(10_000).optional(),
  /** Execute the best candidate instead of the elites' mean (default false). */
  returnBest: z.boolean().optional(),
  /** Plan knowing the pusher's own position and its slides' limits (proprioception; default false). */
  actuatorLimits: z.boolean().optional(),
  /** Actions executed per plan. */
  replanEvery: count(100).optional(),
  chunk: count(10_000).optional(),
};

/** Refuses a planner whose horizon does not hold whole held actions, naming `horizon`. */
function horizonHoldsWholeActions(p: { horizon: number; hold?: number }, ctx: z.RefinementCtx): void {
  if (p.horizon % (p.hold ?? 1) !== 0) ctx.addIssue({ code: 'custom', path: ['horizon'], message: `must be a multiple of hold (${p.hold})` });
}

/** CEM sizes of the visual-foresight planner (an evaluation's, and the planner of MPC rounds); the horizon holds whole held actions. */
const ForesightPlanning = z
  .strictObject({
    ...foresightPlannerFields,
    seed,
  })
  .superRefine(horizonHoldsWholeActions);

/**
 * MPC rounds after the first fit (engine/jobs/foresight-rounds.ts): each round runs `episodes` planner
 * episodes of `steps` actions toward random pushing goals (plus Gaussian action noise of std `noise`),
 * then fits `fitSteps` more on all episodes, each planner episode drawn `weight` times as often as a
 * random one (default 1), on windows of `fitHorizon` predicted frames (default the first fit's horizon).
 * `planning`: the rounds' CEM (default the evaluation's or the plan's).
 */
const ForesightMpcRounds = z.strictObject({
  rounds: count(100),
  episodes: count(1000),
  steps: count(150),
  fitSteps: count(1_000_000),
  noise: z.number().min(0).max(10),
  weight: count(1000).optional(),
  fitHorizon: count(100).optional(),
  planning: ForesightPlanning.optional(),
});

export const ForesightJobSpec = z
  .strictObject({
    kind: z.literal('foresight'),
    /** An image task; 'planar-push-pixels' is the pushing task. */
    task: z.string().min(1).max(64),
    /** Frame size S (S×S, a multiple of 8); default the task's. */
    imageSize: z.number().int().min(8).max(256).multipleOf(8).optional(),
    /** Seed of the planning episode's start (its first frame is what the user designates on). */
    episodeSeed: seed,
    /** Collect random pushes and train a video model into a new run folder. */
    train: z
      .strictObject({
        /** Random pushes in the task; left out when `data` gives the episodes. */
        collect: z
          .strictObject({
            episodes: count(10_000),
            steps: count(10_000),
            actionRepeat: count(100),
            seed,
            /** The share of held actions that follow the task's scripted exploration (the pusher heading for the block). */
            aimProbability: z.number().min(0).max(1).optional(),
            /** The share of episodes whose scripted actions go around the block and push it toward the episode's hidden goal instead. */
            goalPushEpisodes: z.number().min(0).max(1).optional(),
          })
          .refine((c) => !c.goalPushEpisodes || (c.aimProbability ?? 0) > 0, { message: 'the goal pushes replace the aimed actions, so aimProbability must be above 0', path: ['goalPushEpisodes'] })
          .optional(),
        model: z
          .strictObject({
            widths: z.tuple([count(512), count(512), count(512)]).optional(),
            /** Encoder stages followed by a 2×2 pool (default 3): the recurrent bottleneck is S/2^pools; imageSize must be a multiple of 2^pools. */
            pools: z.number().int().min(1).max(3).optional(),
            kernels: count(32).optional(),
            kernelSize: z.number().int().min(1).max(15).optional(),
            /** 'softmax' (CDNA's free kernels, the default) or 'shift' (each kernel a sub-pixel translation). */
            kernelKind: z.enum(['softmax', 'shift']).optional(),
            /** Temporal skip translations of the last context frame (default 0); keeps small objects sharp over long horizons. */
            skips: z.number().int().min(0).max(4).optional(),
            context: count(8).optional(),
          })
          .optional(),
        fit: z
          .strictObject({
            steps: count(1_000_000).optional(),
            batchSize: count(1024).optional(),
            learningRate: z.number().positive().max(1).optional(),
            horizon: count(100).optional(),
            samplingRampSteps: z.number().int().min(0).max(1_000_000).optional(),
            motionWeight: z.number().min(0).max(1000).optional(),
            /** Auxiliary loss that makes the temporal skips' shifts follow the moving pixels (models with skips; 0 = off). */
            skipAlignWeight: z.number().min(0).max(1000).optional(),
            /** Weight of the tracking term: the object's pixel, moved by the predicted motion as the planner moves a designated pixel, should follow the object (simulator tasks only; 0 = off). */
            trackWeight: z.number().min(0).max(1000).optional(),
            /**
             * Threads sharing each training step (data-parallel, the engine's own included): 'auto' = one
             * per CPU core (at most 8, at most batchSize); 1 = the engine's thread alone. Used with the
             * single-threaded backends (wasm, cpu), like a run's trainingWorkers.
             */
            workers: z.union([z.number().int().min(1).max(64), z.literal('auto')]).optional(),
            reportEvery: count(100_000).optional(),
          })
          .optional(),
        /** MPC rounds after the first fit: the planner's own episodes join the data (pushing task only). */
        mpcRounds: ForesightMpcRounds.optional(),
      })
      .refine((t) => !t.collect || !t.mpcRounds?.fitHorizon || t.mpcRounds.fitHorizon <= longestRoundFitHorizon(t.collect.steps, t.model?.context), {
        message: 'the context frames plus fitHorizon must fit in a collected episode (collect.steps + 1 frames), or the random pushes drop out of the rounds’ fits',
        path: ['mpcRounds', 'fitHorizon'],
      })
      .optional(),
    /**
     * A recorded image dataset instead of the task's simulator: `train` reads its episodes, the start
     * frame is `start`'s, `predict` rolls the model under the recorded actions, and `plan` makes one
     * CEM plan from that frame without executing it (there is no simulator); `task` is only a label.
     */
    data: ImageDatasetSource.optional(),
    /** With `data`: the dataset frame to designate on and to predict/plan from (default episode 0, step 0). */
    start: DatasetFrameRef.optional(),
    /** With `data` and a model: the predicted frames under the actions recorded after `start`. */
    predict: RecordedPrediction.optional(),
    /** A run folder (by id, as `job/run-folder` named it) whose trained model plans. */
    from: z.string().regex(/^[A-Za-z0-9_-][A-Za-z0-9._-]{0,199}$/).optional(),
    /** MPC toward the target after training (or with the model of `from`). */
    plan: z
      .strictObject({
        /** Designated pixels and one goal pixel each (in the same order), or the task's goal image. */
        target: z.discriminatedUnion('kind', [
          z.strictObject({ kind: z.literal('pixels'), designated: z.array(pixel).min(1).max(8), goals: z.array(pixel).min(1).max(8) }),
          z.strictObject({ kind: z.literal('image') }),
        ]),
        ...foresightPlannerFields,
        /** Actions executed in the planning episode. */
        steps: count(10_000),
        /** Between plans the designated pixels move by the model's predicted motion (the papers), are found in each real frame by registration against the first, or follow the simulated object. */
        tracking: z.enum(['model', 'registration', 'simulator']),
        seed,
      })
      .superRefine(horizonHoldsWholeActions)
      .optional(),
  })
  .refine((s) => !(s.train && s.from), { message: 'give either train or from, not both', path: ['from'] })
  .refine((s) => !s.plan || s.train || s.from, { message: 'plan needs a model: train one or name a run in from', path: ['plan'] })
  .refine((s) => !s.train || !s.train.collect !== !s.data, { message: 'train needs either collect (random pushes in the task) or data (a recorded dataset)', path: ['train', 'collect'] })
  .refine((s) => !s.train?.mpcRounds || (s.task === 'planar-push-pixels' && !s.data), { message: 'MPC rounds push the block of planar-push-pixels in its simulator (not a recorded dataset)', path: ['train', 'mpcRounds'] })
  .refine((s) => (!s.start && !s.predict) || s.data, { message: 'start and predict need data (a recorded dataset)', path: ['data'] })
  .refine((s) => !s.predict || s.train || s.from, { message: 'predict needs a model: train one or name a run in from', path: ['predict'] })
  .refine((s) => !s.data || s.plan?.tracking !== 'simulator', { message: "a recorded dataset has no simulator: tracking must be 'model' or 'registration'", path: ['plan', 'tracking'] })
  .refine((s) => !s.data || !s.plan?.actuatorLimits, { message: "a recorded dataset has no robot to know the limits of: leave actuatorLimits out", path: ['plan', 'actuatorLimits'] })
  .refine((s) => !s.plan?.actuatorLimits || s.task === 'planar-push-pixels', { message: "the planner knows the limits of planar-push-pixels' pusher only", path: ['plan', 'actuatorLimits'] })
  .refine((s) => s.plan?.target.kind !== 'pixels' || s.plan.target.designated.length === s.plan.target.goals.length, {
    message: 'one goal pixel per designated pixel',
    path: ['plan', 'target', 'goals'],
  });

const f32 = z.custom<Float32Array>((v) => v instanceof Float32Array, 'expected a Float32Array');
const u8 = z.custom<Uint8Array>((v) => v instanceof Uint8Array, 'expected a Uint8Array');

/** What a foresight job streams (typed arrays travel as transferred buffers). */
export const ForesightJobEvents = [
  z.object({ type: z.literal('foresight/phase'), jobId: z.string(), phase: z.enum(['collect', 'train', 'plan', 'done']), message: z.string() }),
  /** The planning episode's start frame, RGB bytes [S · S · 3], top row first. */
  z.object({ type: z.literal('foresight/frame'), jobId: z.string(), task: z.string(), seed: z.number().int(), size: z.number().int(), frame: u8 }),
  /** A training report: mean loss since the last one, open-loop validation loss (null without validation). */
  z.object({
    type: z.literal('foresight/train'),
    jobId: z.string(),
    step: z.number().int(),
    steps: z.number().int(),
    trainLoss: z.number(),
    valLoss: z.number().nullable(),
    truthProbability: z.number(),
    sequencesPerSecond: z.number(),
  }),
  /** A new plan at `step`: the best plan's predicted frames [H · S · S · 3] and each designated pixel's map [H · S · S · D]. */
  z.object({
    type: z.literal('foresight/plan'),
    jobId: z.string(),
    step: z.number().int(),
    size: z.number().int(),
    horizon: z.number().int(),
    designated: z.number().int(),
    predictedFrames: u8,
    pixelMaps: f32,
    /** The plan's actions [H · A]. */
    plan: f32,
    planMs: z.number(),
  }),
  /** The real frame after the action of `step` [S · S · 3] and each designated point's distance to its goal, px [D]. */
  z.object({ type: z.literal('foresight/executed'), jobId: z.string(), step: z.number().int(), frame: u8, distances: f32 }),
] as const;

export type ForesightJobSpec = z.infer<typeof ForesightJobSpec>;

/**
 * A visual-foresight evaluation (issue 7's results; `mbrl-lab foresight SPEC.json`, presets in
 * resources/presets/foresight/): collect random pushes and train as a foresight job's `train`, score
 * prediction quality on held-out episodes, then run N random pushing tasks (the block's centre
 * designated, a goal pixel minDistance–maxDistance px away on the evalSize frame) with the learned
 * model and, when asked, the random-action and true-simulator baselines.
 */
export const ForesightEvalSpec = z.strictObject({
  kind: z.literal('foresight-eval'),
  /** The pushing task (the only task whose designated point the simulator can follow). */
  task: z.literal('planar-push-pixels'),
  /** Frame size S of the model (S×S, a multiple of 8); default the task's 64. */
  imageSize: z.number().int().min(8).max(256).multipleOf(8).optional(),
  train: ForesightJobSpec.shape.train.unwrap(),
  /** CEM sizes of the planner (and of the true-simulator baseline). */
  planning: ForesightPlanning,
  evaluate: z.strictObject({
    /** Number of random pushing tasks; episode i starts from reset(seed + i). */
    tasks: count(10_000),
    seed,
    /** Goal distance from the designated pixel, px of the evalSize frame. */
    minDistance: z.number().min(0).max(1024),
    maxDistance: z.number().min(0).max(1024),
    /** Actions per task episode (at most the task's 150). */
    steps: count(150),
    /** Success: the designated point ends within this many px of its goal. */
    successRadius: z.number().positive().max(1024),
    /** The frame distances are measured on (issue 7: 64). */
    evalSize: z.number().int().min(8).max(1024).optional(),
    /** Between plans the designated pixel follows the model's predicted motion (the papers), the point registered in each real frame, or the simulated block. */
    tracking: z.enum(['model', 'registration', 'simulator']),
    /** Baselines run beside the learned model on the same tasks. */
    baselines: z.array(z.enum(['random', 'simulator'])).max(2).optional(),
    /** Held-out episodes (collected with seed collect.seed + 1 000 000) for per-step prediction quality. */
    heldOutEpisodes: count(1000),
    /** Random plans ranked by the model and by the simulator at each task's start (engine/jobs/foresight-ranking.ts); absent: none. */
    rankCandidates: z.number().int().min(2).max(100_000).optional(),
  }),
});

export type ForesightEvalSpec = z.infer<typeof ForesightEvalSpec>;
