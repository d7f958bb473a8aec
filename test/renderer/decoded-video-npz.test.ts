/**
 * Decoded video frames as an .npz replay buffer (what the renderer uploads for LeRobot video
 * features): written here, read back by the engine's own dataset reader and image-episode source
 * from a real file — frames o_0 … o_T per episode, actions, the state for colouring.
 */
import { describe, expect, it } from 'vitest';
import { decodedReplayArrays, npzBytes, type DecodedEpisode } from '../../src-renderer/src/stores/decoded-video-npz';
import { readBackImageEpisodes } from './engine-image-source';

const S = 4;
const frame = (v: number) => new Uint8Array(S * S * 3).fill(v);

function episode(frames: number, offset: number): DecodedEpisode {
  return {
    frames: Array.from({ length: frames }, (_, k) => frame(offset + k)),
    actions: Float32Array.from({ length: frames * 2 }, (_, i) => offset + i / 10),
    states: Float32Array.from({ length: frames }, (_, t) => offset * 100 + t),
  };
}

describe('decoded video frames as an .npz', () => {
  it('is a replay buffer the engine reads back into the same episodes', async () => {
    const episodes = [episode(5, 10), episode(4, 50)];
    const set = await readBackImageEpisodes(npzBytes(decodedReplayArrays(episodes, S, 2, 1)), 'cam.npz');
    expect(set.episodes).toHaveLength(2);
    expect(set.nextImageKey).toBe('next_obs');
    expect(set.stateNames).toEqual(['state[0]']);
    set.episodes.forEach((e, i) => {
      const F = episodes[i].frames.length;
      // All F frames come back (the last from next_obs), with the F − 1 actions between them.
      expect(e.frames.length).toBe(F * S * S * 3);
      for (let k = 0; k < F; k++) expect(e.frames[k * S * S * 3]).toBe(episodes[i].frames[k][0]);
      expect(Array.from(e.actions)).toEqual(Array.from(episodes[i].actions.subarray(0, (F - 1) * 2)));
      expect(Array.from(e.states.subarray(0, F - 1))).toEqual(Array.from(episodes[i].states.subarray(0, F - 1)));
    });
  });

  it('refuses frames of the wrong size and episodes without a transition', () => {
    expect(() => decodedReplayArrays([{ ...episode(3, 0), frames: [frame(1), new Uint8Array(5), frame(2)] }], S, 2, 1)).toThrow(/5 bytes, not 4×4×3/);
    expect(() => decodedReplayArrays([episode(1, 0)], S, 2, 1)).toThrow(/no transitions/);
  });
});
