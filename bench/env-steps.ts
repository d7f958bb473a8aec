/**
 * Simulation throughput per task (all of TASK_IDS: pendulum, cartpole, reacher, pusher, halfcheetah,
 * point-mass, planar-push):
 * raw MuJoCo mj_step (one physics timestep) and full env.step (frame skip substeps + observation,
 * reward, and poses extraction, as a live viewer or a data collector runs it). Contact-rich tasks
 * (pusher while touching the puck, halfcheetah on the floor) cost more per mj_step than the
 * contact-free ones. Importing this file does nothing; call benchEnvSteps().
 */
import { makeMujocoEnv, TASK_IDS, type ReadModelXml } from '../src-main/mbrl/env';

/** One benchmark number. */
export interface EnvStepResult {
  /** e.g. "cartpole mj_step" or "cartpole env.step". */
  name: string;
  value: number;
  /** "steps/s": mj_step counts physics timesteps (0.01 s), env.step counts env steps (0.05 s). */
  unit: string;
}

/** Options: seconds is the timed duration per measurement (default 1 s), after a short warm-up. */
export interface EnvStepBenchOptions {
  seconds?: number;
}

/**
 * Measures, for each task, raw mj_step steps/s and env.step steps/s (including obs and poses()).
 * Takes about 2 × seconds per task. Actions are a fixed pseudo-random sequence; episodes are reset
 * when they end (the reset is timed too, as it would be in a real loop, but is rare: 1 in 200).
 */
export async function benchEnvSteps(readModelXml: ReadModelXml, options: EnvStepBenchOptions = {}): Promise<EnvStepResult[]> {
  const seconds = options.seconds ?? 1;
  const results: EnvStepResult[] = [];
  for (const id of TASK_IDS) {
    const env = await makeMujocoEnv(id, readModelXml);
    try {
      const { mj, model, data } = env;
      env.reset(0);
      const rawStep = () => mj.mj_step(model, data);
      timeLoop(rawStep, 0.1 * seconds); // warm-up: JIT and wasm tier-up
      results.push({ name: `${id} mj_step`, value: timeLoop(rawStep, seconds), unit: 'steps/s' });

      env.reset(0);
      const action = new Float32Array(env.actionSpace.size);
      let k = 0;
      const envStep = () => {
        // Deterministic, varied, within [-1, 1]; each action dimension on its own phase.
        for (let j = 0; j < action.length; j++) action[j] = Math.sin(0.37 * k + 1.3 * j);
        k++;
        const r = env.step(action);
        env.poses();
        if (r.terminated || r.truncated) env.reset(k);
      };
      timeLoop(envStep, 0.1 * seconds);
      results.push({ name: `${id} env.step`, value: timeLoop(envStep, seconds), unit: 'steps/s' });
    } finally {
      env.dispose();
    }
  }
  return results;
}

/** Calls fn repeatedly for about `seconds`; returns calls per second. Checks the clock every 100 calls. */
function timeLoop(fn: () => void, seconds: number): number {
  const start = performance.now();
  const budgetMs = seconds * 1000;
  let calls = 0;
  let elapsed = 0;
  do {
    for (let i = 0; i < 100; i++) fn();
    calls += 100;
    elapsed = performance.now() - start;
  } while (elapsed < budgetMs);
  return (calls * 1000) / elapsed;
}
