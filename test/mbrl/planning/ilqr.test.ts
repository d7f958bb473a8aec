import { describe, expect, it } from 'vitest';
import { ilqr, linearIlqrDynamics, type IlqrDynamics } from '../../../src-main/mbrl/planning';

/** A planar double integrator x = [px, py, vx, vy], u = [ax, ay], dt = 0.1: a known linear system. */
function doubleIntegrator(dt = 0.1): IlqrDynamics {
  const A = Float64Array.from([1, 0, dt, 0, 0, 1, 0, dt, 0, 0, 1, 0, 0, 0, 0, 1]);
  const B = Float64Array.from([0.5 * dt * dt, 0, 0, 0.5 * dt * dt, dt, 0, 0, dt]);
  return linearIlqrDynamics({ stateDim: 4, actDim: 2, A, B, c: new Float64Array(4) });
}

describe('ilqr', () => {
  it('drives a known linear system (double integrator) to the goal and stops there', () => {
    const dyn = doubleIntegrator();
    const goal = [1, -0.5, 0, 0];
    const result = ilqr(dyn, [0, 0, 0, 0], goal, new Float64Array(40 * 2), {
      horizon: 40,
      stateCost: [0, 0, 0, 0],
      finalStateCost: [1000, 1000, 1000, 1000],
      actionCost: [0.01, 0.01],
      iterations: 10,
      low: [-10, -10],
      high: [10, 10],
    });
    const final = result.states.slice(40 * 4);
    for (let i = 0; i < 4; i++) expect(Math.abs(final[i] - goal[i])).toBeLessThan(0.01);
    // On a linear system with quadratic cost one Newton step is exact: the second sweep gains nothing.
    expect(result.costs[1]).toBeLessThan(result.costs[0] * 1e-2);
    expect(result.iterations).toBeLessThanOrEqual(3);
    // The plan's predicted states agree with rolling its actions through the system.
    let x: Float64Array = new Float64Array(4);
    for (let t = 0; t < 40; t++) x = dyn.step(x, result.actions.subarray(t * 2, t * 2 + 2), 1);
    for (let i = 0; i < 4; i++) expect(x[i]).toBeCloseTo(final[i], 9);
  });

  it('keeps actions inside the bounds and still heads for the goal', () => {
    const dyn = doubleIntegrator();
    const result = ilqr(dyn, [0, 0, 0, 0], [2, 2, 0, 0], new Float64Array(20 * 2), {
      horizon: 20,
      stateCost: [1, 1, 0, 0],
      finalStateCost: [100, 100, 10, 10],
      actionCost: [0.001, 0.001],
      iterations: 30,
      low: [-1, -1],
      high: [1, 1],
    });
    for (const u of result.actions) expect(Math.abs(u)).toBeLessThanOrEqual(1 + 1e-12);
    // Full thrust at the start (the goal is far for |u| ≤ 1), and the cost fell monotonically.
    expect(result.actions[0]).toBeCloseTo(1, 6);
    for (let i = 1; i < result.costs.length; i++) expect(result.costs[i]).toBeLessThan(result.costs[i - 1]);
    const final = result.states.slice(20 * 4);
    expect(Math.hypot(final[0] - 2, final[1] - 2)).toBeLessThan(Math.hypot(2, 2));
  });

  it('rejects inputs of the wrong size', () => {
    const dyn = doubleIntegrator();
    const config = { horizon: 5, stateCost: [1, 1, 1, 1], finalStateCost: [1, 1, 1, 1], actionCost: [1, 1], iterations: 3, low: [-1, -1], high: [1, 1] };
    expect(() => ilqr(dyn, [0, 0, 0], [0, 0, 0, 0], new Float64Array(10), config)).toThrow(/x0 has 3/);
    expect(() => ilqr(dyn, [0, 0, 0, 0], [0, 0, 0, 0], new Float64Array(9), config)).toThrow(/initial actions have 9/);
  });
});
