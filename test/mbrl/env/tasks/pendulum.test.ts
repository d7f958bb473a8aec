import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { judgeEpisode, makeMujocoEnv, type MujocoEnv } from '../../../../src-main/mbrl/env';
import { PENDULUM_HOLD_STEPS, PENDULUM_INFO, PENDULUM_UPRIGHT_BAND, pendulumOutcome, pendulumReward, pendulumTask, pendulumUprightHeld } from '../../../../src-main/mbrl/env/tasks/pendulum';
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

describe('pendulum swing-up success (upright and held)', () => {
  /** States [T · 3] at the given angles, at rest. */
  const at = (angles: number[]) => Float32Array.from(angles.flatMap((a) => [Math.cos(a), Math.sin(a), 0]));
  const hanging = (n: number) => new Array<number>(n).fill(Math.PI);

  it('holds when every one of the last 50 states is within 0.3 rad of upright, whatever came before', () => {
    expect([PENDULUM_UPRIGHT_BAND, PENDULUM_HOLD_STEPS]).toEqual([0.3, 50]);
    expect(pendulumUprightHeld(at([...hanging(150), ...new Array<number>(50).fill(0.29)]))).toBe(true);
    // Angles wrap: 2π − 0.2 is 0.2 rad from upright.
    expect(pendulumUprightHeld(at([...hanging(150), ...new Array<number>(50).fill(2 * Math.PI - 0.2)]))).toBe(true);
    expect(pendulumUprightHeld(at(new Array<number>(50).fill(-0.1)))).toBe(true);
  });

  it('fails when one of the last 50 states leaves the band, when the hold ended earlier, or the episode is shorter than the hold', () => {
    const upright = new Array<number>(50).fill(0.1);
    const oneOut = [...upright];
    oneOut[10] = 0.31;
    expect(pendulumUprightHeld(at([...hanging(150), ...oneOut]))).toBe(false);
    // Balanced for 100 steps, then fell over in the last one.
    expect(pendulumUprightHeld(at([...hanging(99), ...new Array<number>(100).fill(0), 1]))).toBe(false);
    // Swinging through the top (a full turn every ~40 steps) passes the band but never holds it.
    expect(pendulumUprightHeld(at(Array.from({ length: 200 }, (_, t) => (t * 2 * Math.PI) / 40)))).toBe(false);
    expect(pendulumUprightHeld(at(new Array<number>(49).fill(0)))).toBe(false);
    expect(pendulumUprightHeld(at([NaN, ...new Array<number>(49).fill(0)]))).toBe(false);
  });

  it('is the success predicate of pendulum and pendulum-pixels episodes, with the largest and mean |θ| of the hold', () => {
    const held = at([...hanging(100), ...new Array<number>(49).fill(0.1), -0.2]);
    const outcome = pendulumOutcome(held, 3);
    expect(outcome.success).toBe(true);
    expect(outcome.measures.maxAbsAngleHeld).toBeCloseTo(0.2, 6);
    expect(outcome.measures.meanAbsAngleHeld).toBeCloseTo((49 * 0.1 + 0.2) / 50, 6);
    expect(judgeEpisode('pendulum-pixels', held, 3)).toEqual(outcome);
    expect(judgeEpisode('pendulum', at(hanging(200)), 3)?.success).toBe(false);
    expect(() => pendulumOutcome(held, 4)).toThrow(/3 values each/);
  });

  it('takes another band and hold length', () => {
    const states = at([...hanging(10), ...new Array<number>(20).fill(0.5)]);
    expect(pendulumUprightHeld(states, 0.6, 20)).toBe(true);
    expect(pendulumUprightHeld(states, 0.6, 21)).toBe(false);
    expect(pendulumUprightHeld(states)).toBe(false);
  });
});
