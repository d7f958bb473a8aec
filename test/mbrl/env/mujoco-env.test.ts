import { describe, expect, it } from 'vitest';
import { MujocoEnv, POSE_STRIDE, TASK_IDS, makeMujocoEnv, mujocoTask } from '../../../src-main/mbrl/env';
import { Rng } from '../../../src-main/mbrl/util';
import { readModelXml } from './read-model';

/** Runs `steps` steps from reset(seed) with a fixed action sequence; returns every observation. */
function rollout(env: MujocoEnv, seed: number, steps: number, withPoses = false): Float32Array[] {
  const out = [env.reset(seed)];
  const actions = new Rng(99);
  for (let t = 0; t < steps; t++) {
    out.push(env.step(Float32Array.of(actions.uniform(-1, 1))).obs);
    if (withPoses) env.poses();
  }
  return out;
}

/** Bit patterns, so that the comparison is exact (distinguishes −0 and NaN payloads too). */
const bits = (xs: Float32Array[]) => xs.map((x) => Array.from(new Uint32Array(x.buffer, x.byteOffset, x.length)));

describe.each(TASK_IDS)('MujocoEnv %s', (id) => {
  it('reproduces trajectories bit for bit from a seed, and differs across seeds', async () => {
    const a = await makeMujocoEnv(id, readModelXml);
    const b = await makeMujocoEnv(id, readModelXml);
    try {
      const first = rollout(a, 7, 60);
      // Another env instance, and the same env after other episodes and with poses() read in between.
      expect(bits(rollout(b, 7, 60))).toEqual(bits(first));
      rollout(a, 8, 10);
      expect(bits(rollout(a, 7, 60, true))).toEqual(bits(first));
      const other = rollout(a, 8, 60);
      expect(bits([other[0]])).not.toEqual(bits([first[0]]));
      expect(bits(other.slice(-1))).not.toEqual(bits(first.slice(-1)));
    } finally {
      a.dispose();
      b.dispose();
    }
  });

  it('describes its scene and body poses in the shared layout', async () => {
    const env = await makeMujocoEnv(id, readModelXml);
    try {
      const scene = env.scene();
      expect(scene.task).toBe(id);
      expect(scene.bodies.length).toBe(env.model.nbody);
      expect(scene.bodies[0].name).toBe('world');
      expect(scene.geoms.some((g) => g.kind === 'plane' && g.body === 0)).toBe(true);
      for (const g of scene.geoms) {
        expect(g.body).toBeGreaterThanOrEqual(0);
        expect(g.body).toBeLessThan(scene.bodies.length);
        expect(Math.hypot(...g.quat)).toBeCloseTo(1, 6);
        expect(g.rgba.every((c) => c >= 0 && c <= 1)).toBe(true);
        expect(g.size.every(Number.isFinite)).toBe(true);
      }
      expect(scene.camera.eye).not.toEqual(scene.camera.target);

      env.reset(0);
      for (let t = 0; t < 5; t++) env.step(Float32Array.of(1));
      const poses = env.poses();
      expect(poses.length).toBe(scene.bodies.length * POSE_STRIDE);
      expect(Array.from(poses.subarray(0, POSE_STRIDE))).toEqual([0, 0, 0, 1, 0, 0, 0]);
      for (let b = 0; b < scene.bodies.length; b++) {
        expect(Math.hypot(...poses.subarray(b * POSE_STRIDE + 3, b * POSE_STRIDE + 7))).toBeCloseTo(1, 5);
      }
      // The pole's orientation matches the hinge angle after the step (not one substep behind):
      // rotation θ about +y is the quaternion (cos θ/2, 0, sin θ/2, 0), up to sign.
      const pole = scene.bodies.findIndex((b) => b.name === 'pole');
      const theta = env.data.qpos[env.model.nq - 1];
      const q = poses.subarray(pole * POSE_STRIDE + 3, pole * POSE_STRIDE + 7);
      const sign = Math.sign(q[0]) || 1;
      expect(sign * q[0]).toBeCloseTo(Math.abs(Math.cos(theta / 2)), 5);
      expect(sign * q[2]).toBeCloseTo(Math.sign(Math.cos(theta / 2)) * Math.sin(theta / 2), 5);
    } finally {
      env.dispose();
    }
  });

  it('clips actions to the action space and rejects malformed ones', async () => {
    const env = await makeMujocoEnv(id, readModelXml);
    try {
      expect(Array.from(env.actionSpace.low)).toEqual([-1]);
      expect(Array.from(env.actionSpace.high)).toEqual([1]);
      env.reset(5);
      const big = env.step(Float32Array.of(50));
      expect(env.data.ctrl[0]).toBe(1);
      env.reset(5);
      const one = env.step(Float32Array.of(1));
      expect(bits([big.obs])).toEqual(bits([one.obs]));
      expect(big.reward).toBe(one.reward); // the effort term sees the applied action
      env.step(Float32Array.of(-Infinity));
      expect(env.data.ctrl[0]).toBe(-1);
      expect(() => env.step(Float32Array.of(Number.NaN))).toThrow(/NaN/);
      expect(() => env.step(new Float32Array(2))).toThrow(/2 components, expected 1/);
    } finally {
      env.dispose();
    }
  });

  it('truncates at maxEpisodeSteps and then wants a reset', async () => {
    const env = await makeMujocoEnv(id, readModelXml);
    try {
      expect(env.dt).toBe(0.05);
      expect(env.model.opt.timestep * mujocoTask(id).frameSkip).toBeCloseTo(env.dt, 12);
      expect(() => env.step(Float32Array.of(0))).toThrow(/reset/);
      env.reset(1);
      const zero = Float32Array.of(0);
      for (let t = 1; t < env.maxEpisodeSteps; t++) {
        const r = env.step(zero);
        expect(r.truncated || r.terminated).toBe(false);
      }
      const last = env.step(zero);
      expect(last.truncated).toBe(true);
      expect(last.terminated).toBe(false);
      expect(env.elapsedSteps).toBe(env.maxEpisodeSteps);
      expect(() => env.step(zero)).toThrow(/reset/);
      env.reset(2);
      expect(env.step(zero).truncated).toBe(false);
    } finally {
      env.dispose();
    }
  });
});

describe('MujocoEnv lifecycle and loading', () => {
  it('refuses every call after dispose (and dispose twice is harmless)', async () => {
    const env = await makeMujocoEnv('pendulum', readModelXml);
    env.dispose();
    env.dispose();
    expect(() => env.reset(0)).toThrow(/disposed/);
    expect(() => env.poses()).toThrow(/disposed/);
  });

  it('names the file when the XML does not compile', async () => {
    await expect(MujocoEnv.create(mujocoTask('pendulum'), '<mujoco><worldbody><bad')).rejects.toThrow(
      /could not load model 'pendulum.xml'/,
    );
    // Well-formed XML that fails to compile (a sphere without a size) throws inside MuJoCo instead.
    const bad = '<mujoco><worldbody><geom type="sphere"/></worldbody></mujoco>';
    await expect(MujocoEnv.create(mujocoTask('pendulum'), bad)).rejects.toThrow(/could not load model 'pendulum.xml'/);
    // The shared runtime survives both failures.
    const env = await makeMujocoEnv('pendulum', readModelXml);
    expect(env.reset(0).length).toBe(3);
    env.dispose();
  });

  it('refuses a model that disagrees with the static task info', async () => {
    const xml = readModelXml('pendulum.xml').replace('ctrlrange="-1 1"', 'ctrlrange="-2 2"');
    await expect(MujocoEnv.create(mujocoTask('pendulum'), xml)).rejects.toThrow(/ctrlrange/);
    const slow = readModelXml('cartpole.xml').replace('timestep="0.01"', 'timestep="0.02"');
    await expect(MujocoEnv.create(mujocoTask('cartpole'), slow)).rejects.toThrow(/dt 0.05/);
  });
});
