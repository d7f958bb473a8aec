import { describe, expect, it } from 'vitest';
import { POSE_STRIDE, makeMujocoEnv } from '../../../../src-main/mbrl/env';
import {
  REACHER_GOAL_RADIUS,
  REACHER_INFO,
  REACHER_LINK_LENGTH,
  reacherFingertip,
  reacherGoal,
  reacherReward,
} from '../../../../src-main/mbrl/env/tasks/reacher';
import { readModelXml } from '../read-model';

/** World x, y of a named body in a pose array. */
function bodyXY(names: string[], poses: Float32Array, name: string): [number, number] {
  const b = names.indexOf(name);
  expect(b).toBeGreaterThan(0);
  return [poses[b * POSE_STRIDE], poses[b * POSE_STRIDE + 1]];
}

/** Jacobian-transpose reaching with velocity damping: the command that pulls the fingertip to the goal. */
function reachCommand(obs: Float32Array): Float32Array {
  const [q1, q2] = [obs[0], obs[1]];
  const l = REACHER_LINK_LENGTH;
  const [ex, ey] = [-obs[6], -obs[7]]; // goal − tip
  const s1 = l * Math.sin(q1), s12 = l * Math.sin(q1 + q2), c1 = l * Math.cos(q1), c12 = l * Math.cos(q1 + q2);
  const clip = (x: number) => Math.max(-1, Math.min(1, x));
  return Float32Array.of(
    clip(150 * ((-s1 - s12) * ex + (c1 + c12) * ey) - 0.5 * obs[2]),
    clip(150 * (-s12 * ex + c12 * ey) - 0.5 * obs[3]),
  );
}

describe('reacher task', () => {
  it('observes [q₁, q₂, q̇₁, q̇₂, goal, tip − goal] matching the simulator and the drawn bodies', async () => {
    const env = await makeMujocoEnv('reacher', readModelXml);
    try {
      const names = env.scene().bodies.map((b) => b.name);
      let obs = env.reset(4);
      expect(obs.length).toBe(REACHER_INFO.obsDim);
      for (let t = 0; t < 12; t++) obs = env.step(Float32Array.of(0.8, -0.5)).obs;
      const { qpos, qvel } = env.data;
      expect(Array.from(obs.subarray(0, 6))).toEqual([qpos[0], qpos[1], qvel[0], qvel[1], qpos[2], qpos[3]].map(Math.fround));
      const poses = env.poses();
      const tip = bodyXY(names, poses, 'fingertip');
      const goal = bodyXY(names, poses, 'goal');
      // The goal is drawn where the observation says, and the fingertip offset is the drawn one.
      expect(goal[0]).toBeCloseTo(obs[4], 6);
      expect(goal[1]).toBeCloseTo(obs[5], 6);
      expect(tip[0] - goal[0]).toBeCloseTo(obs[6], 5);
      expect(tip[1] - goal[1]).toBeCloseTo(obs[7], 5);
      expect(reacherFingertip(qpos[0], qpos[1])[0]).toBeCloseTo(tip[0], 6);
    } finally {
      env.dispose();
    }
  });

  it('draws a new goal in the disc for each seed, visible in the scene, fixed during the episode', async () => {
    const env = await makeMujocoEnv('reacher', readModelXml);
    try {
      const scene = env.scene();
      const goalBody = scene.bodies.findIndex((b) => b.name === 'goal');
      expect(scene.geoms.some((g) => g.body === goalBody && g.kind === 'sphere')).toBe(true);
      const goals = new Set<string>();
      for (let seed = 0; seed < 20; seed++) {
        const g = reacherGoal(env.reset(seed));
        expect(Math.hypot(...g)).toBeLessThan(REACHER_GOAL_RADIUS);
        goals.add(g.join(','));
        const pose = env.poses();
        expect(pose[goalBody * POSE_STRIDE]).toBeCloseTo(g[0], 6);
      }
      expect(goals.size).toBe(20);
      expect(reacherGoal(env.reset(7))).toEqual(reacherGoal(env.reset(7)));
      // The arm swinging about does not move the goal, not even by rounding.
      const start = reacherGoal(env.reset(7));
      let obs = env.reset(7);
      for (let t = 0; t < REACHER_INFO.maxEpisodeSteps; t++) obs = env.step(Float32Array.of(Math.sin(t), Math.cos(t))).obs;
      expect(reacherGoal(obs)).toEqual(start);
    } finally {
      env.dispose();
    }
  });

  it('rewards −‖tip − goal‖ − 0.01‖a‖²', () => {
    const obs = [0, 0, 0, 0, 0.1, 0.1, 0.03, -0.04];
    expect(reacherReward(obs, [0, 0])).toBeCloseTo(-0.05, 12);
    expect(reacherReward(obs, [1, -1])).toBeCloseTo(-0.07, 12);
    expect(reacherReward([5, 1, 3, 3, 0.1, 0.1, 0, 0], [0, 0])).toBe(-0);
  });

  it('lets a simple controller bring the fingertip to the goal', async () => {
    const env = await makeMujocoEnv('reacher', readModelXml);
    try {
      for (const seed of [0, 1, 2]) {
        let obs = env.reset(seed);
        let last = 0;
        for (let t = 0; t < REACHER_INFO.maxEpisodeSteps; t++) {
          const r = env.step(reachCommand(obs));
          obs = r.obs;
          last = r.reward;
        }
        expect(Math.hypot(obs[6], obs[7])).toBeLessThan(0.02);
        expect(last).toBeGreaterThan(-0.03);
      }
    } finally {
      env.dispose();
    }
  });
});
