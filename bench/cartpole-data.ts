/**
 * Benchmark data: real cart-pole transitions under uniformly random actions (the data an MBRL run
 * starts from), and the raw float32 file the PyTorch references read (bench/reference/common.py).
 */
import { makeMujocoEnv, type ReadModelXml } from '../src-main/mbrl/env';
import { TransitionBuffer, type TransitionBatch } from '../src-main/mbrl/data';
import { Rng } from '../src-main/mbrl/util';

/** n transitions of the cart-pole with actions uniform in [−1, 1]; episodes reset when they end. */
export async function collectCartpoleTransitions(readModelXml: ReadModelXml, n: number, seed = 0): Promise<TransitionBatch> {
  const env = await makeMujocoEnv('cartpole', readModelXml);
  try {
    const rng = new Rng(seed);
    const buffer = new TransitionBuffer(env.observationSpace.size, env.actionSpace.size, n);
    let episode = 0;
    let obs = env.reset(seed);
    const action = new Float32Array(env.actionSpace.size);
    while (buffer.size < n) {
      for (let j = 0; j < action.length; j++) action[j] = 2 * rng.nextFloat() - 1;
      const r = env.step(action);
      buffer.add(obs, action, r.obs, r.reward, r.terminated);
      obs = r.terminated || r.truncated ? env.reset(seed + ++episode) : r.obs;
    }
    return buffer.view();
  } finally {
    env.dispose();
  }
}

/** The batch as the references' raw float32 layout: obs [n, D] | act [n, A] | nextObs [n, D]. */
export function transitionsFileBytes(batch: TransitionBatch): Uint8Array {
  const { size: n, obsDim: D, actDim: A } = batch;
  const out = new Float32Array(n * (2 * D + A));
  out.set(batch.obs.subarray(0, n * D), 0);
  out.set(batch.act.subarray(0, n * A), n * D);
  out.set(batch.nextObs.subarray(0, n * D), n * (D + A));
  return new Uint8Array(out.buffer);
}
