import type { MjData } from 'mujoco-js';
import type { MujocoEnv } from './mujoco-env';
import { mujocoTask } from './registry';

/**
 * The true simulator used as a planner's model: scores candidate action sequences by running each in
 * MuJoCo from the env's current state, on a private copy of the simulation state (the live episode is
 * never touched). This is the "perfect model" baseline — planning with the true dynamics and reward —
 * that tells how much of a learned model's shortfall is the model's and how much the planner's.
 *
 * Cost: N·H·frameSkip mj_steps per call (cart-pole: ~0.1–0.2 s for 200 candidates × 25 steps).
 */
export class SimulatorRollout {
  private readonly scratch: MjData;
  private readonly obs: Float32Array;
  private readonly applied: Float32Array;
  private readonly task;
  private disposed = false;

  constructor(private readonly env: MujocoEnv) {
    this.task = mujocoTask(env.id);
    this.scratch = new env.mj.MjData(env.model);
    this.obs = new Float32Array(env.observationSpace.size);
    this.applied = new Float32Array(env.actionSpace.size);
  }

  /**
   * Return of each candidate from the env's current state: actions [N, H, A] row-major → [N].
   * Actions are clipped to the action space as env.step would; rewards after a termination count zero
   * (as in the model objectives). NaN actions make that candidate's return NaN (it sorts last).
   */
  returns(actions: Float32Array, n: number, horizon: number): Float32Array {
    if (this.disposed) throw new Error('SimulatorRollout: used after dispose()');
    const { mj, model, data } = this.env;
    const A = this.applied.length;
    if (actions.length !== n * horizon * A) throw new RangeError(`simulator rollout: ${actions.length} action values, expected ${n}×${horizon}×${A}`);
    const { low, high } = this.env.actionSpace;
    const q0 = Float64Array.from(data.qpos as Float64Array);
    const v0 = Float64Array.from(data.qvel as Float64Array);
    const act0 = Float64Array.from(data.act as Float64Array);
    const time0 = data.time;
    const out = new Float32Array(n);
    const s = this.scratch;
    for (let i = 0; i < n; i++) {
      (s.qpos as Float64Array).set(q0);
      (s.qvel as Float64Array).set(v0);
      if (act0.length) (s.act as Float64Array).set(act0);
      s.time = time0;
      let total = 0;
      for (let t = 0; t < horizon; t++) {
        const ctrl = s.ctrl as Float64Array;
        for (let j = 0; j < A; j++) {
          const a = actions[(i * horizon + t) * A + j];
          this.applied[j] = Number.isNaN(a) ? Number.NaN : Math.min(high[j], Math.max(low[j], a));
          ctrl[j] = Number.isNaN(a) ? 0 : this.applied[j];
        }
        for (let k = 0; k < this.task.frameSkip; k++) mj.mj_step(model, s);
        this.task.observe(s.qpos as Float64Array, s.qvel as Float64Array, this.obs);
        total += this.task.reward(this.obs, this.applied);
        if (this.task.terminated(this.obs)) break;
      }
      out[i] = total;
    }
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.scratch.delete();
  }
}
