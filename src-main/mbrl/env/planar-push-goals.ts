/**
 * Designated points and goal pixels on the pushing task's top-down frames (visual foresight, issue 7):
 * where a point glued to the block is on the image for any state, and the random evaluation tasks
 * "move the block's centre 10–20 px on the 64×64 image".
 */
import type { PixelCamera } from '../render';
import { Rng } from '../util/rng';
import { PLANAR_PUSH_BLOCK, PLANAR_PUSH_BLOCK_Z, PLANAR_PUSH_YAW } from './tasks/planar-push';

/** A position on an S×S frame in pixel-index coordinates: x = column, y = row (pixel centres are integers). */
export interface ImagePoint2 {
  x: number;
  y: number;
}

/**
 * Follows points glued to the block: each designated pixel's table point, taken in the block's frame
 * at `state0` ([12], the planar-push observation), is mapped through the block's pose in any later
 * state and projected by the camera. Returns the points' continuous pixel-index positions
 * (a point on a pixel's centre gives integer x, y). Pure: the simulator is not needed.
 */
export function planarPushPointTracker(camera: PixelCamera, state0: ArrayLike<number>, designated: readonly ImagePoint2[]): (state: ArrayLike<number>) => ImagePoint2[] {
  const [bx, by, yaw0] = [state0[PLANAR_PUSH_BLOCK], state0[PLANAR_PUSH_BLOCK + 1], state0[PLANAR_PUSH_YAW]];
  const local = designated.map((p) => {
    // Designated on the block's top face, seen straight down: the table point under the pixel centre.
    const w = camera.pixelToWorldOnZ(p.y, p.x, PLANAR_PUSH_BLOCK_Z);
    if (!w) throw new Error(`designated pixel (${p.x}, ${p.y}) does not see the block's plane`);
    const [dx, dy] = [w[0] - bx, w[1] - by];
    return [Math.cos(yaw0) * dx + Math.sin(yaw0) * dy, -Math.sin(yaw0) * dx + Math.cos(yaw0) * dy];
  });
  return (s) => {
    const [x, y, yaw] = [s[PLANAR_PUSH_BLOCK], s[PLANAR_PUSH_BLOCK + 1], s[PLANAR_PUSH_YAW]];
    const c = Math.cos(yaw);
    const n = Math.sin(yaw);
    return local.map(([lx, ly]) => {
      const { u, v } = camera.project([x + c * lx - n * ly, y + n * lx + c * ly, PLANAR_PUSH_BLOCK_Z]);
      return { x: u - 0.5, y: v - 0.5 };
    });
  };
}

/** The pixel showing the block's centre for a planar-push state [12] (rounded pixel-index coordinates). */
export function planarPushCentrePixel(camera: PixelCamera, state: ArrayLike<number>): ImagePoint2 {
  const { u, v } = camera.project([state[PLANAR_PUSH_BLOCK], state[PLANAR_PUSH_BLOCK + 1], PLANAR_PUSH_BLOCK_Z]);
  return { x: Math.round(u - 0.5), y: Math.round(v - 0.5) };
}

/** One evaluation task: the episode's start seed, the designated pixel (the block's centre) and its goal. */
export interface PushingTask {
  episodeSeed: number;
  designated: ImagePoint2;
  goal: ImagePoint2;
}

/** How {@link randomPushingTasks} draws goals. Distances in pixels of the S×S frame. */
export interface PushingTaskOptions {
  /** Tasks to draw. */
  count: number;
  /** Episode i starts from reset(seed + i); goals come from Rng(seed). */
  seed: number;
  /** Goal distance from the designated pixel, px, uniform in [min, max] (issue 7: 10–20 on 64×64). */
  minDistance: number;
  maxDistance: number;
  /**
   * Goals stay this share of the frame away from its edges (0.19 on 64×64: 12 px, i.e. the block's
   * centre within ±0.155 m, where the pusher (range ±0.23 m) can still get behind it).
   */
  marginFraction: number;
}

export const DEFAULT_PUSHING_TASKS: PushingTaskOptions = { count: 20, seed: 1000, minDistance: 10, maxDistance: 20, marginFraction: 0.19 };

/**
 * Random pushing tasks: the block's start from the task's own reset (random position and yaw), the
 * designated pixel on its centre, and a goal pixel at a uniform distance in [min, max] px in a uniform
 * direction, redrawn until it lies inside the margin. `startState(seed)` gives the reset state [12]
 * of an episode seed (env.reset(seed); env.state()).
 */
export function randomPushingTasks(camera: PixelCamera, startState: (seed: number) => ArrayLike<number>, options: PushingTaskOptions = DEFAULT_PUSHING_TASKS): PushingTask[] {
  const { count, seed, minDistance, maxDistance, marginFraction } = options;
  if (!Number.isInteger(count) || count < 1) throw new RangeError(`pushing tasks: count must be a positive integer, got ${count}`);
  if (!(minDistance >= 0 && maxDistance >= minDistance)) throw new RangeError(`pushing tasks: need 0 ≤ minDistance ≤ maxDistance, got ${minDistance}, ${maxDistance}`);
  const S = camera.width;
  const margin = Math.round(marginFraction * S);
  const rng = new Rng(seed);
  return Array.from({ length: count }, (_, i) => {
    const designated = planarPushCentrePixel(camera, startState(seed + i));
    for (let tries = 0; tries < 1000; tries++) {
      const d = rng.uniform(minDistance, maxDistance);
      const phi = rng.uniform(-Math.PI, Math.PI);
      const goal = { x: Math.round(designated.x + d * Math.cos(phi)), y: Math.round(designated.y + d * Math.sin(phi)) };
      const dist = Math.hypot(goal.x - designated.x, goal.y - designated.y);
      const inside = goal.x >= margin && goal.y >= margin && goal.x <= S - 1 - margin && goal.y <= S - 1 - margin;
      if (inside && dist >= minDistance && dist <= maxDistance) return { episodeSeed: seed + i, designated, goal };
    }
    throw new Error(`pushing tasks: no goal ${minDistance}–${maxDistance} px from (${designated.x}, ${designated.y}) inside a ${margin} px margin`);
  });
}
