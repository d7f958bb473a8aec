import { CemOptimizer } from './cem-optimizer';
import { MppiOptimizer } from './mppi-optimizer';
import type { ActionBounds, Optimizer } from './optimizer';
import { RandomShootingOptimizer } from './random-shooting-optimizer';

/** Optimizer settings as in a run spec's `optimizer` section. */
export interface OptimizerSettings {
  kind: 'cem' | 'random-shooting' | 'mppi';
  population: number;
  iterations: number;
  eliteFraction: number;
  alpha: number;
  temperature: number;
  noiseStd: number;
  beta: number;
}

/** Builds the optimizer a spec names. */
export function createOptimizer(settings: OptimizerSettings, horizon: number, bounds: ActionBounds, seed: number): Optimizer {
  const { population } = settings;
  switch (settings.kind) {
    case 'cem':
      return new CemOptimizer({ horizon, population, iterations: settings.iterations, eliteFraction: settings.eliteFraction, alpha: settings.alpha, seed }, bounds);
    case 'random-shooting':
      return new RandomShootingOptimizer({ horizon, population, seed }, bounds);
    case 'mppi':
      return new MppiOptimizer({ horizon, population, iterations: settings.iterations, temperature: settings.temperature, noiseStd: settings.noiseStd, beta: settings.beta, seed }, bounds);
  }
}
