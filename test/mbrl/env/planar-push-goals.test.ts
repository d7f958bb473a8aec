import { describe, expect, it } from 'vitest';
import { makePixelEnv, planarPushBlockPixel, planarPushCentrePixel, planarPushPointTracker, randomPushingTasks, DEFAULT_PUSHING_TASKS } from '../../../src-main/mbrl/env';
import { PLANAR_PUSH_BLOCK } from '../../../src-main/mbrl/env/tasks/planar-push';
import { readModelXml } from './read-model';

describe('planar-push designated points and goals', () => {
  it('follows a point glued to the block while the pusher shoves it, on the camera of any size', async () => {
    const env = await makePixelEnv('planar-push-pixels', readModelXml);
    try {
      env.reset(3);
      const s0 = env.state();
      const centre = planarPushCentrePixel(env.camera, s0);
      expect(planarPushBlockPixel(env.camera, s0)).toEqual([centre.y, centre.x]);
      // A second point 3 px off the centre, on the block (10 px wide).
      const track = planarPushPointTracker(env.camera, s0, [centre, { x: centre.x + 3, y: centre.y }]);
      const [c0, off0] = track(s0);
      expect(Math.hypot(c0.x - centre.x, c0.y - centre.y)).toBeLessThan(1e-9);
      // Drive the pusher at the block until it has moved a few pixels.
      let s = s0;
      for (let t = 0; t < 25; t++) {
        const dx = s[PLANAR_PUSH_BLOCK] - s[0];
        const dy = s[PLANAR_PUSH_BLOCK + 1] - s[1];
        const n = Math.hypot(dx, dy);
        s = env.step(Float32Array.of(dx / n, dy / n)).state;
      }
      const [c, off] = track(s);
      const { u, v } = env.camera.project([s[PLANAR_PUSH_BLOCK], s[PLANAR_PUSH_BLOCK + 1], 0.03]);
      // The designated pixel was the rounded centre: it stays within a rounding offset of the true centre.
      expect(Math.hypot(c.x - (u - 0.5), c.y - (v - 0.5))).toBeLessThan(0.75);
      expect(Math.hypot(c.x - c0.x, c.y - c0.y)).toBeGreaterThan(2);
      // Rigid: the two glued points keep their 3 px spacing however the block turned.
      expect(Math.hypot(off.x - c.x, off.y - c.y)).toBeCloseTo(Math.hypot(off0.x - c0.x, off0.y - c0.y), 6);
    } finally {
      env.dispose();
    }
  });

  it('draws reproducible tasks with goals 10–20 px from the block centre, inside the margin', async () => {
    const env = await makePixelEnv('planar-push-pixels', readModelXml);
    try {
      const start = (seed: number) => (env.reset(seed), env.state());
      const tasks = randomPushingTasks(env.camera, start, DEFAULT_PUSHING_TASKS);
      expect(tasks).toHaveLength(20);
      expect(randomPushingTasks(env.camera, start, DEFAULT_PUSHING_TASKS)).toEqual(tasks);
      tasks.forEach((t, i) => {
        expect(t.episodeSeed).toBe(DEFAULT_PUSHING_TASKS.seed + i);
        expect(t.designated).toEqual(planarPushCentrePixel(env.camera, start(t.episodeSeed)));
        const d = Math.hypot(t.goal.x - t.designated.x, t.goal.y - t.designated.y);
        expect(d).toBeGreaterThanOrEqual(10);
        expect(d).toBeLessThanOrEqual(20);
        for (const v of [t.goal.x, t.goal.y]) {
          expect(v).toBeGreaterThanOrEqual(12);
          expect(v).toBeLessThanOrEqual(51);
        }
      });
      expect(() => randomPushingTasks(env.camera, start, { ...DEFAULT_PUSHING_TASKS, minDistance: 5, maxDistance: 4 })).toThrow(/minDistance/);
    } finally {
      env.dispose();
    }
  });
});
