import type { EnsembleModel } from '../../mbrl/models';
import {
  blocksInRange,
  drawTsInf,
  modelReturnObjective,
  particleReturnObjective,
  scoreLayout,
  supportsRowSplit,
  type BatchedTaskFunctions,
  type ParticleSettings,
  type PlanningCompute,
  type PlanningObjective,
} from '../../mbrl/planning';
import type { Rng } from '../../mbrl/util';
import type { PlanningPool } from './planning-pool';

/** Splits `total` rows into `parts` contiguous ranges of near-equal size (empty ones left out). */
export function splitRows(total: number, parts: number): { start: number; count: number }[] {
  const out: { start: number; count: number }[] = [];
  for (let p = 0; p < parts; p++) {
    const start = Math.floor((total * p) / parts);
    const end = Math.floor((total * (p + 1)) / parts);
    if (end > start) out.push({ start, count: end - start });
  }
  return out;
}

/**
 * Planning objectives evaluated by a {@link PlanningPool}, returning exactly what the serial
 * objectives return for the same seed:
 * - all random numbers (the TS∞ deal, the per-step seeds and the s′ noise) are drawn here, on the
 *   main thread, from the same `rng` in the same order as particleReturnObjective draws them;
 * - the work is split into contiguous row ranges, one per worker: candidates for the single-model
 *   objective, particle positions in the member-sorted TS∞ layout for ensembles (so each worker runs
 *   one or two contiguous member blocks per step, with no gathers); every op works row by row, so a
 *   row's result does not depend on which range it was in (test/engine/compute checks it bit for bit);
 * - the particle returns are scored here with the serial code's ops.
 * TS1 and expectation propagation, and any model other than the one last synced, plan serially.
 */
export class PooledPlanning implements PlanningCompute {
  private synced: EnsembleModel | null = null;

  constructor(private readonly pool: PlanningPool) {}

  async syncModel(model: EnsembleModel): Promise<void> {
    await this.pool.setModel(await model.save());
    this.synced = model;
  }

  modelReturn(model: EnsembleModel, task: BatchedTaskFunctions, obs0: Float32Array): PlanningObjective {
    if (model !== this.synced) return modelReturnObjective(model, task, obs0);
    return {
      evaluateBatch: async (samples, N, H, A) => {
        const shared = samples.slice(0, N * H * A);
        const parts = await Promise.all(
          splitRows(N, this.pool.size).map(({ start, count }, w) => this.pool.request(w, { type: 'model-return', obs0, samples: shared, N, H, A, start, count })),
        );
        return concat(parts.map((p) => p.values!), N);
      },
    };
  }

  particleReturn(model: EnsembleModel, task: BatchedTaskFunctions, obs0: Float32Array, settings: ParticleSettings, rng: Rng): PlanningObjective {
    if (model !== this.synced || !supportsRowSplit(model, settings)) return particleReturnObjective(model, task, obs0, settings, rng);
    return {
      evaluateBatch: async (samples, N, H, A) => {
        const draw = drawTsInf(model, N, H, settings, rng);
        const R = N * settings.particles;
        const D = model.obsDim;
        const shared = samples.slice(0, N * H * A);
        const parts = await Promise.all(
          splitRows(R, this.pool.size).map(({ start, count }, w) => {
            let noise: Float32Array | null = null;
            if (draw.noise) {
              noise = new Float32Array(H * count * D);
              draw.noise.forEach((step, t) => noise!.set(step.subarray(start * D, (start + count) * D), t * count * D));
            }
            const candidateOf = draw.candidateOf.slice(start, start + count);
            return this.pool.request(
              w,
              { type: 'particle-rows', obs0, samples: shared, N, H, A, candidateOf, blocks: blocksInRange(draw.groups, start, count), noise },
              noise ? [noise.buffer as ArrayBuffer, candidateOf.buffer as ArrayBuffer] : [candidateOf.buffer as ArrayBuffer],
            );
          }),
        );
        const scores = scoreLayout(concat(parts.map((p) => p.values!), R), draw.layout, N, settings);
        const values = (await scores.data()) as Float32Array;
        scores.dispose();
        return values;
      },
    };
  }
}

function concat(parts: Float32Array[], total: number): Float32Array {
  const out = new Float32Array(total);
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.length;
  }
  return out;
}
