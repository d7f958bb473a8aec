/**
 * The self-benchmark behind the engine's backend choice: what planning spends its time on, a chain of
 * forward passes of the MPC reference network (cart-pole: 4 observations + 1 action, MLP 3×200 swish,
 * as bench/planning.ts) over a CEM population of candidates, read back at the end as a planner does
 * after each iteration. Runs on the active tfjs backend; a few hundred ms per backend.
 */
import * as tf from '@tensorflow/tfjs-core';
import { EnsembleDynamicsModel } from '../../mbrl/models';

/** The planning shapes measured: [population, obsDim] through hidden widths, `steps` steps per timed unit. */
export const SELF_BENCHMARK_SHAPES = Object.freeze({ population: 500, obsDim: 4, actDim: 1, hidden: [200, 200, 200] as readonly number[], steps: 5 });

export interface SelfBenchmarkOptions {
  /** Stop timing after this many ms of timed units (default 300). */
  budgetMs?: number;
  /** At most this many timed units (default 15). */
  maxUnits?: number;
}

/**
 * Median ms per forward pass ([population, 4] × [population, 1] → [population, 4]) on the active
 * backend, after two untimed passes (shader compilation, wasm tier-up).
 */
export async function timePlanningForward(options: SelfBenchmarkOptions = {}): Promise<number> {
  const s = SELF_BENCHMARK_SHAPES;
  const budget = options.budgetMs ?? 300;
  const maxUnits = options.maxUnits ?? 15;
  const model = EnsembleDynamicsModel.create({ members: 1, probabilistic: false, sampling: 'shuffle', elites: 1, obsDim: s.obsDim, actDim: s.actDim, angleDims: [1], hidden: [...s.hidden], activation: 'swish', seed: 0 });
  const obs0 = tf.tensor2d(new Float32Array(s.population * s.obsDim).map((_, i) => Math.sin(i) * 0.5), [s.population, s.obsDim]);
  const act = tf.tensor2d(new Float32Array(s.population * s.actDim).map((_, i) => Math.cos(i)), [s.population, s.actDim]);
  const unit = async (steps: number) => {
    const t0 = performance.now();
    const last = tf.tidy(() => {
      let obs = obs0;
      for (let t = 0; t < steps; t++) obs = model.predict(obs, act);
      return obs;
    });
    await last.data();
    last.dispose();
    return performance.now() - t0;
  };
  try {
    await unit(1);
    // A slow backend (plain JavaScript, a software GPU) is timed one pass at a time: its order of magnitude is all that matters.
    const steps = (await unit(1)) > 40 ? 1 : s.steps;
    const times: number[] = [];
    let spent = 0;
    while (times.length < maxUnits && spent < budget) {
      const ms = await unit(steps);
      times.push(ms / steps);
      spent += ms;
    }
    times.sort((a, b) => a - b);
    return times[Math.floor(times.length / 2)];
  } finally {
    model.dispose();
    obs0.dispose();
    act.dispose();
  }
}
