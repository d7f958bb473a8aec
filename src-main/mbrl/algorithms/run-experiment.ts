import { TransitionBuffer } from '../data';
import type { Env } from '../env/env';
import { EnsembleDynamicsModel } from '../models/ensemble-dynamics-model';
import type { MemberTrainingCompute } from '../models/member-training';
import { multiStepError } from '../models/multi-step-error';
import { calibrationReport, heldOutPredictions, oneStepBands, type HeldOutPredictions } from '../models/calibration';
import { createOptimizer } from '../planning/create-optimizer';
import { type BatchedTaskFunctions, predictMemberTrajectories } from '../planning/model-rollout';
import { Rng } from '../util';
import { MpcAgent } from '../planning/mpc-agent';
import type { IterationReport } from '../planning/optimizer';
import { RandomPolicy } from '../planning/random-policy';
import { serialPlanning, type PlanningCompute } from '../planning/planning-compute';
import type { ExperimentConfig } from './experiment-config';
import type { EpisodeMetric, ExperimentMetric } from './metrics';

/** The task as an experiment needs it: a real env and the batched functions for planning. */
export interface ExperimentTask {
  env: Env;
  functions: BatchedTaskFunctions;
  /** Observation dims that are angles (fed to the model as sin/cos). */
  angleDims: number[];
}

/** One executed real step, for live views. */
export interface StepEvent {
  episode: number;
  step: number;
  obs: Float32Array;
  action: Float32Array;
  reward: number;
  return: number;
  terminated: boolean;
  truncated: boolean;
}

/** One finished episode's data, row-major. */
export interface EpisodeTrajectory {
  episode: number;
  policy: 'random' | 'mpc';
  /** s_0 … s_T: [(T + 1) · D]. */
  obs: Float32Array;
  /** [T · A]. */
  act: Float32Array;
  /** [T]. */
  reward: Float32Array;
  /** 1 where s_{t+1} is terminal: [T]. */
  terminated: Uint8Array;
}

/** Hooks an experiment calls as it goes; all optional. */
export interface ExperimentHooks {
  onMetric?(record: ExperimentMetric): void | Promise<void>;
  /** Called at each episode start with its seed, before the first step. */
  onEpisodeStart?(episode: number, policy: 'random' | 'mpc', obs: Float32Array): void;
  onStep?(event: StepEvent): void;
  /** After each episode: its whole trajectory (for saving the run's data). */
  onEpisodeEnd?(episode: EpisodeTrajectory): void | Promise<void>;
  /**
   * After each replan. `predict()` computes, on demand (a viewer throttling its updates need not pay
   * for every plan), each elite member's predicted observations for the plan: `values`
   * [members · (H + 1) · D].
   */
  onPlan?(episode: number, step: number, predict: () => Promise<{ members: number; values: Float32Array }>): void | Promise<void>;
  onPlanIteration?(report: IterationReport): void;
  /** After each fit: the model's view of its data, for uncertainty plots. */
  onDiagnostics?(diagnostics: FitDiagnostics): void | Promise<void>;
  /** `done` of `total` env steps. */
  onProgress?(done: number, total: number, message: string): void;
}

/** Uncertainty diagnostics after a fit. */
export interface FitDiagnostics {
  fit: number;
  /** Each elite's predictions on held-out transitions. */
  heldOut: HeldOutPredictions;
  /** Along the newest episode: the true next observations [T · D] and the one-step predictions. */
  trajectory: { truth: Float32Array; mean: Float32Array; std: Float32Array };
}

/** What an experiment leaves behind. */
export interface ExperimentResult {
  returns: number[];
  /** Null for the random baseline. The caller owns it (dispose). */
  model: EnsembleDynamicsModel | null;
  data: TransitionBuffer;
}

const yieldTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/**
 * The lecture's model-based RL loops:
 * - v0.5: random data once, fit once, then plan and act without adding data;
 * - v1.0: each episode, execute whole plans open-loop (replan every H), add the data, refit;
 * - v1.5: MPC (replan every `mpc.replanEvery`), add the data, refit after each episode;
 * - random: the random policy only (the baseline).
 * Episode k (counting random ones) starts from seed + k. Stops early when `signal` aborts.
 * `compute` says where planning objectives run (default: this thread); it sees the model after each fit.
 * `training` says where the model's members are fitted (default null: this thread; the engine passes
 * its training worker pool's compute). Neither changes the results.
 */
export async function runExperiment(
  config: ExperimentConfig,
  task: ExperimentTask,
  hooks: ExperimentHooks = {},
  signal?: AbortSignal,
  compute: PlanningCompute = serialPlanning,
  training: MemberTrainingCompute | null = null,
): Promise<ExperimentResult> {
  const { env } = task;
  const D = env.observationSpace.size;
  const A = env.actionSpace.size;
  const data = new TransitionBuffer(D, A);
  const bounds = { low: env.actionSpace.low, high: env.actionSpace.high };
  const learning = config.algorithm !== 'random';
  const randomEpisodes = learning ? config.initialEpisodes : config.episodes;
  const totalSteps = (randomEpisodes + (learning ? config.episodes : 0)) * env.maxEpisodeSteps;
  let stepsDone = 0;
  let fitIndex = 0;
  const returns: number[] = [];
  const randomPolicy = new RandomPolicy(env.actionSpace, config.seed);

  const model = learning
    ? EnsembleDynamicsModel.create({
        obsDim: D,
        actDim: A,
        angleDims: task.angleDims,
        hidden: config.model.hidden,
        activation: config.model.activation,
        members: config.model.members,
        probabilistic: config.model.probabilistic,
        sampling: config.model.sampling,
        elites: config.model.elites ?? config.model.members,
        seed: config.seed,
      })
    : null;
  if (model) model.trainingCompute = training;
  // A single deterministic model plans on its own prediction; an ensemble or a probabilistic model
  // plans over particles (PETS), with its own seeded stream for member draws and sampling noise.
  const particles = config.model.members > 1 || config.model.probabilistic;
  const particleRng = new Rng(config.seed + 0x5eed);

  /** Runs one episode with `choose` picking actions; returns its record and trajectory. */
  const episode = async (k: number, policy: 'random' | 'mpc', choose: (obs: Float32Array, step: number) => Promise<{ action: Float32Array; planMs: number }>) => {
    let obs = env.reset(config.seed + k);
    hooks.onEpisodeStart?.(k, policy, obs);
    const obsTrace = [obs];
    const actTrace: Float32Array[] = [];
    const rewards: number[] = [];
    const terminals: number[] = [];
    let ret = 0;
    let planMs = 0;
    let plans = 0;
    for (let step = 0; ; step++) {
      const { action, planMs: ms } = await choose(obs, step);
      if (ms > 0) {
        planMs += ms;
        plans++;
      }
      const result = env.step(action);
      if (policy === 'random' || config.algorithm !== 'v0.5') data.add(obs, action, result.obs, result.reward, result.terminated);
      ret += result.reward;
      rewards.push(result.reward);
      terminals.push(result.terminated ? 1 : 0);
      obsTrace.push(result.obs);
      actTrace.push(action);
      hooks.onStep?.({ episode: k, step: step + 1, obs: result.obs, action, reward: result.reward, return: ret, terminated: result.terminated, truncated: result.truncated });
      stepsDone++;
      hooks.onProgress?.(stepsDone, totalSteps, `episode ${k + 1}, step ${step + 1}`);
      obs = result.obs;
      if (result.terminated || result.truncated || signal?.aborted) break;
      if (policy === 'mpc' || step % 50 === 49) await yieldTurn();
    }
    const record: EpisodeMetric = { kind: 'episode', episode: k, return: ret, steps: actTrace.length, policy, env_steps_total: data.size, plan_ms_mean: plans ? planMs / plans : 0 };
    returns.push(ret);
    await hooks.onMetric?.(record);
    const trajectory = { obs: concat(obsTrace), act: concat(actTrace) };
    await hooks.onEpisodeEnd?.({ episode: k, policy, ...trajectory, reward: Float32Array.from(rewards), terminated: Uint8Array.from(terminals) });
    return trajectory;
  };

  const fit = async (last: { obs: Float32Array; act: Float32Array }) => {
    if (!model) return;
    const fitNo = fitIndex++;
    const view = data.view();
    const result = await model.fit(view, { ...config.model, seed: config.seed + fitNo }, async (r) => {
      await hooks.onMetric?.({ kind: 'train', fit: fitNo, epoch: r.epoch, epochs: r.epochs, train_loss: r.trainLoss, val_loss: Number.isNaN(r.valLoss) ? null : r.valLoss, transitions: view.size });
    }, signal);
    await compute.syncModel(model);
    const rmse = await multiStepError(model, last.obs, last.act, config.mpc.horizon);
    await hooks.onMetric?.({ kind: 'prediction', fit: fitNo, rmse: Array.from(rmse) });
    const cal = await calibrationReport(model, view, result.validationRows);
    await hooks.onMetric?.({ kind: 'calibration', fit: fitNo, nll: cal.nll, within_1sigma: cal.within1Sigma, within_2sigma: cal.within2Sigma, samples: cal.samples });
    if (hooks.onDiagnostics) {
      const bands = await oneStepBands(model, last.obs, last.act);
      await hooks.onDiagnostics({ fit: fitNo, heldOut: await heldOutPredictions(model, view, result.validationRows), trajectory: { truth: last.obs.slice(D), ...bands } });
    }
  };

  let k = 0;
  let last: { obs: Float32Array; act: Float32Array } = { obs: new Float32Array(), act: new Float32Array() };
  for (; k < randomEpisodes && !signal?.aborted; k++) {
    last = await episode(k, 'random', async () => ({ action: randomPolicy.act(), planMs: 0 }));
  }
  if (model && !signal?.aborted) {
    await fit(last);
    const optimizer = createOptimizer(config.optimizer, config.mpc.horizon, bounds, config.seed);
    const replanEvery = config.algorithm === 'v1.0' ? config.mpc.horizon : config.mpc.replanEvery;
    const objectiveAt = (obs: Float32Array) =>
      particles ? compute.particleReturn(model, task.functions, obs, config.uncertainty, particleRng) : compute.modelReturn(model, task.functions, obs);
    const agent = new MpcAgent(objectiveAt, optimizer, bounds, replanEvery);
    for (let e = 0; e < config.episodes && !signal?.aborted; e++, k++) {
      agent.reset();
      const episodeNo = k;
      last = await episode(k, 'mpc', async (obs, step) => {
        const decision = await agent.act(obs, hooks.onPlanIteration);
        if (decision.replanned) await hooks.onPlan?.(episodeNo, step, () => predictMemberTrajectories(model, obs, decision.plan, A));
        return decision;
      });
      if (config.algorithm !== 'v0.5' && !signal?.aborted) await fit(last);
    }
  }
  return { returns, model, data };
}

function concat(rows: Float32Array[]): Float32Array {
  const out = new Float32Array(rows.reduce((n, r) => n + r.length, 0));
  let at = 0;
  for (const r of rows) {
    out.set(r, at);
    at += r.length;
  }
  return out;
}
