/**
 * Training throughput of the dynamics model: transitions per second through minibatch Adam steps of
 * EnsembleDynamicsModel.fit (the cart-pole MLP 6 → 3×200 swish → 4, batch 256, Adam lr 1e-3, weight decay
 * 5e-5, no validation split) on n real cart-pole transitions (default 10 000: 39 steps an epoch).
 * Two shapes: one deterministic member (the lecture's MLP, TRAINING_SHAPES) and the PETS ensemble of
 * issue 8 (ENSEMBLE_TRAINING_SHAPES: 5 probabilistic members, 6 → 3×200 → 8, each with its own
 * shuffle, one Adam step on the summed Gaussian NLL + bounds penalty + weight decay).
 * bench/reference/train_step.py is the same computation in PyTorch (--members 5 --probabilistic).
 * Importing this file does nothing; call benchTraining() after choosing a tfjs backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TransitionBatch } from '../src-main/mbrl/data';
import { EnsembleDynamicsModel } from '../src-main/mbrl/models';
import { poolBackend } from '../src-main/engine/compute/planning-workers';
import { startPooledTraining, type PooledTraining } from '../src-main/engine/compute/pooled-training';
import { median } from './bench-result';
import { busiestThreadMs, threadCpuSnapshot } from './thread-cpu';

/** What a training benchmark trains: network, minibatch, Adam, members. */
export interface TrainingShapes {
  hidden: readonly number[];
  batchSize: number;
  learningRate: number;
  weightDecay: number;
  members: number;
  probabilistic: boolean;
}

/** The fixed reference size. */
export const TRAINING_SHAPES: Readonly<TrainingShapes> = Object.freeze({
  hidden: [200, 200, 200] as readonly number[],
  batchSize: 256,
  learningRate: 1e-3,
  weightDecay: 5e-5,
  members: 1,
  probabilistic: false,
});

/** Issue 8's ensemble training step: the PETS preset's model (5 probabilistic members, 3×200). */
export const ENSEMBLE_TRAINING_SHAPES: Readonly<TrainingShapes> = Object.freeze({ ...TRAINING_SHAPES, members: 5, probabilistic: true });

export interface TrainingBenchOptions {
  /** Timed epochs (default 5); the result is their median. */
  epochs?: number;
  /** Untimed epochs first (default 1; the first also includes fit's setup). */
  warmup?: number;
  /** Called after each timed epoch, outside its time (the suite runs one reference epoch there). */
  afterRun?: () => Promise<void>;
  shapes?: Partial<TrainingShapes>;
  /** Training worker threads (engine/compute/training-pool.ts) for the members; 1 (default): this thread. */
  workers?: number;
}

/** What benchTraining measured: median ms per epoch, each timed epoch, gradient steps per epoch. */
export interface TrainingMeasurement {
  epochMs: number;
  runs: number[];
  steps: number;
  batchSize: number;
  /** Transitions through gradient steps per second: steps × batchSize / epoch seconds. */
  transitionsPerSecond: number;
  /** ms per gradient step: epoch ms / steps. */
  stepMs: number;
  /** Median CPU time per gradient step over all threads of the process, ms. */
  stepCpuMs: number;
  /** Median CPU time per gradient step of the busiest thread, ms (NaN where not measurable). */
  stepBusiestThreadMs: number;
}

/**
 * Fits a fresh model for warmup + epochs epochs and times each epoch from one onEpoch report to the
 * next (so an epoch includes everything fit does per epoch: shuffling, the steps, the one loss
 * read-back, the yield to the event loop), less the time spent in afterRun.
 */
export async function benchTraining(data: TransitionBatch, options: TrainingBenchOptions = {}): Promise<TrainingMeasurement> {
  const s = { ...TRAINING_SHAPES, ...options.shapes };
  const epochs = options.epochs ?? 5;
  const warmup = Math.max(1, options.warmup ?? 1);
  const workers = options.workers ?? 1;
  const backend = poolBackend();
  if (workers > 1 && !backend) throw new Error(`training workers: not for the ${tf.getBackend()} backend (wasm and cpu only)`);
  const pooled: PooledTraining | null = workers > 1 ? await startPooledTraining(workers, backend!) : null;
  const model = EnsembleDynamicsModel.create({ members: s.members, probabilistic: s.probabilistic, sampling: 'shuffle', elites: s.members, obsDim: data.obsDim, actDim: data.actDim, angleDims: [1], hidden: [...s.hidden], activation: 'swish', seed: 0 });
  model.trainingCompute = pooled?.compute ?? null;
  try {
    const runs: number[] = [];
    const cpu: number[] = [];
    const busiest: number[] = [];
    let resumed = 0;
    let cpuAt = process.cpuUsage();
    let threadsAt = threadCpuSnapshot();
    await model.fit(
      data,
      { epochs: warmup + epochs, batchSize: s.batchSize, learningRate: s.learningRate, weightDecay: s.weightDecay, valFraction: 0, patience: warmup + epochs, seed: 0 },
      async ({ epoch }) => {
        if (epoch > warmup) {
          runs.push(performance.now() - resumed);
          const used = process.cpuUsage(cpuAt);
          cpu.push((used.user + used.system) / 1000);
          busiest.push(busiestThreadMs(threadsAt, threadCpuSnapshot()));
          await options.afterRun?.();
        }
        resumed = performance.now();
        cpuAt = process.cpuUsage();
        threadsAt = threadCpuSnapshot();
      },
    );
    const epochMs = median(runs);
    const batchSize = Math.min(s.batchSize, data.size);
    const steps = Math.floor(data.size / batchSize);
    return {
      epochMs,
      runs,
      steps,
      batchSize,
      transitionsPerSecond: (steps * batchSize) / (epochMs / 1000),
      stepMs: epochMs / steps,
      stepCpuMs: median(cpu) / steps,
      stepBusiestThreadMs: median(busiest) / steps,
    };
  } finally {
    model.dispose();
    await pooled?.dispose();
  }
}
