import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransitionBuffer } from '../../../src-main/mbrl/data';
import { taskFunctions } from '../../../src-main/mbrl/env';
import { EnsembleDynamicsModel } from '../../../src-main/mbrl/models';
import { CemOptimizer, evaluate, modelReturnObjective, particleReturnObjective, type ParticleSettings, type PlanningObjective } from '../../../src-main/mbrl/planning';
import { Rng } from '../../../src-main/mbrl/util';
import { chooseBackend } from '../../../src-main/engine/tf-backend';
import { livePlanningWorkers, PlanningPool } from '../../../src-main/engine/compute/planning-pool';
import { PooledPlanning } from '../../../src-main/engine/compute/pooled-planning';

const task = taskFunctions('cartpole');
const bounds = { low: Float32Array.of(-1), high: Float32Array.of(1) };
const obs0 = Float32Array.of(0.1, Math.PI - 0.2, 0.3, -0.4);

/** Random cart-pole-shaped transitions, so the normalizers and weights are not trivial. */
function transitions(n: number, seed: number) {
  const rng = new Rng(seed);
  const buffer = new TransitionBuffer(4, 1);
  for (let i = 0; i < n; i++) {
    const obs = Float32Array.from({ length: 4 }, () => rng.normal() * 2);
    const act = Float32Array.of(rng.uniform(-1, 1));
    const next = obs.map((v, d) => v + 0.05 * (d + 1) * act[0] + 0.01 * rng.normal());
    buffer.add(obs, act, next, rng.normal(), false);
  }
  return buffer.view();
}

async function fitted(members: number, probabilistic: boolean): Promise<EnsembleDynamicsModel> {
  const model = EnsembleDynamicsModel.create({ obsDim: 4, actDim: 1, angleDims: [1], hidden: [24, 24], activation: 'swish', members, probabilistic, sampling: 'shuffle', elites: members, seed: 3 });
  await model.fit(transitions(300, 1), { epochs: 2, batchSize: 64, learningRate: 1e-3, weightDecay: 5e-5, valFraction: 0, patience: 1, seed: 0 });
  return model;
}

const cem = () => new CemOptimizer({ horizon: 6, population: 37, iterations: 3, eliteFraction: 0.2, alpha: 0.1, seed: 11 }, bounds);

describe('pooled planning', () => {
  beforeAll(async () => {
    await chooseBackend('wasm');
  });
  afterAll(() => expect(livePlanningWorkers()).toBe(0));

  it('returns exactly what the serial single-model objective returns', async () => {
    const model = await fitted(1, false);
    const pool = await PlanningPool.create({ workers: 2, task: 'cartpole', backend: 'wasm' });
    try {
      const pooled = new PooledPlanning(pool);
      await pooled.syncModel(model);
      const samples = Float32Array.from({ length: 37 * 6 }, (_, i) => Math.sin(i * 1.7));
      const serial = await evaluate(modelReturnObjective(model, task, obs0), samples, 37, 6, 1);
      const parallel = await evaluate(pooled.modelReturn(model, task, obs0), samples, 37, 6, 1);
      expect(Array.from(parallel)).toEqual(Array.from(serial));
      const planSerial = await cem().optimize(modelReturnObjective(model, task, obs0), new Float32Array(6));
      const planPooled = await cem().optimize(pooled.modelReturn(model, task, obs0), new Float32Array(6));
      expect(Array.from(planPooled)).toEqual(Array.from(planSerial));
    } finally {
      await pool.dispose();
      model.dispose();
    }
    expect(livePlanningWorkers()).toBe(0);
  });

  it('returns exactly what the serial TS∞ particle objective returns (PETS: probabilistic ensemble, sampled s′)', async () => {
    const model = await fitted(3, true);
    const settings: ParticleSettings = { particles: 6, propagation: 'tsinf', sample: true, objective: 'pessimistic', riskK: 1 };
    for (const workers of [2, 3]) {
      const pool = await PlanningPool.create({ workers, task: 'cartpole', backend: 'wasm' });
      try {
        const pooled = new PooledPlanning(pool);
        await pooled.syncModel(model);
        const samples = Float32Array.from({ length: 37 * 6 }, (_, i) => Math.cos(i * 0.9));
        const serialRng = new Rng(5);
        const pooledRng = new Rng(5);
        const serialObjective = particleReturnObjective(model, task, obs0, settings, serialRng);
        const pooledObjective: PlanningObjective = pooled.particleReturn(model, task, obs0, settings, pooledRng);
        expect('evaluateBatch' in pooledObjective).toBe(true);
        for (let call = 0; call < 2; call++) {
          const serial = await evaluate(serialObjective, samples, 37, 6, 1);
          const parallel = await evaluate(pooledObjective, samples, 37, 6, 1);
          expect(Array.from(parallel)).toEqual(Array.from(serial));
          expect(new Set(serial).size).toBeGreaterThan(30); // the candidates really differ
        }
        // Both consumed the same random numbers.
        expect(pooledRng.nextUint32()).toBe(serialRng.nextUint32());
        const planSerial = await cem().optimize(particleReturnObjective(model, task, obs0, settings, new Rng(9)), new Float32Array(6));
        const planPooled = await cem().optimize(pooled.particleReturn(model, task, obs0, settings, new Rng(9)), new Float32Array(6));
        expect(Array.from(planPooled)).toEqual(Array.from(planSerial));
      } finally {
        await pool.dispose();
      }
    }
    model.dispose();
  });

  it('refreshes the workers\' weights after a fit', async () => {
    const model = await fitted(1, false);
    const pool = await PlanningPool.create({ workers: 2, task: 'cartpole', backend: 'wasm' });
    try {
      const pooled = new PooledPlanning(pool);
      await pooled.syncModel(model);
      const samples = Float32Array.from({ length: 8 * 6 }, (_, i) => Math.sin(i));
      const before = await evaluate(pooled.modelReturn(model, task, obs0), samples, 8, 6, 1);
      await model.fit(transitions(300, 2), { epochs: 3, batchSize: 32, learningRate: 1e-2, weightDecay: 0, valFraction: 0, patience: 1, seed: 1 });
      await pooled.syncModel(model);
      const serial = await evaluate(modelReturnObjective(model, task, obs0), samples, 8, 6, 1);
      const after = await evaluate(pooled.modelReturn(model, task, obs0), samples, 8, 6, 1);
      expect(Array.from(after)).toEqual(Array.from(serial));
      expect(Array.from(after)).not.toEqual(Array.from(before));
    } finally {
      await pool.dispose();
      model.dispose();
    }
  });

  it('terminates every worker on dispose, rejecting what was still in flight', async () => {
    const model = await fitted(2, true);
    const before = livePlanningWorkers();
    const pool = await PlanningPool.create({ workers: 2, task: 'cartpole', backend: 'wasm' });
    expect(livePlanningWorkers()).toBe(before + 2);
    const pooled = new PooledPlanning(pool);
    await pooled.syncModel(model);
    const settings: ParticleSettings = { particles: 4, propagation: 'tsinf', sample: true, objective: 'expected', riskK: 1 };
    const inFlight = evaluate(pooled.particleReturn(model, task, obs0, settings, new Rng(1)), new Float32Array(200 * 10), 200, 10, 1);
    const disposed = pool.dispose();
    await expect(inFlight).rejects.toThrow(/planning worker exited|already disposed/);
    await disposed;
    expect(livePlanningWorkers()).toBe(before);
    await expect(pool.workerTensors()).rejects.toThrow(/disposed/);
    model.dispose();
  });
});
