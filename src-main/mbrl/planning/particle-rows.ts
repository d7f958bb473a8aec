import * as tf from '@tensorflow/tfjs-core';
import type { EnsembleModel, RowBlock } from '../models/ensemble-dynamics-model';
import type { Rng } from '../util';
import type { BatchedTaskFunctions } from './model-rollout';
import { dealParticles, scoreParticles, type ParticleSettings } from './particle-objective';

/**
 * TS∞ particle planning split into pieces that can run apart (the worker pool of the engine):
 * the random draws, the rollout of any contiguous range of particle rows, and the final scoring.
 * Together they compute exactly what {@link particleReturnObjective} computes for TS∞ with a model
 * that has `predictBlocks`: the draws consume `rng` in the same order, the noise is the same
 * `tf.randomNormal` stream, and every op of the rollout works row by row (tested: the wasm and cpu
 * matMuls give a row the same bits whatever the batch), so a range of rows comes out bit-identical.
 */

/** The random choices of one TS∞ evaluation of R = N · P particle rows. */
export interface TsInfDraw {
  /** layout[i]: the logical row (candidate ⌊r / P⌋, particle r mod P) at position i: [R]. */
  layout: Int32Array;
  /** Contiguous member blocks over positions. */
  groups: RowBlock[];
  /** The candidate of each position: [R]. */
  candidateOf: Int32Array;
  /** Standard normal noise for s′ per step, positions × obs dims: H arrays of [R · D]; null when not sampling. */
  noise: Float32Array[] | null;
}

/** Whether the TS∞ rows path reproduces `particleReturnObjective` for this model and these settings. */
export function supportsRowSplit(model: EnsembleModel, settings: ParticleSettings): boolean {
  return settings.propagation === 'tsinf' && typeof model.predictBlocks === 'function';
}

/**
 * Draws what one TS∞ evaluation needs, consuming `rng` exactly as `particleReturnObjective` does:
 * the particle deal, then one seed per step (each seeding `tf.randomNormal([R, D])`).
 */
export function drawTsInf(model: EnsembleModel, N: number, H: number, settings: ParticleSettings, rng: Rng): TsInfDraw {
  const P = settings.particles;
  const R = N * P;
  const D = model.obsDim;
  const assignment = dealParticles(R, model.eliteIndices, rng);
  const layout = Int32Array.from({ length: R }, (_, r) => r).sort((a, b) => assignment[a] - assignment[b] || a - b);
  const groups: RowBlock[] = [];
  for (let i = 0; i < R; i++) {
    const k = assignment[layout[i]];
    if (groups.at(-1)?.member === k) groups.at(-1)!.count++;
    else groups.push({ member: k, start: i, count: 1 });
  }
  const candidateOf = layout.map((r) => Math.floor(r / P));
  const sampling = settings.sample && model.probabilistic;
  const noise: Float32Array[] = [];
  for (let t = 0; t < H; t++) {
    const seed = rng.nextUint32();
    if (!sampling) continue;
    const values = tf.randomNormal([R, D], 0, 1, 'float32', seed);
    noise.push(values.dataSync() as Float32Array);
    values.dispose();
  }
  return { layout, groups, candidateOf, noise: sampling ? noise : null };
}

/** The member blocks of positions [start, start + count), renumbered from 0. */
export function blocksInRange(groups: readonly RowBlock[], start: number, count: number): RowBlock[] {
  const end = start + count;
  const out: RowBlock[] = [];
  for (const g of groups) {
    const a = Math.max(g.start, start);
    const b = Math.min(g.start + g.count, end);
    if (b > a) out.push({ member: g.member, start: a - start, count: b - a });
  }
  return out;
}

/** A contiguous range of particle positions to roll out. */
export interface ParticleRows {
  /** The candidate of each row: [Rb]. */
  candidateOf: Int32Array;
  /** Member blocks over these rows (from 0). */
  blocks: RowBlock[];
  /** Noise for these rows, step-major: [H · Rb · D]; null when not sampling. */
  noise: Float32Array | null;
}

/**
 * The summed reward of each row, zero after a predicted termination: actions [N, H, A] of all
 * candidates → [Rb]. The same ops, in the same order, as the TS∞ branch of particleReturnObjective.
 */
export function rolloutParticleRows(model: EnsembleModel, task: BatchedTaskFunctions, obs0: Float32Array, actions: tf.Tensor3D, rows: ParticleRows): tf.Tensor1D {
  return tf.tidy(() => {
    const H = actions.shape[1];
    const Rb = rows.candidateOf.length;
    const D = obs0.length;
    const candidateOf = tf.tensor1d(rows.candidateOf, 'int32');
    let obs = tf.tile(tf.tensor2d(obs0, [1, D]), [Rb, 1]) as tf.Tensor2D;
    let total = tf.zeros([Rb]) as tf.Tensor1D;
    let alive = tf.ones([Rb]) as tf.Tensor1D;
    const steps = tf.unstack(tf.transpose(actions, [1, 0, 2])) as tf.Tensor2D[];
    for (let t = 0; t < H; t++) {
      const act = tf.gather(steps[t], candidateOf) as tf.Tensor2D;
      const { next: mean, logVar } = model.predictBlocks!(obs, act, rows.blocks);
      let next = mean;
      if (rows.noise && logVar) {
        const noise = tf.tensor2d(rows.noise.subarray(t * Rb * D, (t + 1) * Rb * D), [Rb, D]);
        next = tf.add(mean, tf.mul(tf.exp(tf.mul(0.5, logVar)), noise)) as tf.Tensor2D;
      }
      total = tf.add(total, tf.mul(alive, task.rewardBatch(next, act)));
      alive = tf.mul(alive, tf.sub(1, task.terminatedBatch(next)));
      obs = next;
    }
    return total;
  });
}

/** Row totals in position order [R] → candidate scores [N], as particleReturnObjective scores them. */
export function scoreLayout(totals: Float32Array, layout: Int32Array, N: number, settings: ParticleSettings): tf.Tensor1D {
  return tf.tidy(() => {
    const position = new Int32Array(layout.length);
    layout.forEach((r, i) => (position[r] = i));
    const byCandidate = tf.reshape(tf.gather(tf.tensor1d(totals), tf.tensor1d(position, 'int32')), [N, settings.particles]) as tf.Tensor2D;
    return scoreParticles(byCandidate, settings.objective, settings.riskK);
  });
}
