/**
 * A soak of 200 pooled planning calls (CEM through a probabilistic ensemble with TS∞ particles, the
 * weights refreshed every 50 calls as after a fit): the tensors held by each worker and by this
 * thread stay flat, and the process heap and RSS stay bounded.
 */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { taskFunctions } from '../../../src-main/mbrl/env';
import { EnsembleDynamicsModel } from '../../../src-main/mbrl/models';
import { CemOptimizer } from '../../../src-main/mbrl/planning';
import { Rng } from '../../../src-main/mbrl/util';
import { chooseBackend } from '../../../src-main/engine/tf-backend';
import { livePlanningWorkers, PlanningPool } from '../../../src-main/engine/compute/planning-pool';
import { PooledPlanning } from '../../../src-main/engine/compute/pooled-planning';

let pool: PlanningPool;
let model: EnsembleDynamicsModel;

beforeAll(async () => {
  await chooseBackend('wasm');
  model = EnsembleDynamicsModel.create({ obsDim: 4, actDim: 1, angleDims: [1], hidden: [16, 16], activation: 'swish', members: 2, probabilistic: true, sampling: 'shuffle', elites: 2, seed: 1 });
  pool = await PlanningPool.create({ workers: 2, task: 'cartpole', backend: 'wasm' });
});

afterAll(async () => {
  await pool.dispose();
  model.dispose();
  expect(livePlanningWorkers()).toBe(0);
});

it('200 planning calls keep tensors flat in every worker and memory bounded', async () => {
  const pooled = new PooledPlanning(pool);
  const task = taskFunctions('cartpole');
  const bounds = { low: Float32Array.of(-1), high: Float32Array.of(1) };
  const optimizer = new CemOptimizer({ horizon: 5, population: 20, iterations: 2, eliteFraction: 0.2, alpha: 0.1, seed: 2 }, bounds);
  const settings = { particles: 4, propagation: 'tsinf' as const, sample: true, objective: 'expected' as const, riskK: 1 };
  const rng = new Rng(3);
  let plan: Float32Array = new Float32Array(5);
  let workerTensors: number[] = [];
  let mainTensors = 0;
  let heap = 0;
  let rss = 0;
  for (let call = 0; call < 200; call++) {
    if (call % 50 === 0) await pooled.syncModel(model);
    const obs = Float32Array.of(Math.sin(call), Math.PI - 0.01 * call, 0, 0);
    plan = await optimizer.optimize(pooled.particleReturn(model, task, obs, settings, rng), plan);
    if (call === 19) {
      workerTensors = await pool.workerTensors();
      mainTensors = tf.memory().numTensors;
      heap = process.memoryUsage().heapUsed;
      rss = process.memoryUsage().rss;
    }
    if (call >= 19 && call % 30 === 0) expect(await pool.workerTensors()).toEqual(workerTensors);
  }
  expect(await pool.workerTensors()).toEqual(workerTensors);
  expect(workerTensors.every((n) => n > 0)).toBe(true); // each holds its model's variables, nothing more
  expect(tf.memory().numTensors).toBe(mainTensors);
  expect(process.memoryUsage().heapUsed - heap).toBeLessThan(40 * 2 ** 20);
  expect(process.memoryUsage().rss - rss).toBeLessThan(120 * 2 ** 20);
  expect(plan.every(Number.isFinite)).toBe(true);
}, 240_000);
