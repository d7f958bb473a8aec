/**
 * The visual-foresight planner's registration tracker (issue 7) on real pushing frames: the time to
 * find the designated point in one camera frame, and how far it lands from the block's true point.
 * Frames come from the data collection's pushes (70 % aimed at the block) in the real renderer at the
 * CPU preset's 32 × 32; the truth is the simulator's block pose projected through the camera. No
 * PyTorch reference: the tracker is plain loops over a frame, nothing a tensor library would run.
 * Importing this file does nothing; call benchTracker().
 */
import { makeMujocoEnv, PixelEnv, pixelView, planarPushPointTracker, randomPushingTasks, type ImagePoint2, type ReadModelXml } from '../src-main/mbrl/env';
import { FrameRegistrationTracker } from '../src-main/mbrl/planning/frame-registration-tracker';
import { bytesToUnit } from '../src-main/mbrl/render';
import { Rng } from '../src-main/mbrl/util';
import { median, type BenchResult } from './bench-result';

/** Frame size (the CPU preset's), tasks and steps per task. */
export const TRACKER_SHAPES = Object.freeze({ size: 32, tasks: 6, steps: 40 });

/**
 * `registration tracker (planar-push 32x32)` in ms a frame (median over tasks) and the tracker's error
 * against the true point, as its 90th percentile in px of the frame.
 */
export async function benchTracker(readModelXml: ReadModelXml): Promise<BenchResult[]> {
  const { size: S, tasks: count, steps } = TRACKER_SHAPES;
  const stateEnv = await makeMujocoEnv('planar-push', readModelXml);
  const view = pixelView('planar-push-pixels');
  const env = new PixelEnv('planar-push-pixels', stateEnv, view, { width: S, height: S });
  try {
    const tasks = randomPushingTasks(env.camera, (seed) => (env.reset(seed), env.state()), { count, seed: 1000, minDistance: (10 * S) / 64, maxDistance: (20 * S) / 64, marginFraction: 0.19 });
    const rng = new Rng(1);
    const msPerFrame: number[] = [];
    const errors: number[] = [];
    for (const task of tasks) {
      env.reset(task.episodeSeed);
      const truth = planarPushPointTracker(env.camera, env.state(), [task.designated]);
      // The episode first (rendering is not what is timed), then the tracker over its frames.
      const frames: Float32Array[] = [];
      const truePoints: ImagePoint2[] = [];
      for (let t = 0; t < steps; t++) {
        env.step(rng.nextFloat() < 0.7 ? view.explore!(env.state(), rng) : Float32Array.of(rng.uniform(-1, 1), rng.uniform(-1, 1)));
        frames.push(bytesToUnit(env.frame()));
        truePoints.push(truth(env.state())[0]);
      }
      env.reset(task.episodeSeed);
      const tracker = new FrameRegistrationTracker(bytesToUnit(env.frame()), [task.designated], S, 3);
      const start = performance.now();
      const found = frames.map((frame) => tracker.track(frame)[0]);
      msPerFrame.push((performance.now() - start) / steps);
      found.forEach((p, t) => errors.push(Math.hypot(p.x - truePoints[t].x, p.y - truePoints[t].y)));
    }
    errors.sort((a, b) => a - b);
    const label = `registration tracker (planar-push ${S}x${S}, ${count} pushing episodes)`;
    return [
      { name: `${label} time`, value: median(msPerFrame), unit: 'ms/frame' },
      { name: `${label} error p90`, value: errors[Math.floor(0.9 * errors.length)], unit: 'px' },
    ];
  } finally {
    env.dispose();
  }
}
