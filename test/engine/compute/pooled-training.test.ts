import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { TransitionBuffer } from '../../../src-main/mbrl/data';
import { EnsembleDynamicsModel, type EnsembleConfig } from '../../../src-main/mbrl/models';
import { Rng } from '../../../src-main/mbrl/util';
import { chooseBackend } from '../../../src-main/engine/tf-backend';
import { liveTrainingWorkers, TrainingPool } from '../../../src-main/engine/compute/training-pool';
import { pooledMemberTraining, trainingWorkerCount } from '../../../src-main/engine/compute/pooled-training';
import { parseWith, RunSpec } from '../../../src-main/protocol';

/** Random cart-pole-shaped transitions, so the normalizers and weights are not trivial. */
function transitions(n: number, seed: number) {
  const rng = new Rng(seed);
  const buffer = new TransitionBuffer(4, 1);
  for (let i = 0; i < n; i++) {
    const obs = Float32Array.from({ length: 4 }, () => rng.normal() * 2);
    const act = Float32Array.of(rng.uniform(-1, 1));
    const next = obs.map((v, d) => v + 0.05 * (d + 1) * act[0] + 0.01 * rng.normal());
    buffer.add(obs, act, next, 0, false);
  }
  return buffer.view();
}

const config: EnsembleConfig = { obsDim: 4, actDim: 1, angleDims: [1], hidden: [16, 16], activation: 'swish', members: 3, probabilistic: true, sampling: 'bootstrap', elites: 2, seed: 3 };
// A validation split and a patience shorter than the epochs, so keeping and restoring the best weights happens.
const fit = { epochs: 6, batchSize: 32, learningRate: 3e-3, weightDecay: 5e-5, valFraction: 0.2, patience: 2, seed: 4 };

async function weightBytes(model: EnsembleDynamicsModel): Promise<number[]> {
  return Array.from(new Uint8Array((await model.save()).weightData));
}

describe('pooled training (members on worker threads)', () => {
  beforeAll(async () => {
    await chooseBackend('wasm');
  });
  afterAll(() => expect(liveTrainingWorkers()).toBe(0));

  it('fits exactly what the serial fit does for the same seed (groups of 2 + 1 members on 2 workers)', async () => {
    const data = transitions(400, 1);
    const serial = EnsembleDynamicsModel.create(config);
    const pooled = EnsembleDynamicsModel.create(config);
    const pool = await TrainingPool.create({ workers: 2, backend: 'wasm' });
    try {
      expect(liveTrainingWorkers()).toBe(2);
      const a = await serial.fit(data, fit);
      pooled.trainingCompute = pooledMemberTraining(pool);
      const b = await pooled.fit(data, fit);
      expect(b.history).toEqual(a.history);
      expect(b.bestEpoch).toEqual(a.bestEpoch);
      expect(b.memberValLoss).toEqual(a.memberValLoss);
      expect(pooled.eliteIndices).toEqual(serial.eliteIndices);
      expect(await weightBytes(pooled)).toEqual(await weightBytes(serial));
      // Not vacuous: training moved the weights, and the run stopped on the validation loss.
      const fresh = EnsembleDynamicsModel.create(config);
      expect(await weightBytes(fresh)).not.toEqual(await weightBytes(serial));
      fresh.dispose();
      expect(a.history.length).toBeGreaterThan(1);
      // Every worker freed its group.
      expect(await pool.workerTensors()).toEqual([0, 0]);
    } finally {
      serial.dispose();
      pooled.dispose();
      await pool.dispose();
    }
    expect(liveTrainingWorkers()).toBe(0);
  }, 180_000);

  it('keeps memory flat over repeated fits (main thread and workers) and stops on cancel', async () => {
    const data = transitions(200, 2);
    const pool = await TrainingPool.create({ workers: 2, backend: 'wasm' });
    const model = EnsembleDynamicsModel.create({ ...config, hidden: [8] });
    model.trainingCompute = pooledMemberTraining(pool);
    try {
      await model.fit(data, { ...fit, epochs: 2 });
      const before = tf.memory().numTensors;
      for (let i = 0; i < 10; i++) await model.fit(data, { ...fit, epochs: 2, seed: i });
      expect(tf.memory().numTensors).toBe(before);
      expect(await pool.workerTensors()).toEqual([0, 0]);
      // Cancel after the first epoch: the fit returns with one epoch and the workers end their groups.
      const abort = new AbortController();
      const result = await model.fit(data, { ...fit, epochs: 5, patience: 5 }, () => abort.abort(), abort.signal);
      expect(result.history.length).toBe(1);
      expect(await pool.workerTensors()).toEqual([0, 0]);
    } finally {
      model.dispose();
      await pool.dispose();
    }
    expect(liveTrainingWorkers()).toBe(0);
  }, 180_000);

  it('rejects a fit when the pool is disposed under it, leaving no threads', async () => {
    const pool = await TrainingPool.create({ workers: 2, backend: 'wasm' });
    const model = EnsembleDynamicsModel.create(config);
    model.trainingCompute = pooledMemberTraining(pool);
    try {
      const fitting = model.fit(transitions(200, 3), { ...fit, epochs: 50, patience: 50 }, async ({ epoch }) => {
        if (epoch === 1) void pool.dispose();
      });
      await expect(fitting).rejects.toThrow(/training (worker exited|pool: already disposed)/);
    } finally {
      model.dispose();
      await pool.dispose();
    }
    expect(liveTrainingWorkers()).toBe(0);
  }, 120_000);

  it('rejects a pool of no workers', async () => {
    await expect(TrainingPool.create({ workers: 0, backend: 'wasm' })).rejects.toThrow(/workers must be an integer ≥ 1, got 0/);
  });
});

describe('compute.trainingWorkers', () => {
  it("defaults to 'auto': one worker per core, never more than the members; 1 fits on the calling thread", () => {
    expect(RunSpec.parse({ task: 'cartpole' }).compute).toEqual({ planningWorkers: 'auto', trainingWorkers: 'auto' });
    expect(RunSpec.parse({ task: 'cartpole', compute: { trainingWorkers: 3 } }).compute.trainingWorkers).toBe(3);
    expect(trainingWorkerCount('auto', 64)).toBe(Math.min(8, availableParallelism()));
    expect(trainingWorkerCount(4, 5)).toBe(4);
    expect(trainingWorkerCount(4, 3)).toBe(3);
    expect(trainingWorkerCount('auto', 1)).toBe(1);
    expect(trainingWorkerCount(1, 5)).toBe(1);
  });

  it('rejects a count that is not a whole number from 1 to 64, naming the field', () => {
    for (const bad of [0, 1.5, 65, 'all', null]) {
      const parsed = parseWith(RunSpec, { task: 'cartpole', compute: { trainingWorkers: bad } });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toContain('compute.trainingWorkers');
    }
  });
});
