import { describe, expect, it } from 'vitest';
import { POSE_STRIDE, makeMujocoEnv } from '../../../../src-main/mbrl/env';
import { PUSHER_INFO, pusherFingertip, pusherReward } from '../../../../src-main/mbrl/env/tasks/pusher';
import { readModelXml } from '../read-model';

describe('pusher task', () => {
  it('observes arm, fingertip, puck and goal where the simulator draws them', async () => {
    const env = await makeMujocoEnv('pusher', readModelXml);
    try {
      const names = env.scene().bodies.map((b) => b.name);
      const xy = (poses: Float32Array, name: string) => {
        const b = names.indexOf(name);
        return [poses[b * POSE_STRIDE], poses[b * POSE_STRIDE + 1]];
      };
      let obs = env.reset(3);
      expect(obs.length).toBe(PUSHER_INFO.obsDim);
      for (let t = 0; t < 8; t++) obs = env.step(Float32Array.of(0.5, -0.4, 0.7)).obs;
      const { qpos, qvel } = env.data;
      const expected = [qpos[0], qpos[1], qpos[2], qvel[0], qvel[1], qvel[2]];
      expect(Array.from(obs.subarray(0, 6))).toEqual(expected.map(Math.fround));
      expect(Array.from(obs.subarray(8, 14))).toEqual([qpos[3], qpos[4], qvel[3], qvel[4], qpos[5], qpos[6]].map(Math.fround));
      const poses = env.poses();
      const tip = xy(poses, 'fingertip');
      expect(obs[6]).toBeCloseTo(tip[0], 5);
      expect(obs[7]).toBeCloseTo(tip[1], 5);
      expect(pusherFingertip(qpos)[0]).toBeCloseTo(tip[0], 6);
      expect(xy(poses, 'puck')[0]).toBeCloseTo(obs[8], 5);
      expect(xy(poses, 'puck')[1]).toBeCloseTo(obs[9], 5);
      expect(xy(poses, 'goal')[0]).toBeCloseTo(obs[12], 5);
      expect(xy(poses, 'goal')[1]).toBeCloseTo(obs[13], 5);
    } finally {
      env.dispose();
    }
  });

  it('places puck and goal anew from the seed, apart from each other and clear of the arm', async () => {
    const env = await makeMujocoEnv('pusher', readModelXml);
    try {
      const seen = new Set<string>();
      for (let seed = 0; seed < 20; seed++) {
        const obs = env.reset(seed);
        seen.add(`${obs[8]},${obs[9]},${obs[12]},${obs[13]}`);
        expect(Math.hypot(obs[8] - obs[12], obs[9] - obs[13])).toBeGreaterThan(0.15);
        expect(env.data.ncon).toBe(0); // the arm starts clear of the puck
      }
      expect(seen.size).toBe(20);
    } finally {
      env.dispose();
    }
  });

  it('leaves the puck alone until the arm touches it, and a sweep of the arm pushes it', async () => {
    const env = await makeMujocoEnv('pusher', readModelXml);
    try {
      const start = env.reset(0);
      let obs = start;
      for (let t = 0; t < 20; t++) obs = env.step(Float32Array.of(0, 0, 0)).obs;
      expect(Array.from(obs.subarray(8, 12))).toEqual(Array.from(start.subarray(8, 10)).concat([0, 0]));

      // A counter-clockwise shoulder sweep from the arm's start (along −y) runs into the puck.
      obs = env.reset(0);
      let touched = false;
      for (let t = 0; t < 20; t++) {
        obs = env.step(Float32Array.of(0.6, 0, 0)).obs;
        touched ||= env.data.ncon > 0;
      }
      expect(touched).toBe(true);
      expect(obs[9] - start[9]).toBeGreaterThan(0.1); // pushed toward +y, the goal's side
      expect(Math.hypot(obs[8] - obs[12], obs[9] - obs[13])).toBeLessThan(Math.hypot(start[8] - start[12], start[9] - start[13]));
    } finally {
      env.dispose();
    }
  });

  it('rewards −(0.5‖tip − puck‖ + 1.25‖puck − goal‖ + 0.1‖a‖²)', () => {
    const obs = [1, 2, 3, 4, 5, 6, /* tip */ 0.3, 0.4, /* puck */ 0, 0, 9, 9, /* goal */ 0, 0.2];
    expect(pusherReward(obs, [0, 0, 0])).toBeCloseTo(-(0.5 * 0.5 + 1.25 * 0.2), 12);
    expect(pusherReward(obs, [1, -1, 1])).toBeCloseTo(-(0.5 * 0.5 + 1.25 * 0.2 + 0.3), 12);
  });
});
