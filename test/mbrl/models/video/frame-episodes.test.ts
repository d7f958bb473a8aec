import { describe, expect, it } from 'vitest';
import { WindowSampler, episodeLength } from '../../../../src-main/mbrl/models/video/frame-episodes';
import { movingSquareEpisodes } from '../../../../src-main/mbrl/models/video/moving-square';
import { Rng } from '../../../../src-main/mbrl/util';

const shape = { size: 4, channels: 1, actDim: 2 };

describe('frame episodes', () => {
  it('names the episode whose frames and actions disagree', () => {
    expect(() => episodeLength({ frames: new Uint8Array(16 * 3), actions: new Float32Array(6) }, shape, 7)).toThrow(/episode 7: 3 frames for 3 actions/);
    expect(() => episodeLength({ frames: new Uint8Array(15), actions: new Float32Array(0) }, shape, 2)).toThrow(/episode 2: frames has 15 bytes/);
  });

  it('draws windows of consecutive frames with the actions between them, scaled to [0, 1]', () => {
    // Frame t of episode e is filled with 10·e + t; action t is (t, −t).
    const episodes = [0, 1].map((e) => ({
      frames: Uint8Array.from({ length: 6 * 16 }, (_, i) => 10 * e + Math.floor(i / 16)),
      actions: Float32Array.from({ length: 10 }, (_, i) => (i % 2 ? -Math.floor(i / 2) : Math.floor(i / 2))),
    }));
    const sampler = new WindowSampler(episodes, shape, 3);
    expect(sampler.count).toBe(8);
    const batch = sampler.sample(16, new Rng(1));
    for (let b = 0; b < 16; b++) {
      const first = Math.round(batch.frames[b * 3 * 16] * 255);
      const t0 = first % 10;
      for (let t = 0; t < 3; t++) expect(Math.round(batch.frames[(b * 3 + t) * 16 + 5] * 255)).toBe(first + t);
      expect(Array.from(batch.actions.subarray(b * 4, b * 4 + 4))).toEqual([t0, -t0, t0 + 1, -(t0 + 1)]);
    }
  });

  it("carries each window's object points when every episode has them, and names an episode whose points do not fit", () => {
    // Episode e's point in frame t is (100·e + t, −t).
    const episodes = [0, 1].map((e) => ({
      frames: new Uint8Array(6 * 16),
      actions: new Float32Array(10),
      points: Float32Array.from({ length: 12 }, (_, i) => (i % 2 ? -Math.floor(i / 2) : 100 * e + Math.floor(i / 2))),
    }));
    const sampler = new WindowSampler(episodes, shape, 3);
    expect(sampler.hasPoints).toBe(true);
    const batch = sampler.sample(8, new Rng(2));
    for (let b = 0; b < 8; b++) {
      const x0 = batch.points![b * 6];
      for (let t = 0; t < 3; t++) expect([batch.points![b * 6 + 2 * t], batch.points![b * 6 + 2 * t + 1]]).toEqual([x0 + t, -((x0 % 100) + t)]);
    }
    const mixed = new WindowSampler([episodes[0], { frames: episodes[1].frames, actions: episodes[1].actions }], shape, 3);
    expect(mixed.hasPoints).toBe(false);
    expect(mixed.sample(2, new Rng(0)).points).toBeUndefined();
    expect(() => episodeLength({ ...episodes[0], points: new Float32Array(10) }, shape, 4)).toThrow(/episode 4: points has 10 values for 6 frames/);
  });

  it('refuses when no episode is long enough', () => {
    const episodes = movingSquareEpisodes({ size: 8, channels: 1, side: 2, pxPerAction: 1, episodes: 2, steps: 3, seed: 1 });
    expect(() => new WindowSampler(episodes, { size: 8, channels: 1, actDim: 2 }, 5)).toThrow(/5 frames/);
  });
});
