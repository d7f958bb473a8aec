import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeMujocoEnv, type MujocoEnv } from '../../../../src-main/mbrl/env';
import { CARTPOLE_POLE_LENGTH, cartpoleReward } from '../../../../src-main/mbrl/env/tasks/cartpole';
import { readModelXml } from '../read-model';

describe('cartpole physics', () => {
  let env: MujocoEnv;
  beforeAll(async () => {
    env = await makeMujocoEnv('cartpole', readModelXml);
  });
  afterAll(() => env.dispose());

  /** Released from θ = 2 rad at rest, no force, no damping: max |E(t) − E(0)| over `seconds`, J. */
  function maxEnergyError(integrator: number, seconds: number): { error: number; scale: number } {
    const { mj, model, data } = env;
    (model.dof_damping as Float64Array).fill(0);
    model.opt.integrator = integrator;
    mj.mj_resetData(model, data); // ctrl = 0
    data.qpos[1] = 2.0;
    mj.mj_forward(model, data);
    const energy = () => data.energy[0] + data.energy[1]; // potential + kinetic, J (energy flag in the XML)
    const e0 = energy();
    let error = 0;
    for (let k = 0; k < Math.round(seconds / model.opt.timestep); k++) {
      mj.mj_step(model, data);
      mj.mj_forward(model, data); // mj_step leaves data.energy at the pre-step state
      error = Math.max(error, Math.abs(energy() - e0));
    }
    // Scale: the pole's swing of potential energy, m·g·l_com (J). E(0) itself is dominated by the
    // cart's constant m·g·z, so a relative-to-E(0) tolerance would be meaninglessly loose.
    const b = 2; // pole body
    const scale = (model.body_mass as Float64Array)[b] * 9.81 * Math.abs((model.body_ipos as Float64Array)[3 * b + 2]);
    return { error, scale };
  }

  it('conserves energy with no force and no damping (RK4)', () => {
    // RK4's global error is O(h⁴): with h = 0.01 s and the pole's ω ≈ 5 rad/s, (ωh)⁴ ≈ 6e-6 of the
    // energy scale bounds the drift over a few periods (measured: ~2e-7). The task itself runs the
    // semi-implicit Euler integrator, whose energy error oscillates at O(h) (next test), which would
    // hide a real leak; RK4 isolates the model: no hidden damping, friction or limit forces.
    const { error, scale } = maxEnergyError(1 /* mjINT_RK4 */, 10);
    expect(error / scale).toBeLessThan(1e-5);
  });

  it('keeps the energy error of the task integrator (semi-implicit Euler) bounded', () => {
    // Semi-implicit Euler does not conserve energy exactly but does not drift either: the error
    // oscillates at O(ωh) ≈ 5 % of m·g·l_com here. 10 % over 10 s catches instability or leaks.
    const { error, scale } = maxEnergyError(0 /* mjINT_EULER */, 10);
    expect(error / scale).toBeLessThan(0.1);
  });
});

describe('cartpole task', () => {
  it('starts hanging down and observes [x, θ, ẋ, θ̇]', async () => {
    const env = await makeMujocoEnv('cartpole', readModelXml);
    try {
      const obs = env.reset(11);
      expect(obs.length).toBe(4);
      expect(Math.abs(obs[1] - Math.PI)).toBeLessThan(0.5);
      const { qpos, qvel } = env.data;
      expect(Array.from(obs)).toEqual([qpos[0], qpos[1], qvel[0], qvel[1]].map(Math.fround));
    } finally {
      env.dispose();
    }
  });

  it('rewards exp(−d²/l²) − 0.01·a² with d the tip distance to upright over x = 0', () => {
    const l = CARTPOLE_POLE_LENGTH;
    expect(cartpoleReward([0, 0, 0, 0], [0])).toBe(1);
    expect(cartpoleReward([0, 0, 5, 5], [1])).toBeCloseTo(0.99, 12); // velocities are not penalised
    expect(cartpoleReward([0, Math.PI, 0, 0], [0])).toBeCloseTo(Math.exp(-4), 12); // d = 2l
    expect(cartpoleReward([0.3, 0, 0, 0], [0])).toBeCloseTo(Math.exp(-(0.3 ** 2) / l ** 2), 12);
    // Tip over the origin but the pole tipped +90° with the cart at −l: d² = l².
    expect(cartpoleReward([-l, Math.PI / 2, 0, 0], [0])).toBeCloseTo(Math.exp(-1), 12);
  });

  it('puts the cart body where the observation says, after a push to +x', async () => {
    const env = await makeMujocoEnv('cartpole', readModelXml);
    try {
      env.reset(2);
      let r = env.step(Float32Array.of(1));
      for (let i = 0; i < 9; i++) r = env.step(Float32Array.of(1));
      expect(r.obs[2]).toBeGreaterThan(0.5); // pushed toward +x
      expect(r.reward).toBe(cartpoleReward(r.obs, [1]));
      const poses = env.poses();
      expect(poses[7 * 1]).toBeCloseTo(r.obs[0], 5); // cart body x
    } finally {
      env.dispose();
    }
  });
});
