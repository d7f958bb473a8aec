import type { MjData } from 'mujoco-js';
import type { MujocoEnv } from '../env/mujoco-env';
import { mujocoTask } from '../env/registry';
import type { BatchObjective } from './optimizer';

/** A position on the frame in pixel-index coordinates (x = column, y = row). */
export interface PointOnFrame {
  x: number;
  y: number;
}

/**
 * Visual foresight's cost with the true simulator as the model (the "perfect model" baseline of
 * issue 7): each candidate [H, A] runs in MuJoCo from the env's current state, on a private copy of
 * the simulation state; after every step `pointsOf(observation)` gives the designated points' true
 * positions on the frame, and the cost is Σ_t Σ_d ‖point_d,t − goal_d‖ (px), the last step counted
 * `terminalWeight` times (1: the plain sum): exactly the learned model's expected-distance cost
 * (pixel-distance-cost.ts) with a one-hot distribution at the true position.
 * Returns −cost per candidate (higher is better). Actions are clipped to the action space as env.step does.
 */
export class SimulatorPointObjective implements BatchObjective {
  private readonly scratch: MjData;
  private readonly obs: Float32Array;
  private readonly task;
  private disposed = false;

  constructor(
    private readonly env: MujocoEnv,
    private readonly pointsOf: (obs: Float32Array) => readonly PointOnFrame[],
    private readonly goals: readonly PointOnFrame[],
    private readonly terminalWeight = 1,
  ) {
    if (!(terminalWeight >= 1)) throw new Error(`simulator point objective: terminalWeight must be ≥ 1, got ${terminalWeight}`);
    this.task = mujocoTask(env.id);
    this.scratch = new env.mj.MjData(env.model);
    this.obs = new Float32Array(env.observationSpace.size);
  }

  /** −(Σ_t Σ_d distance, the last step weighted), px: samples [N · H · A] → [N]. */
  async evaluateBatch(samples: Float32Array, N: number, H: number, A: number): Promise<Float32Array> {
    return this.scores(samples, N, H, A);
  }

  /** Synchronous {@link evaluateBatch}. */
  scores(samples: Float32Array, N: number, H: number, A: number): Float32Array {
    if (this.disposed) throw new Error('SimulatorPointObjective: used after dispose()');
    if (samples.length !== N * H * A) throw new RangeError(`simulator point objective: ${samples.length} action values, expected ${N}×${H}×${A}`);
    const { mj, model, data, actionSpace } = this.env;
    const q0 = Float64Array.from(data.qpos as Float64Array);
    const v0 = Float64Array.from(data.qvel as Float64Array);
    const time0 = data.time;
    const s = this.scratch;
    const out = new Float32Array(N);
    for (let i = 0; i < N; i++) {
      (s.qpos as Float64Array).set(q0);
      (s.qvel as Float64Array).set(v0);
      s.time = time0;
      let cost = 0;
      for (let t = 0; t < H; t++) {
        const ctrl = s.ctrl as Float64Array;
        for (let j = 0; j < A; j++) ctrl[j] = Math.min(actionSpace.high[j], Math.max(actionSpace.low[j], samples[(i * H + t) * A + j]));
        for (let k = 0; k < this.task.frameSkip; k++) mj.mj_step(model, s);
        this.task.observe(s.qpos as Float64Array, s.qvel as Float64Array, this.obs);
        const weight = t === H - 1 ? this.terminalWeight : 1;
        this.pointsOf(this.obs).forEach((p, d) => {
          cost += weight * Math.hypot(p.x - this.goals[d].x, p.y - this.goals[d].y);
        });
      }
      out[i] = -cost;
    }
    return out;
  }

  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    this.scratch.delete();
  }
}
