/**
 * How well a learned video model ranks candidate plans where planning starts (issue 7's diagnosis):
 * at each evaluation task's first frame, random held-action plans are scored by the model (visual
 * foresight's expected-distance cost) and by the true simulator (the same cost on the designated
 * point's true position). Why beside the success rate: a plan's pixel error says little about whether
 * the planner can tell a good plan from a bad one, and a 20-task evaluation takes minutes where this
 * takes seconds. What it showed first (docs/RESULTS.md, session 10): plans that never touch the block
 * are imagined to move it, by as much as the real gain of the few plans that do push it the right way.
 */
import * as tf from '@tensorflow/tfjs-core';
import { planarPushPointTracker, type ReadModelXml } from '../../mbrl/env';
import type { VideoPredictionModel } from '../../mbrl/models/video';
import { DEFAULT_FORESIGHT, SimulatorPointObjective, VisualForesightPlanner } from '../../mbrl/planning';
import { Rng, spearman } from '../../mbrl/util';
import { bytesToUnit } from '../../mbrl/render';
import { openPushingTasks, taskOnModelFrame, type ForesightEvalOptions } from './foresight-eval';
import { foresightLimitRepair } from './foresight-limits';

/** A candidate leaves the block where it is when its true cost is within this of standing still, px·steps. */
const IDLE_TOLERANCE = 0.5;
/** A candidate truly improves when its true cost is at least this below standing still, px·steps. */
const IMPROVING_MARGIN = 1;

/** Index of the smallest value (the first on ties). */
const argmin = (v: readonly number[]) => v.reduce((best, x, i) => (x < v[best] ? i : best), 0);

/** One task's ranking. Costs are Σ over the horizon of the distance to the goal, px of the evaluation frame (px·steps). */
export interface TaskRanking {
  episodeSeed: number;
  /** Spearman correlation of the model's and the simulator's costs over all candidates. */
  spearman: number;
  /** Candidates that truly leave the block where it is (true cost within 0.5 px·steps of standing still). */
  idle: number;
  /** Max − min of the model's cost over those idle candidates: motion the model imagines, px·steps. */
  idleSpread: number;
  /** Candidates that truly bring the designated point closer (≥ 1 px·steps below standing still). */
  improving: number;
  /** True cost of the model's best candidate minus the best true cost, px·steps (0: it picks the best). */
  pickRegret: number;
  /**
   * Cost of standing still (candidate 0) through the model, on the evaluation frame's scale, and
   * through the simulator, px·steps. They agree when the model imagines nothing moving while the
   * pusher rests: a check of the scaling from the model's frame and of motion imagined at rest.
   */
  stillCost: { model: number; simulator: number };
}

/**
 * Ranks `candidates` random plans (candidate 0 stands still; the others hold a uniform action in the
 * action box for `planning.hold` steps at a time over `planning.horizon` steps, seeded by `seed` and the
 * task; sizes the settings leave out are DEFAULT_FORESIGHT's) at the start of each task of `options`,
 * through `model` and through the simulator.
 */
export async function rankCandidatesAtStarts(model: VideoPredictionModel, options: Pick<ForesightEvalOptions, 'evalSize' | 'tasks' | 'planning' | 'only'>, readModelXml: ReadModelXml, candidates: number, seed = 0): Promise<TaskRanking[]> {
  if (!Number.isInteger(candidates) || candidates < 2) throw new RangeError(`evaluate.rankCandidates: need at least 2 candidates, got ${candidates}`);
  const settings = { ...DEFAULT_FORESIGHT, ...options.planning };
  const { horizon: H, hold = 1 } = settings;
  if (H % hold !== 0) throw new RangeError(`planning.horizon ${H} must be a multiple of planning.hold ${hold}`);
  const { env, stateEnv, evalCamera, tasks } = await openPushingTasks(model, options, readModelXml);
  const S = model.config.imageSize;
  const A = env.actionSpace.size;
  const { low, high } = env.actionSpace;
  const out: TaskRanking[] = [];
  try {
    for (const task of tasks) {
      env.reset(task.episodeSeed);
      const rng = new Rng(seed + task.episodeSeed);
      const plans = new Float32Array(candidates * H * A);
      for (let i = 1; i < candidates; i++) {
        for (let b = 0; b < H / hold; b++) {
          for (let j = 0; j < A; j++) {
            const a = rng.uniform(low[j], high[j]);
            for (let k = 0; k < hold; k++) plans[(i * H + b * hold + k) * A + j] = a;
          }
        }
      }
      const track = planarPushPointTracker(evalCamera, env.state(), [task.designated]);
      // Scored as the planner scores (its terminal weight included), so that the two costs compare.
      const simulator = new SimulatorPointObjective(stateEnv, (obs) => track(obs), [task.goal], settings.terminalWeight);
      let trueCost: number[];
      try {
        trueCost = Array.from(simulator.scores(plans, candidates, H, A), (s) => -s);
      } finally {
        simulator.dispose();
      }
      const { designated, goal } = taskOnModelFrame(task, S, options.evalSize);
      // The planner's own objective from the task's still start, as its first plan is scored.
      const planner = new VisualForesightPlanner(model, { kind: 'pixels', designated: [designated], goals: [goal] }, settings, { low, high }, 'model', foresightLimitRepair(settings, env));
      planner.reset(bytesToUnit(env.frame()));
      const objective = planner.objective();
      // The model's cost is in px of its own frame: scaled to the evaluation frame's.
      const scores = tf.tidy(() => objective(tf.tensor3d(plans, [candidates, H, A])));
      let scoreValues: Float32Array;
      try {
        scoreValues = (await scores.data()) as Float32Array;
      } finally {
        scores.dispose();
      }
      const modelCost = Array.from(scoreValues, (s) => (-s * options.evalSize) / S);
      const still = trueCost[0];
      const idle = trueCost.map((_, i) => i).filter((i) => Math.abs(trueCost[i] - still) <= IDLE_TOLERANCE);
      const idleModel = idle.map((i) => modelCost[i]);
      out.push({
        episodeSeed: task.episodeSeed,
        spearman: spearman(modelCost, trueCost),
        idle: idle.length,
        idleSpread: idleModel.length ? Math.max(...idleModel) - Math.min(...idleModel) : 0,
        improving: trueCost.filter((c) => c <= still - IMPROVING_MARGIN).length,
        pickRegret: trueCost[argmin(modelCost)] - Math.min(...trueCost),
        stillCost: { model: modelCost[0], simulator: still },
      });
    }
    return out;
  } finally {
    env.dispose();
  }
}
