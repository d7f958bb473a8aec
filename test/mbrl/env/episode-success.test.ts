/** The success predicates of issue 6's result tables, judged from true states. */
import { describe, expect, it } from 'vitest';
import { hasEpisodeJudge, judgeEpisode, POINT_MASS_RADIUS, pointMassOutcome } from '../../../src-main/mbrl/env';

/** Point-mass observations [x, y, ẋ, ẏ, gx, gy], one row per step. */
const rows = (...r: number[][]) => Float32Array.from(r.flat());

describe('episode success', () => {
  it('point mass: success when the final distance to the goal is at most one body radius (the last row counts)', () => {
    const goal = [0.3, -0.4];
    const far = [0.9, 0.9, 0, 0, ...goal];
    const onEdge = [0.3 + POINT_MASS_RADIUS * 0.999, -0.4, 0, 0, ...goal];
    const outside = [0.3, -0.4 - POINT_MASS_RADIUS * 1.01, 0, 0, ...goal];
    const reached = judgeEpisode('point-mass-pixels', rows(far, onEdge), 6)!;
    expect(reached.success).toBe(true);
    expect(reached.measures.finalDistance).toBeCloseTo(POINT_MASS_RADIUS * 0.999, 5);
    // Passing through the goal earlier does not count; only where the episode ends.
    const left = judgeEpisode('point-mass', rows(onEdge, outside), 6)!;
    expect(left.success).toBe(false);
    expect(left.measures.finalDistance).toBeCloseTo(POINT_MASS_RADIUS * 1.01, 5);
    expect(pointMassOutcome(rows(far), 6).measures.finalDistance).toBeCloseTo(Math.hypot(0.6, 1.3), 5);
  });

  it('tasks without a predicate report null; bad state arrays are named', () => {
    expect(hasEpisodeJudge('point-mass')).toBe(true);
    expect(hasEpisodeJudge('halfcheetah')).toBe(false);
    expect(judgeEpisode('halfcheetah', new Float32Array(17), 17)).toBeNull();
    expect(() => judgeEpisode('point-mass', new Float32Array(7), 6)).toThrow(/not whole rows of 6/);
    expect(() => judgeEpisode('point-mass', new Float32Array(0), 6)).toThrow(RangeError);
  });
});
