import { POSE_STRIDE } from './task-scene';

/**
 * Follow camera for tasks whose robot travels (the scene camera's `follow`, a body index): how far
 * along x the orbit target (and with it the eye) must move so the target's x sits on that body's x.
 * y and z never move, so the user's orbit, zoom and height are kept. Returns 0 when there is nothing
 * to follow: no follow index, a body the poses do not cover, or a non-finite x.
 */
export function followShift(poses: ArrayLike<number>, follow: number | undefined, targetX: number): number {
  if (follow === undefined || !Number.isInteger(follow) || follow < 0) return 0;
  const i = follow * POSE_STRIDE;
  if (i >= poses.length) return 0;
  const shift = poses[i] - targetX;
  return Number.isFinite(shift) ? shift : 0;
}
