/** The go-around-then-push explorer of the pushing task, in the real simulator. */
import { describe, expect, it } from 'vitest';
import { makeMujocoEnv } from '../../../src-main/mbrl/env';
import { planarPushTowardGoal } from '../../../src-main/mbrl/env/planar-push-explore';
import { PLANAR_PUSH_BLOCK, PLANAR_PUSH_GOAL, PLANAR_PUSH_PUSHER } from '../../../src-main/mbrl/env/tasks/planar-push';
import { Rng } from '../../../src-main/mbrl/util';
import { readModelXml } from './read-model';

const toGoal = (o: ArrayLike<number>) => Math.hypot(o[PLANAR_PUSH_BLOCK] - o[PLANAR_PUSH_GOAL], o[PLANAR_PUSH_BLOCK + 1] - o[PLANAR_PUSH_GOAL + 1]);

describe('planarPushTowardGoal', () => {
  it('goes around the block when the pusher starts on the goal side, then pushes the block toward the goal', async () => {
    const env = await makeMujocoEnv('planar-push', readModelXml);
    try {
      // Pusher at (0.08, 0), block at the origin, goal at (0.15, 0): the pusher sits between block and goal.
      env.reset(0);
      const qpos = env.data.qpos as Float64Array;
      qpos.set([0.08, 0, 0, 0, 0.03, 1, 0, 0, 0, 0.15, 0]);
      (env.data.qvel as Float64Array).fill(0);
      env.mj.mj_forward(env.model, env.data);
      // The observation [12] of that placement, at rest: pusher, block, yaw, goal.
      let o: Float32Array = Float32Array.of(0.08, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0.15, 0);
      const rng = new Rng(0);
      let action: Float32Array = new Float32Array(2);
      let firstMove = -1;
      let pusherXAtFirstMove = NaN;
      for (let t = 0; t < 36; t++) {
        if (t % 3 === 0) action = planarPushTowardGoal(o, rng);
        expect(Math.max(Math.abs(action[0]), Math.abs(action[1]))).toBeLessThanOrEqual(1 + 1e-6);
        const next = env.step(action).obs;
        if (firstMove < 0 && Math.hypot(next[PLANAR_PUSH_BLOCK] - o[PLANAR_PUSH_BLOCK], next[PLANAR_PUSH_BLOCK + 1] - o[PLANAR_PUSH_BLOCK + 1]) > 2e-3) {
          firstMove = t;
          pusherXAtFirstMove = next[PLANAR_PUSH_PUSHER];
        }
        o = next;
      }
      // The block first moved with the pusher behind it (x < 0): it went around rather than through.
      expect(firstMove).toBeGreaterThan(5);
      expect(pusherXAtFirstMove).toBeLessThan(0);
      // And it was pushed most of the way: 15 cm to go at the start.
      expect(toGoal(o)).toBeLessThan(0.08);
    } finally {
      env.dispose();
    }
  });

  it('brings the block nearer its goal from random starts', async () => {
    const env = await makeMujocoEnv('planar-push', readModelXml);
    try {
      const rng = new Rng(1);
      let nearer = 0;
      for (let e = 0; e < 10; e++) {
        let o = env.reset(100 + e);
        const start = toGoal(o);
        let action: Float32Array = new Float32Array(2);
        for (let t = 0; t < 30; t++) {
          if (t % 3 === 0) action = planarPushTowardGoal(o, rng);
          o = env.step(action).obs;
        }
        if (toGoal(o) < 0.6 * start) nearer++;
      }
      expect(nearer).toBeGreaterThanOrEqual(8);
    } finally {
      env.dispose();
    }
  });
});
