import type { FitOptions } from '../models/dynamics-model';
import type { Activation } from '../models/mlp';
import type { OptimizerSettings } from '../planning/create-optimizer';
import type { ParticleSettings } from '../planning/particle-objective';
import type { MemberSampling } from '../models/fit-regression';

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
  /** Architecture and fitting (the fit's seed is derived from `seed`). */
  model: Omit<FitOptions, 'seed'> & {
    hidden: number[];
    activation: Activation;
    members: number;
    probabilistic: boolean;
    sampling: MemberSampling;
    /** Default: all members. */
    elites?: number;
  };
  optimizer: OptimizerSettings;
  mpc: { horizon: number; replanEvery: number };
  /** Particle planning, used when the model is an ensemble or probabilistic. */
  uncertainty: ParticleSettings;
}
