import { describe, expect, it } from 'vitest';
import { makeMujocoEnv, PLANAR_PUSH_STEP_PER_ACTION, planarPushSlideRepair } from '../../../src-main/mbrl/env';
import { PLANAR_PUSH_PUSHER_RANGE } from '../../../src-main/mbrl/env/tasks/planar-push';
import { readModelXml } from './read-model';

/** A planar-push observation [12] with the pusher at (x, y) and everything else 0. */
const at = (x: number, y: number) => Float32Array.of(x, y, 0, 0, 0.1, 0.1, 0, 0, 0, 0, 0, 0);

describe('planarPushSlideRepair', () => {
  it('cuts a held push into a slide limit where the slide stops, and leaves free motion alone', () => {
    const R = PLANAR_PUSH_PUSHER_RANGE;
    const hold = 4;
    const travel = hold * PLANAR_PUSH_STEP_PER_ACTION;
    // Candidate 0 from x = R − travel/2: +1 in x ends at the limit after half the hold (0.5), +1 again
    // pushes on into it (0), −1 comes back (−1); y is free (0.25). Candidate 1 starts the same and stays free.
    const samples = Float32Array.of(1, 0.25, 1, 0.25, -1, 0.25, /* candidate 1 */ -0.5, 0.5, 0, -1, 0.5, 0);
    planarPushSlideRepair(() => at(R - travel / 2, 0))(samples, 2, 3, 2, hold);
    expect(Array.from(samples.subarray(0, 6))).toEqual([0.5, 0.25, 0, 0.25, -1, 0.25].map((v) => expect.closeTo(v, 6)));
    expect(Array.from(samples.subarray(6))).toEqual([-0.5, 0.5, 0, -1, 0.5, 0].map((v) => expect.closeTo(v, 6)));
    // At the −y limit, pushing on in −y moves nothing.
    const down = Float32Array.of(0.3, -1);
    planarPushSlideRepair(() => at(0, -R))(down, 1, 1, 2, hold);
    expect(Array.from(down)).toEqual([expect.closeTo(0.3, 6), expect.closeTo(0, 6)]);
    expect(() => planarPushSlideRepair(() => at(0, 0))(new Float32Array(3), 1, 1, 3, hold)).toThrow(/2 action dimensions/);
  });

  it("matches the simulated pusher: a repaired plan ends where the real one does, at the slide's limit", async () => {
    const env = await makeMujocoEnv('planar-push', readModelXml);
    try {
      let obs = env.reset(3);
      // Toward the +x wall at full speed and on into it, then back: 4 held actions of 4 steps.
      const hold = 4;
      const plan = Float32Array.of(1, 0, 1, 0, 1, 0, -0.5, 0.2);
      const repaired = plan.slice();
      planarPushSlideRepair(() => obs)(repaired, 1, 4, 2, hold);
      // The plan asks for 0.24 m in +x from x ≈ 0.1: the repair cuts it at the wall.
      let predicted = obs[0];
      for (let k = 0; k < 4; k++) predicted += repaired[2 * k] * hold * PLANAR_PUSH_STEP_PER_ACTION;
      expect(predicted).toBeCloseTo(PLANAR_PUSH_PUSHER_RANGE - 0.5 * hold * PLANAR_PUSH_STEP_PER_ACTION, 6);
      expect(repaired[4]).toBe(0);
      for (let k = 0; k < 4; k++) for (let t = 0; t < hold; t++) obs = env.step(plan.subarray(2 * k, 2 * k + 2)).obs;
      // Free motion lags a little behind the kinematic model at each change of command (≈ 4 mm a change).
      expect(Math.abs(obs[0] - predicted)).toBeLessThan(0.01);
    } finally {
      env.dispose();
    }
  });
});
