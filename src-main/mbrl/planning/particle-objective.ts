import * as tf from '@tensorflow/tfjs-core';
import type { EnsembleModel } from '../models/ensemble-dynamics-model';
import { Rng } from '../util';
import type { BatchedTaskFunctions } from './model-rollout';
import type { Objective } from './optimizer';

/**
 * How particles move through an ensemble (PETS, Chua et al. 2018):
 * - expectation: every particle follows the mean of the elite members' predictions;
 * - ts1: each particle picks a random member at every step;
 * - tsinf: each particle keeps one member for the whole horizon.
 */
export type Propagation = 'expectation' | 'ts1' | 'tsinf';

/** How a candidate's particle returns [P] become one score. */
export type RiskObjective = 'expected' | 'pessimistic' | 'worst' | 'optimistic';

/** Settings of uncertainty-aware planning. */
export interface ParticleSettings {
  /** P: particles per candidate. */
  particles: number;
  propagation: Propagation;
  /** Sample s′ from each member's predicted Gaussian (probabilistic members), or use the mean. */
  sample: boolean;
  objective: RiskObjective;
  /** k in mean ∓ k·std for the pessimistic and optimistic objectives. */
  riskK: number;
}

/**
 * Which member moves each particle at one step: `assignment[r]` for particle row r. Balanced: the
 * particles are dealt to the elites in a random order, so every elite gets ⌊R/E⌋ or ⌈R/E⌉ of them.
 */
export function dealParticles(rows: number, elites: readonly number[], rng: Rng): Int32Array {
  const order = new Int32Array(rows);
  for (let i = 0; i < rows; i++) order[i] = i;
  for (let i = rows - 1; i > 0; i--) {
    const j = Math.floor(rng.nextFloat() * (i + 1));
    [order[i], order[j]] = [order[j], order[i]];
  }
  const assignment = new Int32Array(rows);
  for (let i = 0; i < rows; i++) assignment[order[i]] = elites[i % elites.length];
  return assignment;
}

/**
 * One step of every particle: rows grouped by member so each member runs one 2-D forward pass,
 * then put back in row order. obs: [R, D], act: [R, A] → next: [R, D].
 */
function stepGrouped(model: EnsembleModel, obs: tf.Tensor2D, act: tf.Tensor2D, assignment: Int32Array, sample: boolean, seed: number): tf.Tensor2D {
  const groups = new Map<number, number[]>();
  assignment.forEach((k, r) => (groups.get(k) ?? groups.set(k, []).get(k)!).push(r));
  const order: number[] = [];
  const parts: tf.Tensor2D[] = [];
  for (const [k, rows] of groups) {
    const idx = tf.tensor1d(rows, 'int32');
    const { next, logVar } = model.memberPredict(k, tf.gather(obs, idx) as tf.Tensor2D, tf.gather(act, idx) as tf.Tensor2D);
    parts.push(sample && logVar ? (tf.add(next, tf.mul(tf.exp(tf.mul(0.5, logVar)), tf.randomNormal(next.shape, 0, 1, 'float32', seed + k))) as tf.Tensor2D) : next);
    order.push(...rows);
  }
  const inverse = new Int32Array(order.length);
  order.forEach((r, i) => (inverse[r] = i));
  return tf.gather(tf.concat(parts, 0), tf.tensor1d(inverse, 'int32')) as tf.Tensor2D;
}

/** The mean of the elites' predictions (optionally sampled with their mean variance). */
function stepExpectation(model: EnsembleModel, obs: tf.Tensor2D, act: tf.Tensor2D, sample: boolean, seed: number): tf.Tensor2D {
  const preds = model.eliteIndices.map((k) => model.memberPredict(k, obs, act));
  const mean = tf.div(tf.addN(preds.map((p) => p.next)), preds.length) as tf.Tensor2D;
  const logVars = preds.flatMap((p) => (p.logVar ? [p.logVar] : []));
  if (!sample || logVars.length === 0) return mean;
  const variance = tf.div(tf.addN(logVars.map((lv) => tf.exp(lv))), logVars.length);
  return tf.add(mean, tf.mul(tf.sqrt(variance), tf.randomNormal(mean.shape, 0, 1, 'float32', seed))) as tf.Tensor2D;
}

/** Particle returns [N, P] → scores [N] by the chosen risk attitude. */
export function scoreParticles(returns: tf.Tensor2D, objective: RiskObjective, riskK: number): tf.Tensor1D {
  return tf.tidy(() => {
    if (objective === 'worst') return tf.min(returns, 1) as tf.Tensor1D;
    const { mean, variance } = tf.moments(returns, 1);
    if (objective === 'expected') return mean as tf.Tensor1D;
    const spread = tf.mul(riskK, tf.sqrt(variance));
    return (objective === 'pessimistic' ? tf.sub(mean, spread) : tf.add(mean, spread)) as tf.Tensor1D;
  });
}

/**
 * The planning objective under model uncertainty: each candidate [N, H, A] is rolled out as P
 * particles through the ensemble (propagated as `settings.propagation` says), rewards summed per
 * particle (zero after a predicted termination), and the particle returns scored by the risk
 * objective. Member draws and sampling noise come from `rng`, so a seeded planner is reproducible.
 */
export function particleReturnObjective(model: EnsembleModel, task: BatchedTaskFunctions, obs0: Float32Array, settings: ParticleSettings, rng: Rng): Objective {
  return (actions) =>
    tf.tidy(() => {
      const [N, H, A] = actions.shape;
      const P = settings.particles;
      const R = N * P;
      // Row r = candidate ⌊r / P⌋, particle r mod P.
      let obs = tf.tile(tf.tensor2d(obs0, [1, obs0.length]), [R, 1]) as tf.Tensor2D;
      let total = tf.zeros([R]) as tf.Tensor1D;
      let alive = tf.ones([R]) as tf.Tensor1D;
      const steps = tf.unstack(tf.transpose(actions, [1, 0, 2])) as tf.Tensor2D[];
      let assignment = settings.propagation === 'tsinf' ? dealParticles(R, model.eliteIndices, rng) : null;
      for (let t = 0; t < H; t++) {
        const act = tf.reshape(tf.tile(tf.expandDims(steps[t], 1), [1, P, 1]), [R, A]) as tf.Tensor2D;
        const seed = rng.nextUint32();
        let next: tf.Tensor2D;
        if (settings.propagation === 'expectation') next = stepExpectation(model, obs, act, settings.sample, seed);
        else {
          if (settings.propagation === 'ts1') assignment = dealParticles(R, model.eliteIndices, rng);
          next = stepGrouped(model, obs, act, assignment!, settings.sample, seed);
        }
        total = tf.add(total, tf.mul(alive, task.rewardBatch(next, act)));
        alive = tf.mul(alive, tf.sub(1, task.terminatedBatch(next)));
        obs = next;
      }
      return scoreParticles(tf.reshape(total, [N, P]) as tf.Tensor2D, settings.objective, settings.riskK);
    });
}
