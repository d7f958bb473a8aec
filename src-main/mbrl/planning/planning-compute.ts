import type { EnsembleModel } from '../models/ensemble-dynamics-model';
import type { Rng } from '../util';
import { modelReturnObjective, type BatchedTaskFunctions } from './model-rollout';
import type { PlanningObjective } from './optimizer';
import { particleReturnObjective, type ParticleSettings } from './particle-objective';

/**
 * Where planning objectives are computed. The library plans on this thread ({@link serialPlanning});
 * an entry point may inject another implementation (the engine's pool of worker threads) that returns
 * exactly the same scores for the same seed, so the choice changes speed, never plans.
 */
export interface PlanningCompute {
  /** Called after each fit: the model planning uses from now on (copy it wherever planning runs). */
  syncModel(model: EnsembleModel): Promise<void>;
  /** "Return under the model" from obs0 [D] (see modelReturnObjective). */
  modelReturn(model: EnsembleModel, task: BatchedTaskFunctions, obs0: Float32Array): PlanningObjective;
  /** Return over particles from obs0 [D] (see particleReturnObjective); draws from `rng` in the same order. */
  particleReturn(model: EnsembleModel, task: BatchedTaskFunctions, obs0: Float32Array, settings: ParticleSettings, rng: Rng): PlanningObjective;
}

/** Planning on the calling thread with the library's own objectives. */
export const serialPlanning: PlanningCompute = {
  syncModel: async () => {},
  modelReturn: modelReturnObjective,
  particleReturn: particleReturnObjective,
};
