import { describe, expect, it } from 'vitest';
import { MujocoEnv, POSE_STRIDE, TASK_IDS, makeMujocoEnv, mujocoTask } from '../../../src-main/mbrl/env';
import { Rng } from '../../../src-main/mbrl/util';
import { readModelXml } from './read-model';

/** Runs `steps` steps from reset(seed) with a fixed action sequence; returns every observation. */
function rollout(env: MujocoEnv, seed: number, steps: number, withPoses = false): Float32Array[] {
  const out = [env.reset(seed)];
  const actions = new Rng(99);
  for (let t = 0; t < steps; t++) {
    out.push(env.step(Float32Array.from({ length: env.actionSpace.size }, () => actions.uniform(-1, 1))).obs);
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
      // Only the runner travels, so only its camera follows a body: the torso.
      if (id === 'halfcheetah') expect(scene.bodies[scene.camera.follow ?? -1]?.name).toBe('torso');
      else expect(scene.camera.follow).toBeUndefined();

      env.reset(0);
      for (let t = 0; t < 5; t++) env.step(new Float32Array(env.actionSpace.size).fill(1));
      const poses = env.poses();
      expect(poses.length).toBe(scene.bodies.length * POSE_STRIDE);
      expect(Array.from(poses.subarray(0, POSE_STRIDE))).toEqual([0, 0, 0, 1, 0, 0, 0]);
      for (let b = 0; b < scene.bodies.length; b++) {
        expect(Math.hypot(...poses.subarray(b * POSE_STRIDE + 3, b * POSE_STRIDE + 7))).toBeCloseTo(1, 5);
      }
      // Poses are those after the step (not one substep behind): every body's position is the one
      // MuJoCo computes from the current qpos (had poses() skipped its refresh, this one would differ).
      env.mj.mj_kinematics(env.model, env.data);
      const xpos = env.data.xpos as Float64Array;
      for (let b = 0; b < scene.bodies.length; b++) {
        for (let k = 0; k < 3; k++) expect(poses[b * POSE_STRIDE + k]).toBe(Math.fround(xpos[3 * b + k]));
      }
      if (id !== 'pendulum' && id !== 'cartpole') return;
      // The pole's orientation matches the hinge angle: rotation θ about +y is the quaternion
      // (cos θ/2, 0, sin θ/2, 0), up to sign.
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

  it('poses observations (a predicted trajectory) without disturbing the episode', async () => {
    const env = await makeMujocoEnv(id, readModelXml);
    const twin = await makeMujocoEnv(id, readModelXml);
    try {
      const nbody = env.model.nbody;
      const actions = new Rng(3);
      const act = () => Float32Array.from({ length: env.actionSpace.size }, () => actions.uniform(-1, 1));
      const early = env.reset(11);
      twin.reset(11);
      let obs = early;
      for (let t = 0; t < 40; t++) {
        const a = act();
        obs = env.step(a).obs;
        twin.step(a);
      }
      // The current observation poses as the live state does (up to the observation's float32 rounding).
      const now = env.posesFor(obs);
      const live = env.poses();
      expect(now.length).toBe(nbody * POSE_STRIDE);
      for (let i = 0; i < live.length; i++) expect(Math.abs(now[i] - live[i])).toBeLessThan(1e-6);

      // K observations give K pose blocks, each the pose of its own observation.
      const three = new Float32Array(3 * obs.length);
      three.set(early, 0);
      three.set(obs, obs.length);
      three.set(early, 2 * obs.length);
      const poses = env.posesFor(three);
      expect(poses.length).toBe(3 * nbody * POSE_STRIDE);
      expect(Array.from(poses.subarray(nbody * POSE_STRIDE, 2 * nbody * POSE_STRIDE))).toEqual(Array.from(now));
      expect(Array.from(poses.subarray(2 * nbody * POSE_STRIDE))).toEqual(Array.from(poses.subarray(0, nbody * POSE_STRIDE)));
      expect(Array.from(poses.subarray(0, nbody * POSE_STRIDE))).not.toEqual(Array.from(now));
      expect(env.posesFor(new Float32Array(0)).length).toBe(0);
      expect(() => env.posesFor(new Float32Array(obs.length + 1))).toThrow(/multiple of obsDim/);

      // The live episode is untouched: the same poses, and the next steps match a twin that never drew.
      expect(Array.from(env.poses())).toEqual(Array.from(live));
      for (let t = 0; t < 5; t++) {
        const a = act();
        expect(bits([env.step(a).obs])).toEqual(bits([twin.step(a).obs]));
      }
    } finally {
      env.dispose();
      twin.dispose();
    }
  });

  it('clips actions to the action space and rejects malformed ones', async () => {
    const env = await makeMujocoEnv(id, readModelXml);
    try {
      const n = env.actionSpace.size;
      const fill = (v: number) => new Float32Array(n).fill(v);
      expect(Array.from(env.actionSpace.low)).toEqual(Array(n).fill(-1));
      expect(Array.from(env.actionSpace.high)).toEqual(Array(n).fill(1));
      env.reset(5);
      const big = env.step(fill(50));
      expect(Array.from(env.data.ctrl as Float64Array)).toEqual(Array(n).fill(1));
      env.reset(5);
      const one = env.step(fill(1));
      expect(bits([big.obs])).toEqual(bits([one.obs]));
      expect(big.reward).toBe(one.reward); // the effort term sees the applied action
      env.step(fill(-Infinity));
      expect(env.data.ctrl[0]).toBe(-1);
      const nan = fill(0);
      nan[n - 1] = Number.NaN;
      expect(() => env.step(nan)).toThrow(new RegExp(`action\\[${n - 1}\\] is NaN`));
      expect(() => env.step(new Float32Array(n + 1))).toThrow(`${n + 1} components, expected ${n}`);
    } finally {
      env.dispose();
    }
  });

  it('truncates at maxEpisodeSteps and then wants a reset', async () => {
    const env = await makeMujocoEnv(id, readModelXml);
    try {
      expect(env.dt).toBe(0.05);
      expect(env.model.opt.timestep * mujocoTask(id).frameSkip).toBeCloseTo(env.dt, 12);
      expect(() => env.step(new Float32Array(env.actionSpace.size))).toThrow(/reset/);
      env.reset(1);
      const zero = new Float32Array(env.actionSpace.size);
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
