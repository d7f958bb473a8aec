/**
 * Image observation throughput per image task (all of PIXEL_TASK_IDS): the software rasterizer alone
 * (frames/s at the task's default size, poses replayed from a random rollout), and env.step with and
 * without rendering the frame, so the rendering share of a data-collection step shows as a ratio
 * measured in the same run. Importing this file does nothing; call benchRender().
 */
import { PIXEL_TASK_IDS, makeMujocoEnv, makePixelEnv, pixelTaskInfo, type ReadModelXml } from '../src-main/mbrl/env';
import type { BenchResult } from './bench-result';

/** Options: seconds is the timed duration per measurement (default 1 s), after a short warm-up. */
export interface RenderBenchOptions {
  seconds?: number;
}

/**
 * For each image task: `<id> render (WxH)` frames/s, and `<id> env.step + frame` steps/s with
 * reference = the state env's env.step steps/s (ratio = the fraction of step throughput kept once
 * every step also renders its frame).
 */
export async function benchRender(readModelXml: ReadModelXml, options: RenderBenchOptions = {}): Promise<BenchResult[]> {
  const seconds = options.seconds ?? 1;
  const results: BenchResult[] = [];
  for (const id of PIXEL_TASK_IDS) {
    const info = pixelTaskInfo(id);
    const env = await makePixelEnv(id, readModelXml);
    const stateEnv = await makeMujocoEnv(info.stateTask, readModelXml);
    try {
      // 200 pose frames of a rollout with varied actions, replayed in a loop.
      const frames: Float32Array[] = [];
      env.reset(0);
      const action = new Float32Array(info.actDim);
      for (let k = 0; k < 200; k++) {
        for (let j = 0; j < action.length; j++) action[j] = Math.sin(0.37 * k + 1.3 * j);
        const r = env.step(action);
        frames.push(env.poses());
        if (r.terminated || r.truncated) env.reset(k);
      }
      const out = new Uint8Array(info.width * info.height * 3);
      let f = 0;
      const render = () => {
        env.rasterizer.render(frames[f], out);
        f = (f + 1) % frames.length;
      };
      timeLoop(render, 0.1 * seconds);
      results.push({ name: `${id} render (${info.width}x${info.height})`, value: timeLoop(render, seconds), unit: 'frames/s' });

      // Interleaved: the state env's step alone, then the pixel env's step (the same physics + a frame).
      let k = 0;
      const stepper = (e: { reset(seed: number): unknown; step(a: Float32Array): { terminated: boolean; truncated: boolean } }) => () => {
        for (let j = 0; j < action.length; j++) action[j] = Math.sin(0.37 * k + 1.3 * j);
        k++;
        const r = e.step(action);
        if (r.terminated || r.truncated) e.reset(k);
      };
      env.reset(0);
      stateEnv.reset(0);
      const pixelStep = stepper(env);
      const stateStep = stepper(stateEnv);
      timeLoop(pixelStep, 0.1 * seconds);
      timeLoop(stateStep, 0.1 * seconds);
      const pixelRates: number[] = [];
      const stateRates: number[] = [];
      for (let rep = 0; rep < 3; rep++) {
        stateRates.push(timeLoop(stateStep, seconds / 3));
        pixelRates.push(timeLoop(pixelStep, seconds / 3));
      }
      const value = median(pixelRates);
      const reference = median(stateRates);
      results.push({ name: `${id} env.step + frame`, value, unit: 'steps/s', reference, ratio: value / reference });
    } finally {
      env.dispose();
      stateEnv.dispose();
    }
  }
  return results;
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

/** Calls fn repeatedly for about `seconds`; returns calls per second. Checks the clock every 20 calls. */
function timeLoop(fn: () => void, seconds: number): number {
  const start = performance.now();
  const budgetMs = seconds * 1000;
  let calls = 0;
  let elapsed = 0;
  do {
    for (let i = 0; i < 20; i++) fn();
    calls += 20;
    elapsed = performance.now() - start;
  } while (elapsed < budgetMs);
  return (calls * 1000) / elapsed;
}
