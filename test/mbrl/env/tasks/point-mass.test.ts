import { describe, expect, it } from 'vitest';
import { makeMujocoEnv } from '../../../../src-main/mbrl/env';
import {
  POINT_MASS_INFO,
  POINT_MASS_OBSTACLES,
  POINT_MASS_RADIUS,
  pointMassIsFree,
  pointMassReward,
} from '../../../../src-main/mbrl/env/tasks/point-mass';
import { readModelXml } from '../read-model';

/** Puts the agent at (x, y) at rest (goal at the origin) and recomputes positions. */
async function envAt(x: number, y: number) {
  const env = await makeMujocoEnv('point-mass', readModelXml);
  env.reset(0);
  const qpos = env.data.qpos as Float64Array;
  const qvel = env.data.qvel as Float64Array;
  qpos.set([x, y, 0, 0]);
  qvel.fill(0);
  env.mj.mj_forward(env.model, env.data);
  return env;
}

describe('point-mass task', () => {
  it('moves at about 2·a m/s under velocity commands (quasi-static: the velocity is the command)', async () => {
    const env = await envAt(-0.9, 0); // a clear path: no obstacle within reach of these three steps
    try {
      let obs = env.step(Float32Array.of(1, 0.5)).obs;
      obs = env.step(Float32Array.of(1, 0.5)).obs;
      const before = [obs[0], obs[1]];
      obs = env.step(Float32Array.of(1, 0.5)).obs;
      expect(obs[0] - before[0]).toBeCloseTo(0.1, 2); // 2 m/s × 0.05 s
      expect(obs[1] - before[1]).toBeCloseTo(0.05, 2);
      expect(obs[2]).toBeCloseTo(2, 1);
      expect(obs[3]).toBeCloseTo(1, 1);
      // Stop: one step later it is nearly at rest (implicit damping halves the speed each substep: 1/32 left).
      obs = env.step(Float32Array.of(0, 0)).obs;
      expect(Math.hypot(obs[2], obs[3])).toBeLessThan(0.1);
    } finally {
      env.dispose();
    }
  });

  it('stops at an obstacle it is driven into, and slides along it (frictionless contact)', async () => {
    // Obstacle 3 at (−0.2, −0.05), radius 0.15; the agent starts 0.55 m below it and drives up.
    const [ox, oy, or] = POINT_MASS_OBSTACLES[3];
    const env = await envAt(ox, oy - 0.55);
    try {
      let obs = env.reset(0);
      (env.data.qpos as Float64Array).set([ox, oy - 0.55]);
      env.mj.mj_forward(env.model, env.data);
      for (let t = 0; t < 30; t++) obs = env.step(Float32Array.of(0, 1)).obs;
      const contact = or + POINT_MASS_RADIUS;
      expect(oy - obs[1]).toBeGreaterThan(contact - 0.005); // stopped (penetration < 5 mm)
      expect(oy - obs[1]).toBeLessThan(contact + 0.01); // at the obstacle, not short of it
      expect(Math.abs(obs[0] - ox)).toBeLessThan(1e-3);
      // Pushing up and a little right: it slides around the obstacle's rim, never into it (soft
      // contacts lag a little while the contact normal turns: under 15 mm, a third of a 40 px frame's pixel).
      for (let t = 0; t < 30; t++) {
        obs = env.step(Float32Array.of(0.3, 1)).obs;
        expect(Math.hypot(obs[0] - ox, obs[1] - oy)).toBeGreaterThan(contact - 0.015);
      }
      expect(obs[1]).toBeGreaterThan(oy); // got past it
    } finally {
      env.dispose();
    }
  });

  it('is kept inside the arena by the walls', async () => {
    const env = await envAt(0.8, -0.8);
    try {
      let obs: Float32Array = new Float32Array(6);
      for (let t = 0; t < 20; t++) obs = env.step(Float32Array.of(1, -1)).obs;
      expect(obs[0]).toBeLessThan(1 - POINT_MASS_RADIUS + 0.005);
      expect(obs[0]).toBeGreaterThan(1 - POINT_MASS_RADIUS - 0.01);
      expect(obs[1]).toBeGreaterThan(-1 + POINT_MASS_RADIUS - 0.005);
    } finally {
      env.dispose();
    }
  });

  it('starts the agent and the goal in free space, from the seed; reward is minus the distance', async () => {
    const env = await makeMujocoEnv('point-mass', readModelXml);
    try {
      const starts = new Set<string>();
      for (let seed = 0; seed < 40; seed++) {
        const obs = env.reset(seed);
        expect(pointMassIsFree(obs[0], obs[1], 0.019)).toBe(true);
        expect(pointMassIsFree(obs[4], obs[5], 0.019)).toBe(true);
        starts.add(`${obs[0].toFixed(3)},${obs[1].toFixed(3)}`);
        expect(pointMassReward(obs)).toBeCloseTo(-Math.hypot(obs[0] - obs[4], obs[1] - obs[5]), 12);
      }
      expect(starts.size).toBe(40);
      expect(Array.from(env.reset(7))).toEqual(Array.from(env.reset(7)));
      expect(POINT_MASS_INFO.maxEpisodeSteps).toBe(150);
    } finally {
      env.dispose();
    }
  });

  it('lets a greedy controller on the true state reach every goal (obstacles deflect, they do not trap)', async () => {
    // The baseline a latent planner is compared with: heading straight for the goal, the agent slides
    // around obstacles in its way (frictionless contacts) and ends within its radius of the goal.
    const env = await makeMujocoEnv('point-mass', readModelXml);
    try {
      const clip = (x: number) => Math.max(-1, Math.min(1, x));
      for (let seed = 0; seed < 20; seed++) {
        let o = env.reset(seed);
        for (let t = 0; t < POINT_MASS_INFO.maxEpisodeSteps; t++) o = env.step(Float32Array.of(clip(5 * (o[4] - o[0])), clip(5 * (o[5] - o[1])))).obs;
        expect(-pointMassReward(o)).toBeLessThan(POINT_MASS_RADIUS);
      }
    } finally {
      env.dispose();
    }
  });
});
