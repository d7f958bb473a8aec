import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { DynamicsModel } from '../../../src-main/mbrl/models';
import { CemOptimizer, MpcAgent, modelReturnObjective, type BatchedTaskFunctions } from '../../../src-main/mbrl/planning';
import { useCpuBackend } from '../tf-setup';

beforeAll(useCpuBackend);

/** The exact model of x′ = x + a (a 1-D integrator), as a DynamicsModel. */
const integrator: DynamicsModel = {
  obsDim: 1,
  actDim: 1,
  predict: (obs, act) => tf.add(obs, act) as tf.Tensor2D,
  fit: async () => ({ history: [], bestEpoch: 0 }),
  save: async () => ({ modelJson: {}, weightData: new ArrayBuffer(0) }),
  dispose: () => {},
};
/** Reward −x² after each step: the optimal control drives x to 0 as fast as the bound allows. */
const task: BatchedTaskFunctions = {
  rewardBatch: (next) => tf.neg(tf.sum(tf.square(next), 1)) as tf.Tensor1D,
  terminatedBatch: (next) => tf.zeros([next.shape[0]]) as tf.Tensor1D,
};
const bounds = { low: new Float32Array([-1]), high: new Float32Array([1]) };
const cem = (seed: number) => new CemOptimizer({ horizon: 6, population: 300, iterations: 5, eliteFraction: 0.1, alpha: 0.1, seed }, bounds);

describe('MpcAgent on a 1-D system with a known optimal control', () => {
  it('plans the bang-bang optimum: full force toward 0, then stop', async () => {
    const agent = new MpcAgent((obs) => modelReturnObjective(integrator, task, obs), cem(1), bounds, 1);
    const { action, plan, replanned } = await agent.act(new Float32Array([3]));
    expect(replanned).toBe(true);
    expect(action[0]).toBeLessThan(-0.95); // optimal: a = −1 for three steps
    expect(plan[1]).toBeLessThan(-0.9);
    expect(Math.abs(plan[4])).toBeLessThan(0.2); // then x = 0: stay
  });

  it('closed loop (replan every step) reaches the origin and stays', async () => {
    const agent = new MpcAgent((obs) => modelReturnObjective(integrator, task, obs), cem(2), bounds, 1);
    let x = 2.5;
    for (let t = 0; t < 8; t++) x += (await agent.act(new Float32Array([x]))).action[0];
    expect(Math.abs(x)).toBeLessThan(0.1);
  });

  it('replanEvery = H executes the whole plan open-loop', async () => {
    const agent = new MpcAgent((obs) => modelReturnObjective(integrator, task, obs), cem(3), bounds, 6);
    const first = await agent.act(new Float32Array([3]));
    let replans = 0;
    for (let t = 1; t < 6; t++) if ((await agent.act(new Float32Array([0]))).replanned) replans++;
    expect(replans).toBe(0);
    expect((await agent.act(new Float32Array([0]))).replanned).toBe(true);
    expect(first.planMs).toBeGreaterThan(0);
  });

  it('leaves no tensors behind across many planning calls', async () => {
    const agent = new MpcAgent((obs) => modelReturnObjective(integrator, task, obs), cem(4), bounds, 1);
    await agent.act(new Float32Array([1]));
    const before = tf.memory().numTensors;
    for (let i = 0; i < 20; i++) await agent.act(new Float32Array([i / 10]));
    expect(tf.memory().numTensors).toBe(before);
  });
});
