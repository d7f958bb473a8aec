import { describe, expect, it } from 'vitest';
import { Rng } from '../../../src-main/mbrl/util';

const draw = (rng: Rng, n: number) => Array.from({ length: n }, () => rng.nextUint32());

describe('Rng', () => {
  it('implements xoshiro128** (reference outputs for the state 1, 2, 3, 4)', () => {
    const rng = new Rng(0);
    rng.setState([1, 2, 3, 4]);
    expect(draw(rng, 4)).toEqual([11520, 0, 5927040, 70819200]);
  });

  it('is determined by its seed, and seeds that differ anywhere give different streams', () => {
    expect(draw(new Rng(42), 8)).toEqual(draw(new Rng(42), 8));
    const seeds = [0, 1, -1, 2 ** 32, 2 ** 32 + 1, Number.MAX_SAFE_INTEGER];
    const firsts = new Set(seeds.map((s) => draw(new Rng(s), 2).join(',')));
    expect(firsts.size).toBe(seeds.length);
  });

  it('refuses seeds that would silently collide', () => {
    expect(() => new Rng(1.5)).toThrow(RangeError);
    expect(() => new Rng(Number.NaN)).toThrow(RangeError);
    expect(() => new Rng(2 ** 53)).toThrow(RangeError);
  });

  it('snapshots and restores its state; clones continue the same stream', () => {
    const rng = new Rng(7);
    draw(rng, 3);
    const state = rng.getState();
    const clone = rng.clone();
    const ahead = draw(rng, 5);
    expect(draw(clone, 5)).toEqual(ahead);
    rng.setState(state);
    expect(draw(rng, 5)).toEqual(ahead);
    expect(() => rng.setState([0, 0, 0, 0])).toThrow(RangeError);
  });

  it('draws floats in [0, 1), uniforms in [lo, hi) and normals with mean 0, variance 1', () => {
    const rng = new Rng(123);
    const n = 20000;
    let sum = 0;
    let sumSq = 0;
    let outOfRange = 0;
    for (let i = 0; i < n; i++) {
      const f = rng.nextFloat();
      const u = rng.uniform(-2, 3);
      if (!(f >= 0 && f < 1) || !(u >= -2 && u < 3)) outOfRange++;
      const z = rng.normal();
      sum += z;
      sumSq += z * z;
    }
    expect(outOfRange).toBe(0);
    // Standard errors: mean 1/√n ≈ 0.007, variance √(2/n) ≈ 0.01; allow about 4 of them.
    expect(Math.abs(sum / n)).toBeLessThan(0.03);
    expect(Math.abs(sumSq / n - 1)).toBeLessThan(0.04);
  });
});
