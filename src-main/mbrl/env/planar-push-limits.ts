/**
 * What the pushing robot knows of itself, for a planner whose model sees only pixels: where its pusher
 * is (proprioception) and how far its slides let it go. Why: at a slide's limit, at the frame's edge, a
 * command into the limit moves nothing, but the video model, which rarely saw the pusher there, predicts
 * that it moves the block (session 22, docs/ARCHITECTURE.md), and plans that push into a corner win.
 */
import { PLANAR_PUSH_PUSHER, PLANAR_PUSH_PUSHER_RANGE } from './tasks/planar-push';

/** The pusher's travel per step per unit of action, m (≈ 0.4·a m/s at 0.05 s a step; measured 0.0200 at full speed in free motion). */
export const PLANAR_PUSH_STEP_PER_ACTION = 0.02;

/**
 * Repairs candidate plans of held pusher velocities from the pusher's current position `state()`
 * (the planar-push observation [12], the pusher at 0–1): each held action is followed for its `hold`
 * steps and cut where the slide stops the pusher, i.e. replaced by the velocity that ends there (0 when
 * the pusher is already at the limit and pushes on). samples: [N, K, A = 2] of K held actions, in place.
 * A kinematic model in free motion: a push is slower, so a plan is cut a little early while pushing.
 */
export function planarPushSlideRepair(state: () => ArrayLike<number>): (samples: Float32Array, N: number, K: number, A: number, hold: number) => void {
  return (samples, N, K, A, hold) => {
    if (A !== 2) throw new Error(`planar-push slide limits: expected 2 action dimensions, got ${A}`);
    const now = state();
    const travel = hold * PLANAR_PUSH_STEP_PER_ACTION;
    for (let n = 0; n < N; n++) {
      for (let d = 0; d < 2; d++) {
        let p = now[PLANAR_PUSH_PUSHER + d];
        for (let k = 0; k < K; k++) {
          const i = (n * K + k) * A + d;
          const end = Math.min(PLANAR_PUSH_PUSHER_RANGE, Math.max(-PLANAR_PUSH_PUSHER_RANGE, p + travel * samples[i]));
          samples[i] = (end - p) / travel;
          p = end;
        }
      }
    }
  };
}
