import { describe, expect, it } from 'vitest';
import { CemOptimizer, expandHeld, foresightOptimizer, HeldActionOptimizer, type BatchObjective } from '../../../src-main/mbrl/planning';

const bounds = { low: Float32Array.of(-1, -1), high: Float32Array.of(1, 1) };

describe('HeldActionOptimizer', () => {
  it('expands each action into hold identical steps', () => {
    // N 2, K 2, A 2 → N 2, 6 steps.
    const out = expandHeld(Float32Array.of(1, 2, 3, 4, 5, 6, 7, 8), 2, 2, 2, 3);
    expect(Array.from(out)).toEqual([1, 2, 1, 2, 1, 2, 3, 4, 3, 4, 3, 4, 5, 6, 5, 6, 5, 6, 7, 8, 7, 8, 7, 8]);
  });

  it('scores full-length held candidates and returns a held plan of the full horizon', async () => {
    // Return = −Σ_t ‖a_t − target_t‖² with a target that changes every 3 steps: the optimum is held.
    const target = (t: number) => (t < 3 ? [0.8, -0.5] : [-0.6, 0.3]);
    const seen: number[] = [];
    const objective: BatchObjective = {
      async evaluateBatch(samples, N, H, A) {
        seen.push(H);
        const out = new Float32Array(N);
        for (let n = 0; n < N; n++) {
          for (let t = 0; t < H; t++) {
            for (let j = 0; j < A; j++) out[n] -= (samples[(n * H + t) * A + j] - target(t)[j]) ** 2;
            // Held: steps within a block are equal.
            if (t % 3) for (let j = 0; j < A; j++) expect(samples[(n * H + t) * A + j]).toBe(samples[(n * H + t - 1) * A + j]);
          }
        }
        return out;
      },
    };
    const inner = new CemOptimizer({ horizon: 2, population: 64, iterations: 6, eliteFraction: 0.1, alpha: 0, seed: 3 }, bounds);
    const held = new HeldActionOptimizer(6, 3, bounds, inner);
    const plan = await held.optimize(objective, new Float32Array(12));
    expect(seen.every((h) => h === 6)).toBe(true);
    expect(plan).toHaveLength(12);
    for (let t = 0; t < 6; t++) {
      expect(plan[2 * t]).toBeCloseTo(target(t)[0], 1);
      expect(plan[2 * t + 1]).toBeCloseTo(target(t)[1], 1);
    }
  });

  it('refuses a horizon that is not hold × the inner horizon; foresightOptimizer picks plain CEM for hold 1', () => {
    const inner = new CemOptimizer({ horizon: 2, population: 4, iterations: 1, eliteFraction: 0.5, alpha: 0, seed: 0 }, bounds);
    expect(() => new HeldActionOptimizer(5, 3, bounds, inner)).toThrow(/hold/);
    const settings = { horizon: 6, population: 4, iterations: 1, eliteFraction: 0.5, alpha: 0, seed: 0 };
    expect(foresightOptimizer({ ...settings, hold: 1 }, bounds)).toBeInstanceOf(CemOptimizer);
    expect(foresightOptimizer({ ...settings, hold: 3 }, bounds)).toBeInstanceOf(HeldActionOptimizer);
    expect(() => foresightOptimizer({ ...settings, hold: 4 }, bounds)).toThrow(/multiple of hold/);
  });
});
