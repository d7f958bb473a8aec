import { beforeAll, describe, expect, it } from 'vitest';
import * as tf from '@tensorflow/tfjs-core';
import { SimulatorRollout, makeMujocoEnv } from '../../../src-main/mbrl/env';
import { CemOptimizer, simulatorObjective } from '../../../src-main/mbrl/planning';
import { Rng } from '../../../src-main/mbrl/util';
import { useCpuBackend } from '../tf-setup';
import { readModelXml } from './read-model';

beforeAll(useCpuBackend);

describe('SimulatorRollout', () => {
  it('scores a candidate exactly as the env would reward it, without touching the live episode', async () => {
    const env = await makeMujocoEnv('cartpole', readModelXml);
    const replay = await makeMujocoEnv('cartpole', readModelXml);
    const sim = new SimulatorRollout(env);
    try {
      env.reset(3);
      for (let t = 0; t < 5; t++) env.step(Float32Array.of(0.3));
      const H = 12;
      const rng = new Rng(1);
      const actions = Float32Array.from({ length: 2 * H }, () => rng.uniform(-1.5, 1.5)); // some outside the bounds
      const before = Float64Array.from(env.data.qpos as Float64Array);
      const returns = sim.returns(actions, 2, H);
      expect(Array.from(env.data.qpos as Float64Array)).toEqual(Array.from(before));

      // The same episode replayed in a second env, then candidate 1 stepped for real.
      replay.reset(3);
      for (let t = 0; t < 5; t++) replay.step(Float32Array.of(0.3));
      let expected = 0;
      for (let t = 0; t < H; t++) expected += replay.step(actions.subarray(H + t, H + t + 1)).reward;
      expect(returns[1]).toBeCloseTo(expected, 4);
      expect(returns[0]).not.toBeCloseTo(returns[1], 3);
    } finally {
      sim.dispose();
      env.dispose();
      replay.dispose();
    }
  });

  it('refuses a wrongly sized batch and works as a CEM objective that beats doing nothing', async () => {
    const env = await makeMujocoEnv('pendulum', readModelXml);
    const sim = new SimulatorRollout(env);
    try {
      env.reset(0);
      expect(() => sim.returns(new Float32Array(5), 2, 3)).toThrow(/5 action values, expected 2×3×1/);
      const H = 15;
      const cem = new CemOptimizer({ horizon: H, population: 64, iterations: 3, eliteFraction: 0.1, alpha: 0.1, seed: 0 }, { low: Float32Array.of(-1), high: Float32Array.of(1) });
      const objective = simulatorObjective(sim);
      const plan = await cem.optimize(objective, new Float32Array(H));
      const score = (a: Float32Array) => sim.returns(a, 1, H)[0];
      expect(score(plan)).toBeGreaterThan(score(new Float32Array(H)));
      const t = objective(tf.tensor3d(plan, [1, H, 1]));
      expect(t.shape).toEqual([1]);
      t.dispose();
    } finally {
      sim.dispose();
      env.dispose();
    }
  });
});
