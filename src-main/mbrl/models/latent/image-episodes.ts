import type { ImageEpisode } from '../../env';
import { framesToChannels } from '../../render';
import type { ImageTransitions } from './image-transitions';

/** Image transitions with the true state at each o_t beside them (for colouring plots; never a model input). */
export interface LabelledImageTransitions extends ImageTransitions {
  /** s_t: [size, stateDim]. */
  states: Float32Array;
  stateDim: number;
}

/**
 * Collected episodes → training transitions (o_t, a_t, r_t, o_{t+1}). With k > 1 each observation stacks
 * the k newest frames on channels ([H, W, 3k], oldest first, the first frame repeated at the start of an
 * episode, as ImageEnv does), so a model can see velocities.
 */
export function episodesToImageTransitions(episodes: readonly ImageEpisode[], height: number, width: number, frameStack = 1): LabelledImageTransitions {
  const frameBytes = height * width * 3;
  const k = frameStack;
  if (!Number.isInteger(k) || k < 1) throw new Error(`frameStack must be a positive integer, got ${frameStack}`);
  const size = episodes.reduce((s, e) => s + e.rewards.length, 0);
  if (size < 1) throw new Error('episodes hold no transitions');
  const first = episodes.find((e) => e.rewards.length > 0)!;
  const actDim = first.actions.length / first.rewards.length;
  const stateDim = first.states.length / (first.rewards.length + 1);
  const obsBytes = frameBytes * k;
  const obs = new Uint8Array(size * obsBytes);
  const nextObs = new Uint8Array(size * obsBytes);
  const act = new Float32Array(size * actDim);
  const reward = new Float32Array(size);
  const states = new Float32Array(size * stateDim);
  const stack = new Uint8Array(obsBytes);
  /** Frames t−k+1 … t of an episode (clamped at 0), channels-last. */
  const stacked = (e: ImageEpisode, t: number) => {
    if (k === 1) return e.frames.subarray(t * frameBytes, (t + 1) * frameBytes);
    for (let f = 0; f < k; f++) {
      const src = Math.max(0, t - k + 1 + f);
      stack.set(e.frames.subarray(src * frameBytes, (src + 1) * frameBytes), f * frameBytes);
    }
    return framesToChannels(stack, k, height, width);
  };
  let row = 0;
  for (const e of episodes) {
    const T = e.rewards.length;
    if (e.frames.length !== (T + 1) * frameBytes) throw new Error(`episode frames: ${e.frames.length} bytes are not ${T + 1} frames of ${height}×${width}×3`);
    for (let t = 0; t < T; t++, row++) {
      obs.set(stacked(e, t), row * obsBytes);
      nextObs.set(stacked(e, t + 1), row * obsBytes);
      act.set(e.actions.subarray(t * actDim, (t + 1) * actDim), row * actDim);
      reward[row] = e.rewards[t];
      states.set(e.states.subarray(t * stateDim, (t + 1) * stateDim), row * stateDim);
    }
  }
  return { size, imageShape: [height, width, 3 * k], actDim, obs, act, reward, nextObs, states, stateDim };
}
