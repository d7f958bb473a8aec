import '@tensorflow/tfjs-backend-cpu';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TASK_IDS, makeMujocoEnv, taskFunctions, taskInfo } from '../../../src-main/mbrl/env';
import { Rng } from '../../../src-main/mbrl/util';
import { readModelXml } from './read-model';

beforeAll(async () => {
  await tf.setBackend('cpu'); // deterministic, needs no wasm files
});

/** Float32 agreement: the batched functions compute in float32, the per-step ones in float64. */
function expectClose(batched: number, perStep: number): void {
  expect(Math.abs(batched - perStep)).toBeLessThanOrEqual(1e-5 * Math.max(1, Math.abs(perStep)));
}

/**
 * Scores rows [n, obsDim] and actions [n, actDim] both ways and compares every row. Also checks that
 * the batched functions return float32 [n] tensors and leave no intermediate tensors behind.
 */
function compareBatchToPerStep(id: string, obs: Float32Array, act: Float32Array): void {
  const { obsDim, actDim } = taskInfo(id);
  const fns = taskFunctions(id);
  const n = obs.length / obsDim;
  const obsT = tf.tensor2d(obs, [n, obsDim]);
  const actT = tf.tensor2d(act, [n, actDim]);
  const before = tf.memory().numTensors;
  const rewardT = fns.rewardBatch(obsT, actT);
  const doneT = fns.terminatedBatch(obsT);
  expect(tf.memory().numTensors).toBe(before + 2); // just the two results
  expect(rewardT.shape).toEqual([n]);
  expect(doneT.shape).toEqual([n]);
  expect(rewardT.dtype).toBe('float32');
  expect(doneT.dtype).toBe('float32');
  const rewards = rewardT.dataSync();
  const done = doneT.dataSync();
  tf.dispose([obsT, actT, rewardT, doneT]);
  for (let i = 0; i < n; i++) {
    const o = obs.subarray(i * obsDim, (i + 1) * obsDim);
    const a = act.subarray(i * actDim, (i + 1) * actDim);
    expectClose(rewards[i], fns.reward(o, a));
    expect(done[i] === 0 || done[i] === 1).toBe(true);
    expect(done[i] === 1).toBe(fns.terminated(o));
  }
}

describe.each(TASK_IDS)('batched reward and termination of %s', (id) => {
  it('agree with the per-step functions on 256 random states and actions', () => {
    const { obsDim, actDim } = taskInfo(id);
    const rng = new Rng(2024);
    const n = 256;
    // Wide ranges on purpose: the formulas must agree everywhere, not only where episodes go.
    const obs = Float32Array.from({ length: n * obsDim }, () => rng.uniform(-4, 4));
    const act = Float32Array.from({ length: n * actDim }, () => rng.uniform(-1, 1));
    compareBatchToPerStep(id, obs, act);
  });

  it('agree with the rewards the real env paid along a rollout', async () => {
    const env = await makeMujocoEnv(id, readModelXml);
    const { obsDim, actDim } = taskInfo(id);
    const rng = new Rng(5);
    const steps = 120;
    const obs = new Float32Array(steps * obsDim);
    const act = new Float32Array(steps * actDim);
    const paid: number[] = [];
    try {
      env.reset(3);
      for (let t = 0; t < steps; t++) {
        // Some commands out of range: the env clips, and rewards are defined on the clipped action.
        const a = Float32Array.from({ length: actDim }, () => rng.uniform(-1.3, 1.3));
        const r = env.step(a);
        obs.set(r.obs, t * obsDim);
        act.set(a.map((x) => Math.min(1, Math.max(-1, x))), t * actDim);
        paid.push(r.reward);
        expect(r.terminated).toBe(false);
      }
    } finally {
      env.dispose();
    }
    const fns = taskFunctions(id);
    for (let t = 0; t < steps; t++) {
      expect(fns.reward(obs.subarray(t * obsDim, (t + 1) * obsDim), act.subarray(t * actDim, (t + 1) * actDim))).toBe(paid[t]);
    }
    compareBatchToPerStep(id, obs, act);
  });
});

describe('taskFunctions', () => {
  it('rejects unknown ids like the rest of the registry', () => {
    expect(() => taskFunctions('nope')).toThrow(/unknown task 'nope'/);
  });
});
