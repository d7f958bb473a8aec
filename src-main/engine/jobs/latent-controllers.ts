/**
 * The controllers a latent job runs in its control episodes: the learned latent-space planner (from
 * pixels) and the two baselines of issue 6's result tables, built from the same planner settings so
 * that their rows come from the same code:
 * - 'latent': CEM (on the learned reward or toward the goal image's code) or iLQR toward the goal
 *   image's code in E2C's latent space; the agent sees only images.
 * - 'true-state': the same planner on the true state. iLQR toward the task's goal state on a linear
 *   model x′ = A x + B a + c fitted by least squares to the collected true-state transitions (iLQR
 *   needs Jacobians, which MuJoCo's contacts do not give cheaply); CEM on the task's reward with the
 *   true simulator (the perfect-model baseline).
 * - 'random': uniform random actions.
 */
import * as tf from '@tensorflow/tfjs-core';
import { MujocoEnv, pixelView, SimulatorRollout, type ImageEpisode, type PixelEnv } from '../../mbrl/env';
import { E2cModel, type LatentModel } from '../../mbrl/models/latent';
import {
  CemOptimizer,
  LatentIlqrController,
  LatentOffsetEstimator,
  MpcAgent,
  RandomPolicy,
  encodeImage,
  fitLinearDynamics,
  ilqr,
  latentObjectiveAt,
  linearIlqrDynamics,
  rollLatent,
  simulatorObjective,
  type IlqrConfig,
  type LatentOffsetSettings,
  type LinearDynamics,
} from '../../mbrl/planning';

/** Which controller a latent job's control episodes run. */
export type LatentControllerKind = 'latent' | 'true-state' | 'random';

/** The planner settings of a latent job (the spec's `plan`). */
export interface LatentPlanSettings {
  mode: 'reward' | 'goal';
  planner: 'cem' | 'ilqr';
  horizon: number;
  cem?: { population: number; iterations: number; eliteFraction: number; alpha: number };
  ilqr?: { iterations: number; stateCost: number; finalStateCost: number; actionCost: number };
  /** Offset-free MPC for the latent CEM (see {@link LatentOffsetEstimator}); unset: plans trust the model as it is. */
  offsetCorrection?: LatentOffsetSettings;
  seed: number;
}

/** One decision: the action [A], the plan's predicted codes or states z₀…z_H [(H+1)·d] (empty for random), planning time. */
export interface ControlDecision {
  action: Float32Array;
  codes: Float32Array;
  planMs: number;
}

/** One episode's controller: decides from the model's image input [P] in [0, 1] (latent) or the true state (true-state); random uses neither. */
export interface Controller {
  act(input: Float32Array, trueState: Float32Array): Promise<ControlDecision>;
  /** Frees what the controller holds (the true simulator's scratch data). */
  dispose(): void;
}

const free = (act: Controller['act']): Controller => ({ act, dispose: () => {} });

export const DEFAULT_ILQR = { iterations: 10, stateCost: 0.1, finalStateCost: 10, actionCost: 0.01 };
export const DEFAULT_CEM = { population: 200, iterations: 3, eliteFraction: 0.1, alpha: 0.1 };

/** What a controller may use; built once per job. */
export interface ControlContext {
  env: PixelEnv;
  /** The trained model (latent controllers only). */
  model: LatentModel | null;
  /** Collected episodes (the true-state iLQR baseline fits its linear model to their states). */
  episodes: readonly ImageEpisode[];
}

/**
 * Checks that the settings fit the controller, task and (when `withModel`) the trained model, so a job
 * fails before collecting when it can. @throws Error naming the field.
 */
export function checkControl(kind: LatentControllerKind, plan: LatentPlanSettings, env: PixelEnv, model: LatentModel | null, withModel: boolean): void {
  if (plan.planner === 'ilqr' && plan.mode !== 'goal') throw new Error("plan.planner 'ilqr' plans toward a goal: set plan.mode to 'goal'");
  if (plan.mode === 'goal' && !pixelView(env.id).goalState) throw new Error(`plan.mode 'goal': task ${env.id} has no goal image`);
  if (kind === 'latent' && withModel) {
    if (!model) throw new Error("plan.controller 'latent' needs a trained model");
    if (plan.planner === 'ilqr' && !(model instanceof E2cModel)) throw new Error("plan.planner 'ilqr' needs an E2C model (model.kind 'e2c')");
    if (plan.mode === 'reward' && !model.hasReward) throw new Error(`plan.mode 'reward' needs a model with a reward head; a ${model.kind} model has none`);
  }
  if (kind === 'true-state' && plan.planner === 'cem' && !(env.stateEnv instanceof MujocoEnv)) throw new Error(`plan.controller 'true-state': ${env.id}'s state task cannot be simulated from a state`);
}

/**
 * A controller for one episode that starts now (after env.reset). `goalInput`: the goal image as the
 * model's input [P] in [0, 1] (goal mode), `goalState`: the task's goal state (goal mode).
 */
export function createController(kind: LatentControllerKind, plan: LatentPlanSettings, ctx: ControlContext, episode: number, goalInput: Float32Array | null, goalState: Float32Array | null, linear: () => LinearDynamics): Controller {
  const bounds = { low: ctx.env.actionSpace.low, high: ctx.env.actionSpace.high };
  const m = ctx.env.actionSpace.size;
  if (kind === 'random') {
    const policy = new RandomPolicy(ctx.env.actionSpace, plan.seed + episode);
    return free(async () => ({ action: policy.act(), codes: new Float32Array(0), planMs: 0 }));
  }
  if (plan.planner === 'ilqr') {
    const c = plan.ilqr ?? DEFAULT_ILQR;
    const config = (d: number): IlqrConfig => ({
      horizon: plan.horizon,
      stateCost: new Array(d).fill(c.stateCost),
      finalStateCost: new Array(d).fill(c.finalStateCost),
      actionCost: new Array(m).fill(c.actionCost),
      iterations: c.iterations,
      low: bounds.low,
      high: bounds.high,
    });
    if (kind === 'latent') {
      const model = ctx.model as E2cModel;
      const controller = new LatentIlqrController(model, goalInput!, config(model.latentDim));
      return free(async (input) => {
        const r = controller.act(input);
        return { action: r.action, codes: r.codes, planMs: r.planMs };
      });
    }
    const dynamics = linearIlqrDynamics(linear());
    const n = dynamics.stateDim;
    const cfg = config(n);
    let warm = new Float64Array(plan.horizon * m);
    return free(async (_input, state) => {
      const started = performance.now();
      const r = ilqr(dynamics, state, goalState!, warm, cfg);
      // Warm start: the rest of this plan, then zeros.
      warm = new Float64Array(plan.horizon * m);
      warm.set(r.actions.subarray(m));
      return { action: Float32Array.from(r.actions.subarray(0, m)), codes: Float32Array.from(r.states), planMs: performance.now() - started };
    });
  }
  const optimizer = new CemOptimizer({ horizon: plan.horizon, ...(plan.cem ?? DEFAULT_CEM), seed: plan.seed + episode }, bounds);
  if (kind === 'latent') {
    const model = ctx.model!;
    const offsets = plan.offsetCorrection ? new LatentOffsetEstimator(model, plan.offsetCorrection) : undefined;
    const agent = new MpcAgent(latentObjectiveAt(model, goalInput ? { code: encodeImage(model, goalInput) } : undefined, offsets), optimizer, bounds, 1);
    return free(async (input) => {
      const d = await agent.act(input);
      // The estimator learns from the planned action: the action the env executes (a caller adding exploration noise would blur it).
      offsets?.executed(d.action);
      return { action: d.action, codes: predictedCodes(model, input, d.plan, offsets?.applied ?? null), planMs: d.planMs };
    });
  }
  // The true simulator from the env's live state (its copy of MuJoCo's data), scored by the task's reward.
  const simulator = new SimulatorRollout(ctx.env.stateEnv as MujocoEnv);
  const agent = new MpcAgent(() => simulatorObjective(simulator), optimizer, bounds, 1);
  return {
    act: async (_input, state) => {
      const d = await agent.act(state);
      return { action: d.action, codes: new Float32Array(0), planMs: d.planMs };
    },
    dispose: () => simulator.dispose(),
  };
}

/**
 * The linear model of the true-state iLQR baseline: least squares on every collected transition
 * (s_t, a_t) → s_{t+1} of the true states.
 */
export function fitTrueStateModel(episodes: readonly ImageEpisode[], stateDim: number, actDim: number): LinearDynamics {
  const T = episodes.reduce((s, e) => s + e.actions.length / actDim, 0);
  const x = new Float32Array(T * stateDim);
  const u = new Float32Array(T * actDim);
  const next = new Float32Array(T * stateDim);
  let row = 0;
  for (const e of episodes) {
    const steps = e.actions.length / actDim;
    x.set(e.states.subarray(0, steps * stateDim), row * stateDim);
    next.set(e.states.subarray(stateDim, (steps + 1) * stateDim), row * stateDim);
    u.set(e.actions, row * actDim);
    row += steps;
  }
  return fitLinearDynamics(x, u, next, stateDim, actDim);
}

/** The plan's predicted codes z₀…z_H from the current image: [(H+1)·dz] (for drawing the latent path); `offset` [dz]: the plan's offset per step. */
export function predictedCodes(model: LatentModel, input: Float32Array, plan: Float32Array, offset: Float32Array | null = null): Float32Array {
  const z0 = encodeImage(model, input);
  const m = model.actDim;
  const H = plan.length / m;
  const out = new Float32Array((H + 1) * z0.length);
  out.set(z0);
  // The candidates' own rollout, for the one candidate executed.
  const zs = tf.tidy(() => tf.concat(rollLatent(model, z0, tf.tensor3d(plan, [1, H, m]), offset), 0));
  out.set(zs.dataSync() as Float32Array, z0.length);
  zs.dispose();
  return out;
}
