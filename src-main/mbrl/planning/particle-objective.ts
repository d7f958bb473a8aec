import * as tf from '@tensorflow/tfjs-core';
import type { EnsembleModel, RowBlock } from '../models/ensemble-dynamics-model';
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
    parts.push(memberNext(model, k, tf.gather(obs, idx) as tf.Tensor2D, tf.gather(act, idx) as tf.Tensor2D, sample, seed));
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

/** Member k's next states for its rows, sampled from its Gaussian when asked. */
function memberNext(model: EnsembleModel, k: number, obs: tf.Tensor2D, act: tf.Tensor2D, sample: boolean, seed: number): tf.Tensor2D {
  const { next, logVar } = model.memberPredict(k, obs, act);
  if (!sample || !logVar) return next;
  return tf.add(next, tf.mul(tf.exp(tf.mul(0.5, logVar)), tf.randomNormal(next.shape, 0, 1, 'float32', seed + k))) as tf.Tensor2D;
}

/**
 * The planning objective under model uncertainty: each candidate [N, H, A] is rolled out as P
 * particles through the ensemble (propagated as `settings.propagation` says), rewards summed per
 * particle (zero after a predicted termination), and the particle returns scored by the risk
 * objective. Member draws and sampling noise come from `rng`, so a seeded planner is reproducible.
 *
 * Layout: under TS∞ the particles are laid out member by member for the whole horizon, so each
 * member's rows are one contiguous slice (no per-step gather/scatter); they are put back in
 * candidate order once, at the end. TS1 regroups every step.
 */
export function particleReturnObjective(model: EnsembleModel, task: BatchedTaskFunctions, obs0: Float32Array, settings: ParticleSettings, rng: Rng): Objective {
  return (actions) =>
    tf.tidy(() => {
      const [N, H] = actions.shape;
      const P = settings.particles;
      const R = N * P;
      // Logical row r = candidate ⌊r / P⌋, particle r mod P; `layout[i]` is the logical row at position i.
      let layout: Int32Array = Int32Array.from({ length: R }, (_, r) => r);
      const groups: RowBlock[] = [];
      if (settings.propagation === 'tsinf') {
        const assignment = dealParticles(R, model.eliteIndices, rng);
        layout = layout.sort((a, b) => assignment[a] - assignment[b] || a - b);
        for (let i = 0; i < R; i++) {
          const k = assignment[layout[i]];
          if (groups.at(-1)?.member === k) groups.at(-1)!.count++;
          else groups.push({ member: k, start: i, count: 1 });
        }
      }
      const candidateOf = tf.tensor1d(layout.map((r) => Math.floor(r / P)), 'int32');
      let obs = tf.tile(tf.tensor2d(obs0, [1, obs0.length]), [R, 1]) as tf.Tensor2D;
      let total = tf.zeros([R]) as tf.Tensor1D;
      let alive = tf.ones([R]) as tf.Tensor1D;
      const steps = tf.unstack(tf.transpose(actions, [1, 0, 2])) as tf.Tensor2D[];
      for (let t = 0; t < H; t++) {
        const act = tf.gather(steps[t], candidateOf) as tf.Tensor2D;
        const seed = rng.nextUint32();
        let next: tf.Tensor2D;
        if (settings.propagation === 'expectation') next = stepExpectation(model, obs, act, settings.sample, seed);
        else if (settings.propagation === 'ts1') next = stepGrouped(model, obs, act, dealParticles(R, model.eliteIndices, rng), settings.sample, seed);
        else if (model.predictBlocks) {
          const { next: mean, logVar } = model.predictBlocks(obs, act, groups);
          next = settings.sample && logVar ? (tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVar)), tf.randomNormal(mean.shape, 0, 1, 'float32', seed))) as tf.Tensor2D) : mean;
        } else {
          const parts = groups.map((g) => memberNext(model, g.member, tf.slice(obs, [g.start, 0], [g.count, -1]), tf.slice(act, [g.start, 0], [g.count, -1]), settings.sample, seed));
          next = (parts.length === 1 ? parts[0] : tf.concat(parts, 0)) as tf.Tensor2D;
        }
        total = tf.add(total, tf.mul(alive, task.rewardBatch(next, act)));
        alive = tf.mul(alive, tf.sub(1, task.terminatedBatch(next)));
        obs = next;
      }
      const position = new Int32Array(R);
      layout.forEach((r, i) => (position[r] = i));
      const byCandidate = tf.reshape(tf.gather(total, tf.tensor1d(position, 'int32')), [N, P]) as tf.Tensor2D;
      return scoreParticles(byCandidate, settings.objective, settings.riskK);
    });
}
