/**
 * Planning latency per MPC action: the time MpcAgent.act takes to choose one action by CEM through an
 * MLP dynamics model, at a fixed reference size (the cart-pole shapes of the MBRL issue):
 * state 4 + action 1 (6 model inputs with sin/cos of the angle), MLP 3×200 swish, CEM population 500,
 * 5 iterations, elites 10 %, α 0.1, horizon 30, every candidate rolled through the model and scored
 * with the batched cart-pole reward. bench/reference/mpc_planning.py is the same computation in PyTorch.
 * Importing this file does nothing; call benchPlanning() after choosing a tfjs backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TransitionBatch } from '../src-main/mbrl/data';
import { taskFunctions } from '../src-main/mbrl/env';
import { EnsembleDynamicsModel } from '../src-main/mbrl/models';
import { CemOptimizer, MpcAgent, serialPlanning } from '../src-main/mbrl/planning';
import { poolBackend, startPooledPlanning, type PooledCompute } from '../src-main/engine/compute/planning-workers';
import { median } from './bench-result';
import { busiestThreadMs, threadCpuSnapshot } from './thread-cpu';

/** The fixed reference size. */
export const PLANNING_SHAPES = Object.freeze({
  obsDim: 4,
  actDim: 1,
  hidden: [200, 200, 200] as readonly number[],
  population: 500,
  iterations: 5,
  horizon: 30,
  eliteFraction: 0.1,
  alpha: 0.1,
});

export interface PlanningBenchOptions {
  /** Timed MPC actions (default 5); the result is their median. */
  runs?: number;
  /** Untimed MPC actions first (default 1): JIT, wasm tier-up, kernel setup. */
  warmup?: number;
  /** Called after each timed MPC action (the suite runs one reference action there, interleaving them). */
  afterRun?: () => Promise<void>;
  /** Overrides of the reference size (tests use small ones). */
  shapes?: Partial<Omit<typeof PLANNING_SHAPES, 'obsDim' | 'actDim'>>;
  /** Planning worker threads (engine/compute's pool); 1 or absent: plan on this thread. */
  workers?: number;
}

/** What benchPlanning measured: median ms per MPC action, each timed run, and tensors leaked per action. */
export interface PlanningMeasurement {
  ms: number;
  runs: number[];
  leakedTensors: number;
  /** Median CPU time per MPC action, all threads of the process (workers included), ms. */
  cpuMs: number;
  /** Median CPU time per MPC action of the busiest thread, ms (NaN where not measurable). */
  busiestThreadMs: number;
}

/**
 * Times MPC actions of a cart-pole agent from the hanging start state. The model's normalizers are
 * fitted on `data` (one epoch of training, untimed), so the rollouts see realistic magnitudes; the
 * weights' values do not change the amount of work.
 */
export async function benchPlanning(data: TransitionBatch, options: PlanningBenchOptions = {}): Promise<PlanningMeasurement> {
  const s = { ...PLANNING_SHAPES, ...options.shapes };
  const runs = options.runs ?? 5;
  const warmup = options.warmup ?? 1;
  const model = EnsembleDynamicsModel.create({ members: 1, probabilistic: false, sampling: 'shuffle', elites: 1, obsDim: 4, actDim: 1, angleDims: [1], hidden: [...s.hidden], activation: 'swish', seed: 0 });
  let pooled: PooledCompute | null = null;
  try {
    await model.fit(data, { epochs: 1, batchSize: 256, learningRate: 1e-3, weightDecay: 5e-5, valFraction: 0, patience: 1, seed: 0 });
    const backend = poolBackend();
    if ((options.workers ?? 1) > 1 && !backend) throw new Error(`planning workers: not for the ${tf.getBackend()} backend (wasm and cpu only)`);
    if ((options.workers ?? 1) > 1) pooled = await startPooledPlanning(options.workers!, 'cartpole', backend!);
    const compute = pooled?.compute ?? serialPlanning;
    await compute.syncModel(model);
    const bounds = { low: Float32Array.of(-1), high: Float32Array.of(1) };
    const optimizer = new CemOptimizer(
      { horizon: s.horizon, population: s.population, iterations: s.iterations, eliteFraction: s.eliteFraction, alpha: s.alpha, seed: 0 },
      bounds,
    );
    const task = taskFunctions('cartpole');
    const agent = new MpcAgent((obs) => compute.modelReturn(model, task, obs), optimizer, bounds, 1);
    const obs = Float32Array.of(0, Math.PI, 0, 0); // hanging down, at rest: where episodes start
    const times: number[] = [];
    const cpu: number[] = [];
    const busiest: number[] = [];
    let tensorsBefore = 0;
    for (let call = 0; call < warmup + runs; call++) {
      if (call === warmup) tensorsBefore = tf.memory().numTensors;
      const cpuBefore = process.cpuUsage();
      const threadsBefore = threadCpuSnapshot();
      const decision = await agent.act(obs);
      if (call >= warmup) {
        const used = process.cpuUsage(cpuBefore);
        cpu.push((used.user + used.system) / 1000);
        busiest.push(busiestThreadMs(threadsBefore, threadCpuSnapshot()));
        times.push(decision.planMs);
        await options.afterRun?.();
      }
    }
    return { ms: median(times), runs: times, leakedTensors: (tf.memory().numTensors - tensorsBefore) / runs, cpuMs: median(cpu), busiestThreadMs: median(busiest) };
  } finally {
    await pooled?.dispose();
    model.dispose();
  }
}
