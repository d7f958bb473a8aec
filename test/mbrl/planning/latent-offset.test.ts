/**
 * Offset-free latent MPC: the estimator's offset is the model's steady one-step error, gated by the
 * learned reward, and a closed loop on a system with a steady disturbance the model lacks settles on the
 * goal with the correction and off it without.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { LatentModel } from '../../../src-main/mbrl/models/latent';
import { CemOptimizer, LatentOffsetEstimator, MpcAgent, latentObjectiveAt } from '../../../src-main/mbrl/planning';
import { useWasmBackend } from '../models/latent/latent-test-setup';

beforeAll(useWasmBackend);

/**
 * A known latent system for the planner: the "image" is the 2-D code itself, the model's step is
 * z' = z + 0.1·a and its reward −‖z‖². What a trained model would be, minus the training.
 */
function integratorModel(): LatentModel {
  return {
    kind: 'deterministic',
    imageShape: [1, 2, 1],
    actDim: 2,
    latentDim: 2,
    hasReward: true,
    termNames: [],
    encode: (images) => tf.clone(images),
    decode: (z) => tf.clone(z),
    step: (z, a) => tf.tidy(() => tf.add(z, tf.mul(0.1, a))),
    reward: (z) => tf.tidy(() => tf.neg(tf.sum(tf.square(z), 1)) as tf.Tensor1D),
    fit: () => Promise.reject(new Error('not trainable')),
    save: () => Promise.reject(new Error('not savable')),
    dispose: () => {},
  };
}

/** The true system: the model's step plus a steady drift (a push the model never learned). */
const DRIFT = [0.06, -0.04];
const trueStep = (z: readonly number[], a: Float32Array) => [z[0] + 0.1 * a[0] + DRIFT[0], z[1] + 0.1 * a[1] + DRIFT[1]];

describe('LatentOffsetEstimator', () => {
  it('offers nothing on the first step, then the one-step error itself (smoothing 0) times the gain', () => {
    const est = new LatentOffsetEstimator(integratorModel(), { smoothing: 0, gain: 0.5 });
    expect(est.observe(Float32Array.of(0.2, 0.2))).toBeNull();
    const a = Float32Array.of(1, -1);
    est.executed(a);
    const next = trueStep([0.2, 0.2], a);
    const offset = est.observe(Float32Array.from(next))!;
    expect(offset[0]).toBeCloseTo(0.5 * DRIFT[0], 5);
    expect(offset[1]).toBeCloseTo(0.5 * DRIFT[1], 5);
    expect(est.current[0]).toBeCloseTo(DRIFT[0], 5);
  });

  it('smooths: after k steps of a steady error e the estimate is (1 − β^k)·e', () => {
    const est = new LatentOffsetEstimator(integratorModel(), { smoothing: 0.5, gain: 1 });
    let z = [0, 0];
    est.observe(Float32Array.from(z));
    for (let k = 1; k <= 3; k++) {
      const a = Float32Array.of(0.3, 0.1);
      est.executed(a);
      z = trueStep(z, a);
      est.observe(Float32Array.from(z));
      expect(est.current[0]).toBeCloseTo((1 - 0.5 ** k) * DRIFT[0], 5);
      expect(est.current[1]).toBeCloseTo((1 - 0.5 ** k) * DRIFT[1], 5);
    }
  });

  it('estimates and applies the offset only while the learned reward of the current code is above whenRewardAbove, from zero each time the gate opens', () => {
    const est = new LatentOffsetEstimator(integratorModel(), { smoothing: 0, gain: 1, whenRewardAbove: -0.5 });
    const step = (z: number[], a: Float32Array) => {
      est.executed(a);
      return trueStep(z, a);
    };
    let z = [1, 1]; // r̂ = −2: far from the goal
    est.observe(Float32Array.from(z));
    z = step(z, Float32Array.of(-1, -1));
    expect(est.observe(Float32Array.from(z))).toBeNull();
    expect(Array.from(est.current)).toEqual([0, 0]);
    z = step(z, Float32Array.of(-8, -8)); // lands where r̂ > −0.5: the gate opens, and this step's error is learned
    const offset = est.observe(Float32Array.from(z))!;
    expect(offset[0]).toBeCloseTo(DRIFT[0], 5);
    expect(offset[1]).toBeCloseTo(DRIFT[1], 5);
    z = step(z, Float32Array.of(8, 8)); // back out: closed again, and the estimate is dropped
    expect(est.observe(Float32Array.from(z))).toBeNull();
    expect(Array.from(est.current)).toEqual([0, 0]);
  });

  it('refuses settings that cannot work, naming the field', () => {
    expect(() => new LatentOffsetEstimator(integratorModel(), { smoothing: 1, gain: 1 })).toThrow(/offsetCorrection\.smoothing/);
    expect(() => new LatentOffsetEstimator(integratorModel(), { smoothing: 0.5, gain: Number.NaN })).toThrow(/offsetCorrection\.gain/);
    expect(() => new LatentOffsetEstimator({ ...integratorModel(), kind: 'e2c', hasReward: false }, { smoothing: 0.5, gain: 1, whenRewardAbove: 0 })).toThrow(/whenRewardAbove/);
    const est = new LatentOffsetEstimator(integratorModel(), { smoothing: 0, gain: 1 });
    expect(() => est.observe(Float32Array.of(1, 2, 3))).toThrow(/3 dims/);
  });
});

describe('offset-free latent MPC in a closed loop', () => {
  /** Final distance to the goal (the origin) after 25 steps of CEM MPC on the learned reward from z = (0.8, −0.6). */
  async function settle(offsets?: LatentOffsetEstimator): Promise<number> {
    const model = integratorModel();
    const bounds = { low: Float32Array.of(-1, -1), high: Float32Array.of(1, 1) };
    const optimizer = new CemOptimizer({ horizon: 5, population: 200, iterations: 4, eliteFraction: 0.1, alpha: 0.1, seed: 3 }, bounds);
    const agent = new MpcAgent(latentObjectiveAt(model, undefined, offsets), optimizer, bounds, 1);
    let z = [0.8, -0.6];
    for (let t = 0; t < 25; t++) {
      const { action } = await agent.act(Float32Array.from(z));
      offsets?.executed(action);
      z = trueStep(z, action);
    }
    return Math.hypot(z[0], z[1]);
  }

  it('settles on the goal with the correction, and a drift-sized distance off it without', async () => {
    const drift = Math.hypot(DRIFT[0], DRIFT[1]);
    const before = tf.memory().numTensors;
    const plain = await settle();
    const corrected = await settle(new LatentOffsetEstimator(integratorModel(), { smoothing: 0.5, gain: 1 }));
    expect(plain).toBeGreaterThan(0.5 * drift);
    expect(corrected).toBeLessThan(0.25 * drift);
    expect(tf.memory().numTensors).toBe(before);
  });
});
