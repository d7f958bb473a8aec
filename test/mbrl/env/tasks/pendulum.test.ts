import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMujocoEnv, type MujocoEnv } from '../../../../src-main/mbrl/env';
import { PENDULUM_INFO, pendulumReward, pendulumTask } from '../../../../src-main/mbrl/env/tasks/pendulum';
import { readModelXml } from '../read-model';

/** Rotates v by the inverse of unit quaternion q = (w, x, y, z): expresses a parent-frame vector in q's frame. */
function rotateInverse(q: ArrayLike<number>, v: [number, number, number]): [number, number, number] {
  const [w, x, y, z] = [q[0], -q[1], -q[2], -q[3]];
  // v' = v + 2w(u×v) + 2u×(u×v), u = (x, y, z)
  const c1 = [y * v[2] - z * v[1], z * v[0] - x * v[2], x * v[1] - y * v[0]];
  const c2 = [y * c1[2] - z * c1[1], z * c1[0] - x * c1[2], x * c1[1] - y * c1[0]];
  return [v[0] + 2 * w * c1[0] + 2 * c2[0], v[1] + 2 * w * c1[1] + 2 * c2[1], v[2] + 2 * w * c1[2] + 2 * c2[2]];
}

describe('pendulum physics', () => {
  let env: MujocoEnv;
  beforeAll(async () => {
    env = await makeMujocoEnv('pendulum', readModelXml);
  });
  afterAll(() => env.dispose());

  it('small oscillations have the period 2π√(I/(m·g·d)) of the modelled rigid body', () => {
    const { mj, model, data } = env;
    const b = 1; // the pole body
    const m = (model.body_mass as Float64Array)[b];
    const diag = (model.body_inertia as Float64Array).subarray(3 * b, 3 * b + 3);
    const iquat = (model.body_iquat as Float64Array).subarray(4 * b, 4 * b + 4);
    const com = (model.body_ipos as Float64Array).subarray(3 * b, 3 * b + 3);
    const axis = Array.from((model.jnt_axis as Float64Array).subarray(0, 3)) as [number, number, number];
    const anchor = (model.jnt_pos as Float64Array).subarray(0, 3);
    // Inertia about the hinge axis through the COM: the axis in the principal frame, then Σ Iᵢ·aᵢ².
    const a = rotateInverse(iquat, axis);
    const iCom = diag[0] * a[0] ** 2 + diag[1] * a[1] ** 2 + diag[2] * a[2] ** 2;
    // d: distance from the hinge axis line to the COM (component of COM − anchor perpendicular to the axis).
    const r = [com[0] - anchor[0], com[1] - anchor[1], com[2] - anchor[2]];
    const along = r[0] * axis[0] + r[1] * axis[1] + r[2] * axis[2];
    const d = Math.hypot(r[0] - along * axis[0], r[1] - along * axis[1], r[2] - along * axis[2]);
    const g = -(model.opt.gravity as Float64Array)[2];
    const inertia = iCom + m * d * d; // parallel axis theorem
    const expected = 2 * Math.PI * Math.sqrt(inertia / (m * g * d));

    // Free swing: no damping, no motor, released 0.05 rad from hanging (θ = π), raw substeps.
    (model.dof_damping as Float64Array).fill(0);
    mj.mj_resetData(model, data);
    data.qpos[0] = Math.PI + 0.05;
    const h = model.opt.timestep;
    const crossings: number[] = []; // times of upward zero crossings of θ − π, linearly interpolated
    let prev = data.qpos[0] - Math.PI;
    for (let k = 1; k <= Math.ceil((6 * expected) / h); k++) {
      mj.mj_step(model, data);
      const now = data.qpos[0] - Math.PI;
      if (prev < 0 && now >= 0) crossings.push((k - 1 + -prev / (now - prev)) * h);
      prev = now;
    }
    expect(crossings.length).toBeGreaterThanOrEqual(5);
    const measured = (crossings[crossings.length - 1] - crossings[0]) / (crossings.length - 1);
    expect(Math.abs(measured - expected) / expected).toBeLessThan(0.02);
  });
});

describe('pendulum task', () => {
  it('starts hanging down near rest and observes [cos θ, sin θ, θ̇]', async () => {
    const env = await makeMujocoEnv('pendulum', readModelXml);
    try {
      const obs = env.reset(3);
      expect(obs.length).toBe(PENDULUM_INFO.obsDim);
      expect(obs[0]).toBeLessThan(-0.99); // cos θ ≈ −1
      expect(Math.abs(obs[1])).toBeLessThanOrEqual(Math.sin(0.1) + 1e-6);
      expect(Math.abs(obs[2])).toBeLessThanOrEqual(0.1 + 1e-6);
      const theta = env.data.qpos[0];
      expect(obs[0]).toBe(Math.fround(Math.cos(theta)));
      expect(obs[1]).toBe(Math.fround(Math.sin(theta)));
    } finally {
      env.dispose();
    }
  });

  it('recovers θ from (cos θ, sin θ) on the branch nearest the current, possibly much turned, angle', () => {
    for (const current of [0, Math.PI, -Math.PI, 7 * Math.PI + 0.3, -20.5]) {
      for (const offset of [-3, -1, -0.1, 0, 0.2, 2.5, 3.1]) {
        const target = current + offset;
        const qpos = Float64Array.of(current);
        pendulumTask.configurationFromObs([Math.cos(target), Math.sin(target), 0], qpos);
        expect(qpos[0]).toBeCloseTo(target, 9);
      }
    }
  });

  it('rewards −(θₙ² + 0.1·θ̇² + 0.001·τ²) with τ = 2a N·m', () => {
    expect(pendulumReward([1, 0, 0], [0])).toBe(-0);
    expect(pendulumReward([-1, 0, 0], [0])).toBeCloseTo(-(Math.PI ** 2), 12);
    expect(pendulumReward([1, 0, 2], [1])).toBeCloseTo(-(0.1 * 4 + 0.001 * 4), 12);
    // θ is normalised: −π/2 and 3π/2 are the same angle.
    expect(pendulumReward([0, -1, 0], [0])).toBeCloseTo(-((Math.PI / 2) ** 2), 12);
  });

  it('step rewards are the reward of the next observation and the applied action', async () => {
    const env = await makeMujocoEnv('pendulum', readModelXml);
    try {
      env.reset(1);
      const r = env.step(Float32Array.of(0.5));
      expect(r.reward).toBe(pendulumReward(r.obs, [0.5]));
    } finally {
      env.dispose();
    }
  });
});
