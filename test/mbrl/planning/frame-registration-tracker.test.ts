import { describe, expect, it } from 'vitest';
import { makeMujocoEnv, PixelEnv, pixelView, planarPushPointTracker, randomPushingTasks } from '../../../src-main/mbrl/env';
import { FrameRegistrationTracker } from '../../../src-main/mbrl/planning';
import { bytesToUnit } from '../../../src-main/mbrl/render';
import { Rng } from '../../../src-main/mbrl/util';
import { readModelXml } from '../env/read-model';

const S = 32;

/**
 * A two-coloured square (side 5 px, its left half red, right half yellow, so that turning shows)
 * centred at (cx, cy) and turned by `angle` rad, on a tan table with a fixed blue disc at (6, 6):
 * [S, S, 3] in [0, 1], each pixel the mean of 4 × 4 samples (anti-aliased, as the renderer draws).
 */
function scene(cx: number, cy: number, angle: number): Float32Array {
  const frame = new Float32Array(S * S * 3);
  const cos = Math.cos(angle);
  const sin = Math.sin(angle);
  for (let y = 0; y < S; y++) {
    for (let x = 0; x < S; x++) {
      const sum = [0, 0, 0];
      for (let sy = 0; sy < 4; sy++) {
        for (let sx = 0; sx < 4; sx++) {
          const px = x + (sx + 0.5) / 4 - 0.5;
          const py = y + (sy + 0.5) / 4 - 0.5;
          // Into the square's own axes.
          const u = cos * (px - cx) + sin * (py - cy);
          const v = -sin * (px - cx) + cos * (py - cy);
          let rgb = [0.8, 0.7, 0.55];
          if (Math.hypot(px - 6, py - 6) < 2) rgb = [0.2, 0.4, 0.9];
          if (Math.abs(u) < 2.5 && Math.abs(v) < 2.5) rgb = u < 0 ? [0.9, 0.1, 0.1] : [0.95, 0.85, 0.1];
          for (let c = 0; c < 3; c++) sum[c] += rgb[c] / 16;
        }
      }
      frame.set(sum, (y * S + x) * 3);
    }
  }
  return frame;
}

describe('FrameRegistrationTracker', () => {
  it('follows a square moved and turned over many frames to within 0.4 px, not pulled by a fixed distractor', () => {
    const tracker = new FrameRegistrationTracker(scene(12.3, 14.6, 0), [{ x: 12.3, y: 14.6 }], S, 3);
    let [x, y, angle] = [12.3, 14.6, 0];
    for (let t = 0; t < 16; t++) {
      // Up to 1.4 px and 5° a frame: the block's speed under the pusher at 32 × 32.
      x += 0.9;
      y += t < 8 ? 0.7 : -1.1;
      angle += (5 * Math.PI) / 180;
      const [p] = tracker.track(scene(x, y, angle));
      expect(Math.hypot(p.x - x, p.y - y)).toBeLessThan(0.4);
    }
  });

  it('stays exactly put on an unchanged frame, and tracks several points', () => {
    const first = scene(20, 20, 0.3);
    const points = [
      { x: 20, y: 20 },
      { x: 6, y: 6 },
    ];
    const tracker = new FrameRegistrationTracker(first, points, S, 3);
    for (let t = 0; t < 5; t++) expect(tracker.track(first)).toEqual(points);
    const moved = tracker.track(scene(22, 19, 0.3));
    expect(moved[0].x).toBeCloseTo(22, 0);
    expect(moved[0].y).toBeCloseTo(19, 0);
    // The fixed disc stays where it was.
    expect(Math.hypot(moved[1].x - 6, moved[1].y - 6)).toBeLessThan(0.3);
  });

  it('rejects frames and points that do not fit', () => {
    const first = scene(10, 10, 0);
    expect(() => new FrameRegistrationTracker(first, [{ x: 10, y: 10 }], S, 1)).toThrow(/first frame has 3072 values, expected 32×32×1/);
    expect(() => new FrameRegistrationTracker(first, [{ x: 40, y: 10 }], S, 3)).toThrow(/point 0 \(40, 10\) is not inside the 32×32 frame/);
    expect(() => new FrameRegistrationTracker(first, [], S, 3)).toThrow(/no points/);
    const tracker = new FrameRegistrationTracker(first, [{ x: 10, y: 10 }], S, 3);
    expect(() => tracker.track(new Float32Array(10))).toThrow(/frame has 10 values/);
  });

  it("follows the pushing task's block in the renderer's real frames to within a pixel", async () => {
    const stateEnv = await makeMujocoEnv('planar-push', readModelXml);
    const view = pixelView('planar-push-pixels');
    const env = new PixelEnv('planar-push-pixels', stateEnv, view, { width: S, height: S });
    try {
      const tasks = randomPushingTasks(env.camera, (seed) => (env.reset(seed), env.state()), { count: 3, seed: 1000, minDistance: 5, maxDistance: 10, marginFraction: 0.19 });
      const rng = new Rng(1);
      const errors: number[] = [];
      let moved = 0;
      for (const task of tasks) {
        env.reset(task.episodeSeed);
        const truth = planarPushPointTracker(env.camera, env.state(), [task.designated]);
        const tracker = new FrameRegistrationTracker(bytesToUnit(env.frame()), [task.designated], S, 3);
        for (let t = 0; t < 30; t++) {
          // The data collection's pushes: toward the block, turned by up to ±0.5 rad.
          env.step(view.explore!(env.state(), rng));
          const [p] = tracker.track(bytesToUnit(env.frame()));
          const [q] = truth(env.state());
          errors.push(Math.hypot(p.x - q.x, p.y - q.y));
          moved = Math.max(moved, Math.hypot(q.x - task.designated.x, q.y - task.designated.y));
        }
      }
      // The block was pushed far (so the test can fail), and tracked all along.
      expect(moved).toBeGreaterThan(8);
      errors.sort((a, b) => a - b);
      expect(errors[errors.length >> 1]).toBeLessThan(0.4);
      expect(errors[errors.length - 1]).toBeLessThan(1);
    } finally {
      env.dispose();
    }
  });
});
