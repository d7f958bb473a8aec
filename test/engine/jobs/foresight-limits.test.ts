import { describe, expect, it } from 'vitest';
import { foresightLimitRepair } from '../../../src-main/engine/jobs/foresight-limits';
import { readModelXml } from '../../../src-main/engine/resources';
import { makePixelEnv } from '../../../src-main/mbrl/env';

describe('foresightLimitRepair', () => {
  it("is none unless asked, knows the pushing task's pusher only, and reads where the pusher is now", async () => {
    const env = await makePixelEnv('planar-push-pixels', readModelXml, { width: 16, height: 16 });
    try {
      expect(foresightLimitRepair({}, env)).toBeUndefined();
      expect(foresightLimitRepair({ actuatorLimits: false }, env)).toBeUndefined();
      expect(() => foresightLimitRepair({ actuatorLimits: true }, { id: 'pendulum-pixels', state: () => new Float32Array(3) })).toThrow(/pendulum-pixels/);
      const repair = foresightLimitRepair({ actuatorLimits: true }, env)!;
      env.reset(0);
      const candidate = () => Float32Array.of(1, 0);
      const free = candidate();
      repair(free, 1, 1, 2, 1);
      expect(free[0]).toBeCloseTo(1, 6);
      // Drive the pusher into its +x limit: the same command is now no motion at all.
      for (let t = 0; t < 30; t++) env.step(Float32Array.of(1, 0));
      const stuck = candidate();
      repair(stuck, 1, 1, 2, 1);
      expect(Math.abs(stuck[0])).toBeLessThan(0.05);
    } finally {
      env.dispose();
    }
  });
});
