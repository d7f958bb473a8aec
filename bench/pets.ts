/**
 * PETS-shaped planning latency (opt-in group "pets"): one MPC action of CEM through a probabilistic
 * ensemble with trajectory sampling, at the PETS reference shapes: 5 members, each an MLP 6 → 3×200
 * swish → 8 (mean and log-variance of the normalized state change, log-variance soft-bounded as in
 * PETS/mbrl-lib), 20 particles per candidate (TS∞: each particle stays with one member, 4 per member),
 * CEM population 400, 5 iterations, horizon 25, elites 10 %, α 0.1; the return of a candidate is the
 * mean over its particles of the summed cart-pole reward.
 *
 * It runs the library's own path: EnsembleDynamicsModel (fitted for one epoch on the cart-pole data)
 * and particleReturnObjective, which moves TS∞ particles member by member in contiguous blocks, one
 * plain 2-D matMul chain per member (batched 3-D matMuls are much slower on wasm).
 * bench/reference/pets_planning.py is the same computation in PyTorch (batched bmm, as mbrl-lib).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TransitionBatch } from '../src-main/mbrl/data';
import { taskFunctions } from '../src-main/mbrl/env';
import { EnsembleDynamicsModel } from '../src-main/mbrl/models';
import { CemOptimizer, serialPlanning } from '../src-main/mbrl/planning';
import { poolBackend, startPooledPlanning, type PooledCompute } from '../src-main/engine/compute/planning-workers';
import { Rng } from '../src-main/mbrl/util';
import { median } from './bench-result';
import { busiestThreadMs, threadCpuSnapshot } from './thread-cpu';

/** The PETS reference shapes. */
export const PETS_SHAPES = Object.freeze({
  members: 5,
  particles: 20,
  hidden: [200, 200, 200] as readonly number[],
  population: 400,
  iterations: 5,
  horizon: 25,
  eliteFraction: 0.1,
  alpha: 0.1,
});

const ACT_DIM = 1;

export interface PetsBenchOptions {
  runs?: number;
  warmup?: number;
  /** Called after each timed MPC action (the suite runs one reference action there). */
  afterRun?: () => Promise<void>;
  shapes?: Partial<typeof PETS_SHAPES>;
  /** Planning worker threads (engine/compute's pool); 1 or absent: plan on this thread. */
  workers?: number;
}

/**
 * Times MPC actions (CEM optimisations, warm-started) from the hanging start: median ms, each run, and
 * the median CPU time per action over all threads of the process (planning workers included) and of
 * its busiest thread, ms.
 */
export async function benchPetsPlanning(data: TransitionBatch, options: PetsBenchOptions = {}): Promise<{ ms: number; runs: number[]; cpuMs: number; busiestThreadMs: number }> {
  const s = { ...PETS_SHAPES, ...options.shapes };
  if (s.particles % s.members) throw new Error(`pets: particles (${s.particles}) must be a multiple of members (${s.members})`);
  const runs = options.runs ?? 3;
  const warmup = options.warmup ?? 1;
  const ensemble = EnsembleDynamicsModel.create({ obsDim: 4, actDim: ACT_DIM, angleDims: [1], hidden: [...s.hidden], activation: 'swish', members: s.members, probabilistic: true, sampling: 'shuffle', elites: s.members, seed: 0 });
  let pooled: PooledCompute | null = null;
  try {
    await ensemble.fit(data, { epochs: 1, batchSize: 256, learningRate: 1e-3, weightDecay: 5e-5, valFraction: 0, patience: 1, seed: 0 });
    const backend = poolBackend();
    if ((options.workers ?? 1) > 1 && !backend) throw new Error(`planning workers: not for the ${tf.getBackend()} backend (wasm and cpu only)`);
    if ((options.workers ?? 1) > 1) pooled = await startPooledPlanning(options.workers!, 'cartpole', backend!);
    const compute = pooled?.compute ?? serialPlanning;
    await compute.syncModel(ensemble);
    const bounds = { low: Float32Array.of(-1), high: Float32Array.of(1) };
    const optimizer = new CemOptimizer({ horizon: s.horizon, population: s.population, iterations: s.iterations, eliteFraction: s.eliteFraction, alpha: s.alpha, seed: 0 }, bounds);
    const settings = { particles: s.particles, propagation: 'tsinf' as const, sample: true, objective: 'expected' as const, riskK: 1 };
    const objective = compute.particleReturn(ensemble, taskFunctions('cartpole'), Float32Array.of(0, Math.PI, 0, 0), settings, new Rng(0));
    let plan: Float32Array = new Float32Array(s.horizon * ACT_DIM);
    const times: number[] = [];
    const cpu: number[] = [];
    const busiest: number[] = [];
    for (let call = 0; call < warmup + runs; call++) {
      const warm = new Float32Array(plan.length);
      warm.set(plan.subarray(ACT_DIM));
      const start = performance.now();
      const cpuBefore = process.cpuUsage();
      const threadsBefore = threadCpuSnapshot();
      plan = await optimizer.optimize(objective, warm);
      if (call >= warmup) {
        times.push(performance.now() - start);
        const used = process.cpuUsage(cpuBefore);
        cpu.push((used.user + used.system) / 1000);
        busiest.push(busiestThreadMs(threadsBefore, threadCpuSnapshot()));
        await options.afterRun?.();
      }
    }
    return { ms: median(times), runs: times, cpuMs: median(cpu), busiestThreadMs: median(busiest) };
  } finally {
    await pooled?.dispose();
    ensemble.dispose();
  }
}
