import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { CemOptimizer, MppiOptimizer, RandomShootingOptimizer, type Objective, type Optimizer } from '../../../src-main/mbrl/planning';
import { useCpuBackend } from '../tf-setup';

beforeAll(useCpuBackend);

const H = 4;
const A = 2;
const bounds = { low: new Float32Array([-1, -2]), high: new Float32Array([1, 2]) };
// The optimum of a concave quadratic, inside the bounds: [H, A].
const target = new Float32Array([0.5, -1.5, -0.25, 1, 0.75, 0.5, 0, -0.5]);
const quadratic: Objective = (actions) => tf.tidy(() => tf.neg(tf.sum(tf.square(tf.sub(actions, tf.tensor3d(target, [1, H, A]))), [1, 2])) as tf.Tensor1D);

function maxError(plan: Float32Array): number {
  return Math.max(...Array.from(plan, (v, i) => Math.abs(v - target[i])));
}

describe('optimizers on a known quadratic', () => {
  it('CEM converges to the optimum', async () => {
    const cem = new CemOptimizer({ horizon: H, population: 400, iterations: 8, eliteFraction: 0.1, alpha: 0.1, seed: 1 }, bounds);
    const reports: number[] = [];
    const plan = await cem.optimize(quadratic, new Float32Array(H * A), (r) => void reports.push(r.meanReturn));
    expect(maxError(plan)).toBeLessThan(0.05);
    expect(reports).toHaveLength(8);
    expect(reports.at(-1)!).toBeGreaterThan(reports[0]);
  });

  it('MPPI converges to the optimum', async () => {
    const mppi = new MppiOptimizer({ horizon: H, population: 500, iterations: 15, temperature: 3, noiseStd: 0.5, beta: 1, seed: 2 }, bounds);
    // A soft (reward-weighted) average settles near, not exactly at, the optimum; a mild temperature
    // averages over many samples, which cancels more of the noise than a sharp one.
    expect(maxError(await mppi.optimize(quadratic, new Float32Array(H * A)))).toBeLessThan(0.15);
  });

  it('random shooting gets close and never does worse than its warm start', async () => {
    const rs = new RandomShootingOptimizer({ horizon: H, population: 3000, seed: 3 }, bounds);
    expect(maxError(await rs.optimize(quadratic, new Float32Array(H * A)))).toBeLessThan(1);
    expect(maxError(await rs.optimize(quadratic, target.slice()))).toBe(0);
  });

  it.each<[string, () => Optimizer]>([
    ['cem', () => new CemOptimizer({ horizon: H, population: 50, iterations: 3, eliteFraction: 0.2, alpha: 0, seed: 4 }, bounds)],
    ['mppi', () => new MppiOptimizer({ horizon: H, population: 50, iterations: 3, temperature: 1, noiseStd: 3, beta: 0.5, seed: 5 }, bounds)],
    ['random shooting', () => new RandomShootingOptimizer({ horizon: H, population: 50, seed: 6 }, bounds)],
  ])('%s respects the action bounds when the optimum lies outside them', async (_name, make) => {
    const outside: Objective = (actions) => tf.tidy(() => tf.sum(actions, [1, 2]) as tf.Tensor1D); // wants +∞
    const plan = await make().optimize(outside, new Float32Array(H * A));
    plan.forEach((v, i) => {
      expect(v).toBeGreaterThanOrEqual(bounds.low[i % A]);
      expect(v).toBeLessThanOrEqual(bounds.high[i % A]);
    });
  });

  it('CEM is reproducible for a seed', async () => {
    const run = () => new CemOptimizer({ horizon: H, population: 64, iterations: 3, eliteFraction: 0.1, alpha: 0.1, seed: 9 }, bounds).optimize(quadratic, new Float32Array(H * A));
    expect(Array.from(await run())).toEqual(Array.from(await run()));
  });

  it('CEM with colored noise converges to the optimum', async () => {
    // The target alternates from step to step, against the noise's smooth prior: more iterations to get there.
    const cem = new CemOptimizer({ horizon: H, population: 400, iterations: 14, eliteFraction: 0.1, alpha: 0.1, noiseBeta: 2, seed: 1 }, bounds);
    expect(maxError(await cem.optimize(quadratic, new Float32Array(H * A)))).toBeLessThan(0.05);
  });

  it("CEM's kept elites score the warm start itself, and returnBest executes the best candidate", async () => {
    // One iteration of 3 wide samples rarely lands near the optimum; the warm start is the optimum.
    const config = { horizon: H, population: 3, iterations: 1, eliteFraction: 0.34, alpha: 0, initialStdFraction: 2, seed: 11 };
    const kept = await new CemOptimizer({ ...config, keepElites: 1, returnBest: true }, bounds).optimize(quadratic, target.slice());
    expect(Array.from(kept)).toEqual(Array.from(target));
    const plain = await new CemOptimizer(config, bounds).optimize(quadratic, target.slice());
    expect(maxError(plain)).toBeGreaterThan(0.1);
  });

  it("CEM's returnBest returns a scored candidate no worse than any iteration's best", async () => {
    const reports: number[] = [];
    const cem = new CemOptimizer({ horizon: H, population: 20, iterations: 3, eliteFraction: 0.2, alpha: 0, returnBest: true, seed: 12 }, bounds);
    const plan = await cem.optimize(quadratic, new Float32Array(H * A), (r) => void reports.push(r.bestReturn));
    const value = (await quadratic(tf.tensor3d(plan, [1, H, A])).data())[0];
    expect(value).toBeCloseTo(Math.max(...reports), 4);
  });

  it("CEM's repair reaches every scored candidate and the answer, for the elites' mean and the best candidate", async () => {
    // A robot whose second joint is locked: every candidate's second action dimension becomes 0.
    const lockSecond = (samples: Float32Array) => {
      for (let i = 1; i < samples.length; i += A) samples[i] = 0;
    };
    const seen: number[] = [];
    const watched: Objective = (actions) => {
      seen.push(...(actions.arraySync() as number[][][]).flat(2).filter((_, i) => i % A === 1));
      return quadratic(actions);
    };
    for (const returnBest of [false, true]) {
      const cem = new CemOptimizer({ horizon: H, population: 30, iterations: 3, eliteFraction: 0.2, alpha: 0, returnBest, repair: lockSecond, seed: 13 }, bounds);
      const plan = await cem.optimize(watched, target.slice());
      expect(Array.from(plan).filter((_, i) => i % A === 1)).toEqual(new Array(H).fill(0));
      // The free dimension still reaches the optimum it can.
      Array.from(plan).forEach((v, i) => i % A === 0 && expect(Math.abs(v - target[i])).toBeLessThan(0.3));
    }
    expect(seen.length).toBeGreaterThan(0);
    expect(seen.every((v) => v === 0)).toBe(true);
  });

  it('CEM refuses a fractional keepElites', async () => {
    const cem = new CemOptimizer({ horizon: H, population: 20, iterations: 1, eliteFraction: 0.2, alpha: 0, keepElites: 1.5, seed: 1 }, bounds);
    await expect(cem.optimize(quadratic, new Float32Array(H * A))).rejects.toThrow(/keepElites/);
  });
});
