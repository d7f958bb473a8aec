/** The least-squares linear model of the true-state iLQR baseline. */
import { describe, expect, it } from 'vitest';
import { fitLinearDynamics, ilqr, linearIlqrDynamics } from '../../../src-main/mbrl/planning';
import { Rng } from '../../../src-main/mbrl/util';

/** Transitions of x′ = A x + B u + c (+ noise) from random states and actions. */
function transitions(N: number, noise: number) {
  const A = [0.9, 0.1, 0, 1];
  const B = [0.2, 0, 0.05, 0.3];
  const c = [0.01, -0.02];
  const rng = new Rng(3);
  const x = new Float64Array(N * 2);
  const u = new Float64Array(N * 2);
  const y = new Float64Array(N * 2);
  for (let k = 0; k < N; k++) {
    for (let i = 0; i < 2; i++) {
      x[k * 2 + i] = rng.uniform(-1, 1);
      u[k * 2 + i] = rng.uniform(-1, 1);
    }
    for (let i = 0; i < 2; i++) {
      y[k * 2 + i] = c[i] + rng.uniform(-noise, noise);
      for (let j = 0; j < 2; j++) y[k * 2 + i] += A[i * 2 + j] * x[k * 2 + j] + B[i * 2 + j] * u[k * 2 + j];
    }
  }
  return { A, B, c, x, u, y };
}

describe('fitLinearDynamics', () => {
  it('recovers A, B and c of a linear system from noiseless transitions', () => {
    const t = transitions(200, 0);
    const fit = fitLinearDynamics(t.x, t.u, t.y, 2, 2);
    for (let i = 0; i < 4; i++) {
      expect(fit.A[i]).toBeCloseTo(t.A[i], 4);
      expect(fit.B[i]).toBeCloseTo(t.B[i], 4);
    }
    expect(fit.c[0]).toBeCloseTo(t.c[0], 4);
    expect(fit.c[1]).toBeCloseTo(t.c[1], 4);
  });

  it('as iLQR dynamics, steps exactly like the fitted map and drives the state to a goal', () => {
    const t = transitions(500, 0.01);
    const fit = fitLinearDynamics(t.x, t.u, t.y, 2, 2);
    const dyn = linearIlqrDynamics(fit);
    const next = dyn.step(Float64Array.of(0.5, -0.5, 1, 2), Float64Array.of(0.1, 0.2, -1, 0), 2);
    const expected = (x: number[], u: number[], i: number) => fit.c[i] + fit.A[i * 2] * x[0] + fit.A[i * 2 + 1] * x[1] + fit.B[i * 2] * u[0] + fit.B[i * 2 + 1] * u[1];
    expect(next[0]).toBeCloseTo(expected([0.5, -0.5], [0.1, 0.2], 0), 10);
    expect(next[3]).toBeCloseTo(expected([1, 2], [-1, 0], 1), 10);
    const r = ilqr(dyn, [0.8, -0.6], [-0.2, 0.3], new Float64Array(30 * 2), { horizon: 30, stateCost: [1, 1], finalStateCost: [100, 100], actionCost: [0.01, 0.01], iterations: 20, low: [-1, -1], high: [1, 1] });
    const H = 30;
    expect(Math.hypot(r.states[H * 2] + 0.2, r.states[H * 2 + 1] - 0.3)).toBeLessThan(0.02);
  });

  it('names mismatched inputs', () => {
    expect(() => fitLinearDynamics(new Float64Array(4), new Float64Array(3), new Float64Array(4), 2, 2)).toThrow(/not 2\/2\/2 per transition/);
    expect(() => fitLinearDynamics(new Float64Array(6), new Float64Array(6), new Float64Array(6), 2, 2, 0)).toThrow(/singular/);
  });
});
