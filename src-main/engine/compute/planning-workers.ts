import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { PlanningPool } from './planning-pool';
import { PooledPlanning } from './pooled-planning';

/** A run spec's `compute.planningWorkers`: a count, or 'auto' for one per CPU core. */
export type PlanningWorkersSetting = number | 'auto';

/**
 * Most workers 'auto' starts: each holds its own wasm instance and copy of the weights (tens of MB),
 * and past a handful the per-iteration hand-off costs more than the extra cores win at planning sizes.
 */
export const AUTO_PLANNING_WORKERS_MAX = 8;

/**
 * Worker threads for a setting: 'auto' = the CPU cores of this machine (at most
 * {@link AUTO_PLANNING_WORKERS_MAX}); 1 means plan on the calling thread.
 */
export function planningWorkerCount(setting: PlanningWorkersSetting): number {
  return setting === 'auto' ? Math.max(1, Math.min(AUTO_PLANNING_WORKERS_MAX, availableParallelism())) : setting;
}

/**
 * The backend the planning workers load, the one in use here, when a pool helps it: 'wasm' and 'cpu'
 * compute on one thread, so more threads mean more cores at work. Null for the others (native
 * TensorFlow already uses every core; a GPU backend would open one device context per worker): they
 * plan on the engine's thread.
 */
export function poolBackend(): 'wasm' | 'cpu' | null {
  const name = tf.getBackend();
  return name === 'wasm' || name === 'cpu' ? name : null;
}

/** A pool and the planning compute that uses it; `dispose` ends both. */
export interface PooledCompute {
  compute: PooledPlanning;
  pool: PlanningPool;
  dispose(): Promise<void>;
}

/** Starts `workers` planning threads for `task`, each loading `backend` (see {@link poolBackend}). */
export async function startPooledPlanning(workers: number, task: string, backend: 'wasm' | 'cpu'): Promise<PooledCompute> {
  const pool = await PlanningPool.create({ workers, task, backend });
  return { pool, compute: new PooledPlanning(pool), dispose: () => pool.dispose() };
}
