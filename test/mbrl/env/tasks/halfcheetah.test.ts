import { describe, expect, it } from 'vitest';
import { makeMujocoEnv } from '../../../../src-main/mbrl/env';
import { HALFCHEETAH_FORWARD_VELOCITY, HALFCHEETAH_INFO, halfcheetahReward } from '../../../../src-main/mbrl/env/tasks/halfcheetah';
import { readModelXml } from '../read-model';

/** An open-loop trot: every joint follows A·sin(ωt), the front leg a quarter period behind the back. */
function trot(step: number, dt: number, amplitude = 0.5, omega = 18): Float32Array {
  const a = new Float32Array(6);
  for (let j = 0; j < 3; j++) {
    a[j] = amplitude * Math.sin(omega * step * dt);
    a[3 + j] = amplitude * Math.sin(omega * step * dt + Math.PI / 2);
  }
  return a;
}

describe('halfcheetah task', () => {
  it('observes qpos without root x, then qvel; starts upright at about 0.7 m', async () => {
    const env = await makeMujocoEnv('halfcheetah', readModelXml);
    try {
      const obs = env.reset(2);
      expect(obs.length).toBe(HALFCHEETAH_INFO.obsDim);
      const { qpos, qvel } = env.data;
      expect(Array.from(obs)).toEqual([...Array.from(qpos as Float64Array).slice(1), ...Array.from(qvel as Float64Array)].map(Math.fround));
      expect(Math.abs(obs[0] - 0.7)).toBeLessThanOrEqual(0.1); // torso height, m
      expect(Math.abs(obs[1])).toBeLessThanOrEqual(0.1); // pitch, rad
      // The torso body is where rootx/rootz say (rootz is absolute height thanks to ref = 0.7).
      const poses = env.poses();
      expect(poses[7]).toBeCloseTo(qpos[0], 6);
      expect(poses[9]).toBeCloseTo(qpos[1], 6);
    } finally {
      env.dispose();
    }
  });

  it('stands on its legs with no command (the floor holds it)', async () => {
    const env = await makeMujocoEnv('halfcheetah', readModelXml);
    try {
      let obs = env.reset(1);
      for (let t = 0; t < 40; t++) obs = env.step(new Float32Array(6)).obs;
      expect(obs[0]).toBeGreaterThan(0.4);
      expect(obs[0]).toBeLessThan(0.8);
      expect(Math.abs(obs[1])).toBeLessThan(0.5);
      expect(Math.abs(obs[HALFCHEETAH_FORWARD_VELOCITY])).toBeLessThan(0.1);
    } finally {
      env.dispose();
    }
  });

  it('runs forward under an open-loop trot, and the return measures the distance covered', async () => {
    const env = await makeMujocoEnv('halfcheetah', readModelXml);
    try {
      env.reset(0);
      const x0 = env.data.qpos[0];
      let ret = 0;
      let effort = 0;
      let maxPitch = 0;
      for (let t = 0; t < HALFCHEETAH_INFO.maxEpisodeSteps; t++) {
        const a = trot(t, env.dt);
        const r = env.step(a);
        ret += r.reward;
        effort += 0.1 * a.reduce((s, x) => s + x * x, 0);
        maxPitch = Math.max(maxPitch, Math.abs(r.obs[1]));
      }
      const distance = env.data.qpos[0] - x0;
      expect(distance).toBeGreaterThan(3); // metres in 10 s
      expect(maxPitch).toBeLessThan(1); // upright all the way, no flip
      // Σ ẋ·dt over the episode ≈ Δx: the end-of-step velocity integrates to the distance.
      expect(Math.abs((ret + effort) * env.dt - distance)).toBeLessThan(0.1 * distance);
      expect(ret).toBeGreaterThan(0);
    } finally {
      env.dispose();
    }
  });

  it('rewards ẋ − 0.1‖a‖²', () => {
    const obs = new Array(17).fill(0.3);
    obs[HALFCHEETAH_FORWARD_VELOCITY] = 2;
    expect(halfcheetahReward(obs, new Array(6).fill(0))).toBe(2);
    expect(halfcheetahReward(obs, new Array(6).fill(1))).toBeCloseTo(1.4, 12);
    obs[HALFCHEETAH_FORWARD_VELOCITY] = -1;
    expect(halfcheetahReward(obs, [0.5, 0, 0, 0, 0, -0.5])).toBeCloseTo(-1.05, 12);
  });
});
