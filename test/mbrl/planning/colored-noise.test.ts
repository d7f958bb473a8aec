import { describe, expect, it } from 'vitest';
import { coloredNoise } from '../../../src-main/mbrl/planning/colored-noise';
import { Rng } from '../../../src-main/mbrl/util';

/** Mean over many sequences of the lag-1 correlation and of each value's variance. */
function statistics(beta: number, length: number, count: number) {
  const rng = new Rng(7);
  let lag1 = 0;
  let square = 0;
  let sum = 0;
  for (let c = 0; c < count; c++) {
    const x = coloredNoise(beta, length, rng);
    for (let n = 0; n < length; n++) {
      square += x[n] ** 2;
      sum += x[n];
      if (n > 0) lag1 += x[n] * x[n - 1];
    }
  }
  return { variance: square / (count * length), mean: sum / (count * length), lag1: lag1 / (count * (length - 1)) };
}

describe('coloredNoise', () => {
  it.each([0, 1, 2, 3])('has unit variance and zero mean per value (β %d)', (beta) => {
    for (const length of [6, 7, 24]) {
      const s = statistics(beta, length, 4000);
      expect(s.variance).toBeGreaterThan(0.93);
      expect(s.variance).toBeLessThan(1.07);
      expect(Math.abs(s.mean)).toBeLessThan(0.06);
    }
  });

  it('is white at β 0 and strongly correlated from step to step at β 2', () => {
    expect(Math.abs(statistics(0, 24, 4000).lag1)).toBeLessThan(0.05);
    // A random walk's neighbours are nearly equal: the property that makes plans travel in straight legs.
    const brownian = statistics(2, 24, 4000).lag1;
    expect(brownian).toBeGreaterThan(0.7);
    expect(brownian).toBeGreaterThan(statistics(1, 24, 4000).lag1);
  });

  it('is reproducible for a seed and handles a single value', () => {
    expect(Array.from(coloredNoise(2, 9, new Rng(3)))).toEqual(Array.from(coloredNoise(2, 9, new Rng(3))));
    expect(coloredNoise(2, 1, new Rng(3))).toHaveLength(1);
    expect(Number.isFinite(coloredNoise(2, 1, new Rng(3))[0])).toBe(true);
  });

  it('refuses a negative exponent and a bad length', () => {
    expect(() => coloredNoise(-1, 5, new Rng(1))).toThrow(/beta/);
    expect(() => coloredNoise(Number.NaN, 5, new Rng(1))).toThrow(/beta/);
    expect(() => coloredNoise(1, 0, new Rng(1))).toThrow(/length/);
    expect(() => coloredNoise(1, 2.5, new Rng(1))).toThrow(/length/);
  });
});
