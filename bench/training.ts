/**
 * Training throughput of the dynamics model: transitions per second through minibatch Adam steps of
 * EnsembleDynamicsModel.fit (the cart-pole MLP 6 → 3×200 swish → 4, batch 256, Adam lr 1e-3, weight decay
 * 5e-5, no validation split) on n real cart-pole transitions (default 10 000: 39 steps an epoch).
 * bench/reference/train_step.py is the same computation in PyTorch.
 * Importing this file does nothing; call benchTraining() after choosing a tfjs backend.
 */
import type { TransitionBatch } from '../src-main/mbrl/data';
import { EnsembleDynamicsModel } from '../src-main/mbrl/models';
import { median } from './bench-result';

/** The fixed reference size. */
export const TRAINING_SHAPES = Object.freeze({
  hidden: [200, 200, 200] as readonly number[],
  batchSize: 256,
  learningRate: 1e-3,
  weightDecay: 5e-5,
});

export interface TrainingBenchOptions {
  /** Timed epochs (default 5); the result is their median. */
  epochs?: number;
  /** Untimed epochs first (default 1; the first also includes fit's setup). */
  warmup?: number;
  /** Called after each timed epoch, outside its time (the suite runs one reference epoch there). */
  afterRun?: () => Promise<void>;
  shapes?: Partial<typeof TRAINING_SHAPES>;
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
  const model = EnsembleDynamicsModel.create({ members: 1, probabilistic: false, sampling: 'shuffle', elites: 1,  obsDim: data.obsDim, actDim: data.actDim, angleDims: [1], hidden: [...s.hidden], activation: 'swish', seed: 0 });
  try {
    const runs: number[] = [];
    let resumed = 0;
    await model.fit(
      data,
      { epochs: warmup + epochs, batchSize: s.batchSize, learningRate: s.learningRate, weightDecay: s.weightDecay, valFraction: 0, patience: warmup + epochs, seed: 0 },
      async ({ epoch }) => {
        if (epoch > warmup) {
          runs.push(performance.now() - resumed);
          await options.afterRun?.();
        }
        resumed = performance.now();
      },
    );
    const epochMs = median(runs);
    const batchSize = Math.min(s.batchSize, data.size);
    const steps = Math.floor(data.size / batchSize);
    return { epochMs, runs, steps, batchSize, transitionsPerSecond: (steps * batchSize) / (epochMs / 1000), stepMs: epochMs / steps };
  } finally {
    model.dispose();
  }
}
