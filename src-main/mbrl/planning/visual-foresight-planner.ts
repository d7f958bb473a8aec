import { pointPixelMaps, readRollout, type Pixel, type VideoPredictionModel } from '../models/video';
import { CemOptimizer } from './cem-optimizer';
import { MpcAgent, type MpcDecision } from './mpc-agent';
import { HeldActionOptimizer } from './held-action-optimizer';
import type { ActionBounds, IterationReport, Objective, Optimizer } from './optimizer';
import { FrameRegistrationTracker } from './frame-registration-tracker';
import { goalDistanceMaps } from './pixel-distance-cost';
import { visualForesightObjective, type ForesightGoal } from './visual-foresight-objective';

/** Sizes of visual-foresight planning (the papers: 200 samples, 3 CEM iterations). */
export interface VisualForesightSettings {
  horizon: number;
  population: number;
  iterations: number;
  eliteFraction: number;
  /** CEM smoothing of mean and variance between iterations. */
  alpha: number;
  /** Execute this many actions of each plan before replanning (1 = full MPC). */
  replanEvery: number;
  /** Candidates rolled through the model at once (memory: chunk × horizon frames). */
  chunk: number;
  /** Each planned action is held this many steps (horizon a multiple of it); 1 = a new action every step. See {@link HeldActionOptimizer}. */
  hold?: number;
  /** CEM's initial standard deviation as a fraction of the action range (0.25: range/4). */
  initialStdFraction?: number;
  /** The last predicted step counts this many times in the cost (1, the default: the papers' plain sum over steps). */
  terminalWeight?: number;
  /** Weight of the control cost Σ_t ‖a_t‖² added to the pixel cost, model-frame px per squared action unit and step (0, the default: none). */
  actionCost?: number;
  /** iCEM's colored noise exponent for CEM's samples along the plan (0, the default: white). See {@link CemConfig.noiseBeta}. */
  noiseBeta?: number;
  /** iCEM's elites kept across iterations, the previous plan's rest among the first (0, the default: none). See {@link CemConfig.keepElites}. */
  keepElites?: number;
  /** Execute the best scored candidate rather than the last elites' mean (default false). */
  returnBest?: boolean;
  /**
   * Plan with what the robot knows of itself: its actuators' position and limits, so that a candidate
   * commanding a joint into its limit is scored as the motion that really happens (default false). The
   * caller gives the planner a {@link HeldCandidateRepair} for its robot; without one this is refused.
   */
  actuatorLimits?: boolean;
  seed: number;
}

/**
 * A robot's {@link CandidateRepair} for plans of held actions: samples [N, K, A] of K actions, each held
 * `hold` steps, made what the robot will do from where it is now, in place.
 */
export type HeldCandidateRepair = (samples: Float32Array, N: number, K: number, A: number, hold: number) => void;

export const DEFAULT_FORESIGHT: VisualForesightSettings = { horizon: 10, population: 200, iterations: 3, eliteFraction: 0.1, alpha: 0, replanEvery: 1, chunk: 50, hold: 1, initialStdFraction: 0.25, seed: 0 };

/**
 * CEM over held actions (hold > 1) or per-step actions, as the settings say; with `actuatorLimits`,
 * `repair` makes every candidate what the robot will do (required then).
 */
export function foresightOptimizer(
  settings: Pick<VisualForesightSettings, 'horizon' | 'population' | 'iterations' | 'eliteFraction' | 'alpha' | 'hold' | 'initialStdFraction' | 'noiseBeta' | 'keepElites' | 'returnBest' | 'actuatorLimits' | 'seed'>,
  bounds: ActionBounds,
  repair?: HeldCandidateRepair,
): Optimizer {
  const { horizon, population, iterations, eliteFraction, alpha, seed, initialStdFraction, noiseBeta, keepElites, returnBest } = settings;
  const hold = settings.hold ?? 1;
  if (!Number.isInteger(hold) || hold < 1 || horizon % hold !== 0) throw new Error(`visual foresight: horizon ${horizon} must be a multiple of hold ${hold}`);
  if (settings.actuatorLimits && !repair) throw new Error('visual foresight: actuatorLimits needs the robot’s own position and limits, which this planner was not given (a recorded dataset has none)');
  const limits = settings.actuatorLimits ? (samples: Float32Array, N: number, K: number, A: number) => repair!(samples, N, K, A, hold) : undefined;
  const cem = new CemOptimizer({ horizon: horizon / hold, population, iterations, eliteFraction, alpha, initialStdFraction, noiseBeta, keepElites, returnBest, repair: limits, seed }, bounds);
  return hold === 1 ? cem : new HeldActionOptimizer(horizon, hold, bounds, cem);
}

/** What the user asked for: designated pixels and their goals, or a goal image. */
export type ForesightTarget = { kind: 'pixels'; designated: Pixel[]; goals: Pixel[] } | { kind: 'image'; image: Float32Array };

/**
 * Where the designated pixels are believed to be between plans: carried by the model's predicted
 * motion (the papers' open-loop update), or found in each real frame by registering it against the
 * first ({@link FrameRegistrationTracker}).
 */
export type PixelTracking = 'model' | 'registration';

/** The predicted future of a plan, for display. */
export interface PlanPreview {
  /** Predicted frames [H, S, S, C] in [0, 1]. */
  frames: Float32Array;
  /** Each designated pixel's distribution at each step: [H, S, S, D]; empty for a goal image. */
  maps: Float32Array;
}

/**
 * Visual-foresight MPC (Finn & Levine 2017; Ebert et al. 2017): CEM over action sequences scored
 * through the video model, replanned every `replanEvery` steps. Between plans the designated pixels'
 * distributions are carried forward by the model's motion under the executed action and the real
 * frames, or (tracking 'registration') put at the points found in the real frame, so the next plan
 * starts from where the pixel has gone.
 */
export class VisualForesightPlanner {
  private readonly agent: MpcAgent;
  private readonly distances: Float32Array | null;
  private frames: Float32Array[] = [];
  private actions: Float32Array[] = [];
  private maps: Float32Array | null = null;
  private tracker: FrameRegistrationTracker | null = null;

  /** `repair`: the robot's own limits, used when `settings.actuatorLimits` (see {@link foresightOptimizer}). */
  constructor(
    private readonly model: VideoPredictionModel,
    private readonly target: ForesightTarget,
    readonly settings: VisualForesightSettings,
    bounds: ActionBounds,
    readonly tracking: PixelTracking = 'model',
    repair?: HeldCandidateRepair,
  ) {
    const S = model.config.imageSize;
    if (target.kind === 'pixels') {
      if (target.designated.length === 0 || target.designated.length !== target.goals.length) throw new Error(`visual foresight: need one goal per designated pixel (got ${target.designated.length} designated, ${target.goals.length} goals)`);
      this.distances = goalDistanceMaps(target.goals, S);
    } else {
      if (target.image.length !== S * S * model.config.channels) throw new Error(`visual foresight: goal image has ${target.image.length} values, expected ${S}×${S}×${model.config.channels}`);
      this.distances = null;
    }
    const optimizer = foresightOptimizer(settings, bounds, repair);
    this.agent = new MpcAgent(() => this.objective(), optimizer, bounds, settings.replanEvery);
  }

  /**
   * The cost the next plan is scored by: action sequences [N, H, A] → −cost [N] from the current
   * context and pixel distributions (what the planner's CEM calls; the ranking diagnostic scores its own
   * candidates with it). Call after reset().
   */
  objective(): Objective {
    if (!this.frames.length) throw new Error('visual foresight: call reset(frame) before objective()');
    return visualForesightObjective(this.model, this.context(), this.goal(), this.settings.chunk, this.settings.terminalWeight ?? 1, this.settings.actionCost ?? 0);
  }

  /** Starts an episode at `frame` ([S, S, C] in [0, 1]); earlier context is the same frame, still. */
  reset(frame: Float32Array): void {
    const c = this.model.config;
    this.frames = Array.from({ length: c.context }, () => frame.slice());
    this.actions = Array.from({ length: c.context - 1 }, () => new Float32Array(c.actDim));
    this.maps = this.target.kind === 'pixels' ? pointPixelMaps(this.target.designated, c.imageSize) : null;
    this.tracker = this.target.kind === 'pixels' && this.tracking === 'registration' ? new FrameRegistrationTracker(frame, this.target.designated, c.imageSize, c.channels) : null;
    this.agent.reset();
  }

  /** Plans (or continues the plan) and returns the action to execute now. */
  async act(onIteration?: (r: IterationReport) => void): Promise<MpcDecision> {
    if (!this.frames.length) throw new Error('visual foresight: call reset(frame) before act()');
    return this.agent.act(this.frames[this.frames.length - 1], onIteration);
  }

  /**
   * Records the executed action and the real frame it led to, and moves the pixel distributions by
   * the model's predicted motion (the papers' open-loop update), or to the points the registration
   * tracker finds in `frame`. `tracked` replaces both with known positions of the designated points
   * (the simulator, or the user re-clicking): the predicted-motion update lags when the model
   * under-predicts motion, and errors accumulate. Async: the predicted motion is read back with
   * `await data()` (WebGPU in Node has no synchronous read).
   */
  async observe(action: Float32Array, frame: Float32Array, tracked?: readonly Pixel[]): Promise<void> {
    const S = this.model.config.imageSize;
    // The tracker sees every frame, even when positions are given, so that it keeps up with the object.
    const registered = this.tracker?.track(frame);
    const known = tracked ?? registered;
    if (known) {
      if (!this.maps) throw new Error('visual foresight: tracked pixels given for a goal-image target');
      if (known.length !== this.maps.length / (S * S)) throw new Error(`visual foresight: ${known.length} tracked pixels for ${this.maps.length / (S * S)} designated`);
      const clamp = (v: number) => Math.min(S - 1, Math.max(0, v));
      this.maps = pointPixelMaps(known.map((p) => ({ x: clamp(p.x), y: clamp(p.y) })), S);
    } else if (this.maps) {
      // One step of predicted motion under the executed action: [1, S, S, D] is P_{t+1}.
      this.maps = (await this.predict(Float32Array.from(action))).maps;
    }
    this.frames = [...this.frames.slice(1), frame.slice()];
    // The context keeps the last `context` frames and the context − 1 actions between them.
    this.actions = this.model.config.context > 1 ? [...this.actions.slice(1), Float32Array.from(action)] : [];
  }

  /** The designated pixels' current distributions: [S, S, D]; null for a goal image. */
  get pixelMaps(): Float32Array | null {
    return this.maps;
  }

  /** The model's prediction of a plan ([H · A]) from the current context, for display. */
  preview(plan: Float32Array): Promise<PlanPreview> {
    return this.predict(plan);
  }

  private predict(plan: Float32Array): Promise<PlanPreview> {
    return readRollout(this.model, this.context(), plan, this.maps);
  }

  private context() {
    const F = this.frames[0].length;
    const frames = new Float32Array(this.frames.length * F);
    this.frames.forEach((f, i) => frames.set(f, i * F));
    const A = this.model.config.actDim;
    const actions = new Float32Array(this.actions.length * A);
    this.actions.forEach((a, i) => actions.set(a, i * A));
    return { frames, actions };
  }

  private goal(): ForesightGoal {
    if (this.target.kind === 'image') return { kind: 'image', image: this.target.image };
    return { kind: 'pixels', maps: this.maps!, distances: this.distances! };
  }
}
