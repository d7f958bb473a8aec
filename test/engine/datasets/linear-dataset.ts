import { writeRobomimic } from '../../../src-main/engine/run/robomimic-writer';
import type { RecordedEpisode } from '../../../src-main/engine/run/robomimic-writer';
import { Rng } from '../../../src-main/mbrl/util';

/** s′ = A s + B a: a stable 2-D linear system with one action. */
export const A = [
  [0.9, 0.1],
  [-0.1, 0.9],
];
export const B = [0.5, 0.2];

/**
 * Writes `episodes` episodes of `steps` steps of the linear system (random s_0 and actions in [−1, 1])
 * in robomimic layout (obs/state, next_obs/state, actions). `nanAt`: put a NaN into that episode's action.
 */
export async function writeLinearDataset(path: string, episodes: number, steps: number, seed = 1, nanAt?: number): Promise<void> {
  const rng = new Rng(seed);
  const u = () => 2 * rng.nextFloat() - 1;
  const eps: RecordedEpisode[] = [];
  for (let e = 0; e < episodes; e++) {
    const obs = new Float32Array((steps + 1) * 2);
    const act = new Float32Array(steps);
    obs[0] = u();
    obs[1] = u();
    for (let t = 0; t < steps; t++) {
      act[t] = u();
      for (let i = 0; i < 2; i++) obs[(t + 1) * 2 + i] = A[i][0] * obs[t * 2] + A[i][1] * obs[t * 2 + 1] + B[i] * act[t];
    }
    if (nanAt === e) act[1] = NaN;
    eps.push({ obs, act, reward: new Float32Array(steps), terminated: new Uint8Array(steps) });
  }
  await writeRobomimic(path, eps, { task: 'linear', obsDim: 2, actDim: 1 });
}
