import { describe, expect, it } from 'vitest';
import { makeMujocoEnv, PixelEnv, pixelView, planarPushCentrePixel, planarPushPointTracker } from '../../../src-main/mbrl/env';
import { PLANAR_PUSH_BLOCK } from '../../../src-main/mbrl/env/tasks/planar-push';
import { SimulatorPointObjective } from '../../../src-main/mbrl/planning';
import { readModelXml } from '../env/read-model';

describe('SimulatorPointObjective', () => {
  it('ranks pushing the block toward the goal above pushing it away, without touching the live episode', async () => {
    const stateEnv = await makeMujocoEnv('planar-push', readModelXml);
    const env = new PixelEnv('planar-push-pixels', stateEnv, pixelView('planar-push-pixels'));
    try {
      env.reset(4);
      const s0 = env.state();
      const centre = planarPushCentrePixel(env.camera, s0);
      const track = planarPushPointTracker(env.camera, s0, [centre]);
      // Toward: the direction from the pusher through the block; the goal 15 px further that way.
      const dx = s0[PLANAR_PUSH_BLOCK] - s0[0];
      const dy = s0[PLANAR_PUSH_BLOCK + 1] - s0[1];
      const n = Math.hypot(dx, dy);
      const goal = { x: centre.x + (15 * dx) / n, y: centre.y - (15 * dy) / n }; // image rows grow as world y falls
      const objective = new SimulatorPointObjective(stateEnv, (obs) => track(obs), [goal]);
      const H = 12;
      const candidates = new Float32Array(3 * H * 2);
      for (let t = 0; t < H; t++) {
        candidates.set([dx / n, dy / n], (0 * H + t) * 2); // push toward the goal
        candidates.set([-dx / n, -dy / n], (1 * H + t) * 2); // back away: the block stays
        candidates.set([0, 0], (2 * H + t) * 2); // stand still
      }
      const before = Float64Array.from(stateEnv.data.qpos as Float64Array);
      const scores = await objective.evaluateBatch(candidates, 3, H, 2);
      expect(Array.from(stateEnv.data.qpos as Float64Array)).toEqual(Array.from(before));
      expect(scores[0]).toBeGreaterThan(scores[1] + 10);
      // Backing away and standing still leave the block where it was: Σ_t of the start distance.
      expect(scores[1]).toBeCloseTo(-H * Math.hypot(goal.x - centre.x, goal.y - centre.y), 0);
      expect(scores[2]).toBeCloseTo(scores[1], 3);
      // A terminal weight w adds (w − 1) × the last step's distance, the model cost's rule (sumOverSteps).
      const weighted = new SimulatorPointObjective(stateEnv, (obs) => track(obs), [goal], 4);
      const still = weighted.scores(candidates.subarray(2 * H * 2), 1, H, 2)[0];
      expect(still).toBeCloseTo(((H + 3) / H) * scores[2], 3);
      weighted.dispose();
      expect(() => new SimulatorPointObjective(stateEnv, (obs) => track(obs), [goal], 0.5)).toThrow(/terminalWeight must be ≥ 1, got 0.5/);
      objective.dispose();
      expect(() => objective.scores(candidates, 3, H, 2)).toThrow(/dispose/);
    } finally {
      env.dispose();
    }
  });
});
