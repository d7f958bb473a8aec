import type { Activation } from '../models/mlp';
import type { OptimizerSettings } from '../planning/create-optimizer';

/** The lecture's algorithms, plus the random baseline. */
export type AlgorithmName = 'random' | 'v0.5' | 'v1.0' | 'v1.5';

/**
 * Everything an experiment needs to know (the validated run spec; see protocol/run-spec.ts for the
 * documented fields and defaults — that schema produces exactly this shape).
 */
export interface ExperimentConfig {
  task: string;
  algorithm: AlgorithmName;
  episodes: number;
  initialEpisodes: number;
  seed: number;
  model: {
    hidden: number[];
    activation: Activation;
    epochs: number;
    batchSize: number;
    learningRate: number;
    weightDecay: number;
    valFraction: number;
    patience: number;
  };
  optimizer: OptimizerSettings;
  mpc: { horizon: number; replanEvery: number };
}
