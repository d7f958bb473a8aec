import { describe, expect, it } from 'vitest';
import type { ImageEpisode } from '../../../../src-main/mbrl/env';
import { episodesToImageTransitions } from '../../../../src-main/mbrl/models/latent';

/** An episode of T steps on 1×2 RGB frames whose every byte is 10·(frame index) + episode tag. */
function episode(T: number, tag: number): ImageEpisode {
  const frames = new Uint8Array((T + 1) * 6);
  for (let f = 0; f <= T; f++) frames.fill(10 * f + tag, f * 6, (f + 1) * 6);
  return {
    frames,
    states: Float32Array.from({ length: (T + 1) * 2 }, (_, i) => 100 * tag + i),
    actions: Float32Array.from({ length: T }, (_, t) => t + tag / 10),
    rewards: Float32Array.from({ length: T }, (_, t) => -t - tag),
    terminated: new Uint8Array(T),
  };
}

describe('episodesToImageTransitions', () => {
  it('pairs o_t with o_{t+1}, a_t, r_t and the true s_t, episode by episode', () => {
    const d = episodesToImageTransitions([episode(3, 1), episode(2, 2)], 1, 2);
    expect(d.size).toBe(5);
    expect(d.imageShape).toEqual([1, 2, 3]);
    expect(d.actDim).toBe(1);
    expect(d.stateDim).toBe(2);
    expect(Array.from(d.obs.filter((_, i) => i % 6 === 0))).toEqual([1, 11, 21, 2, 12]);
    expect(Array.from(d.nextObs.filter((_, i) => i % 6 === 0))).toEqual([11, 21, 31, 12, 22]);
    expect(Array.from(d.reward)).toEqual([-1, -2, -3, -2, -3]);
    expect(Array.from(d.states.subarray(6, 10))).toEqual([200, 201, 202, 203]);
  });

  it('stacks k frames on channels, oldest first, repeating the first frame at the start', () => {
    const d = episodesToImageTransitions([episode(3, 0)], 1, 2, 2);
    expect(d.imageShape).toEqual([1, 2, 6]);
    // Row 0: frames (0, 0); row 1: (0, 1); next of row 1: (1, 2). Pixel 0's channels: 3 of the older, 3 of the newer.
    expect(Array.from(d.obs.subarray(0, 6))).toEqual([0, 0, 0, 0, 0, 0]);
    expect(Array.from(d.obs.subarray(12, 18))).toEqual([0, 0, 0, 10, 10, 10]);
    expect(Array.from(d.nextObs.subarray(12, 18))).toEqual([10, 10, 10, 20, 20, 20]);
  });

  it('names what is wrong', () => {
    expect(() => episodesToImageTransitions([], 1, 2)).toThrow(/no transitions/);
    expect(() => episodesToImageTransitions([episode(2, 0)], 2, 2)).toThrow(/are not 3 frames of 2×2×3/);
  });
});
