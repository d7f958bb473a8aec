/** collectImageEpisodes with a policy (PlaNet-style collection between fits), and the object point its episodes carry. */
import { describe, expect, it } from 'vitest';
import { collectImageEpisodes, makePixelEnv, pixelView, planarPushCentrePixel, type ImageEpisode } from '../../../src-main/mbrl/env';
import { framesToChannels } from '../../../src-main/mbrl/render';
import { readModelXml } from './read-model';

describe('collectImageEpisodes with a policy', () => {
  it("acts on the env's frame stack and the true state, records the (clipped) actions, and disposes each episode's policy", async () => {
    const env = await makePixelEnv('pendulum-pixels', readModelXml, { width: 16, height: 16, frameStack: 2 });
    try {
      const F = 16 * 16 * 3;
      const seen: { episode: number; obs: Uint8Array; state: Float32Array }[] = [];
      const disposed: number[] = [];
      const episodes = await collectImageEpisodes(env, {
        episodes: 2,
        steps: 5,
        seed: 3,
        policy: (episode) => ({
          // A torque that grows past the bound: 0.5, 1, 1.5 (clipped to 1), …
          act: (obs, state) => {
            seen.push({ episode, obs, state });
            return Float32Array.of(0.5 * (seen.filter((s) => s.episode === episode).length));
          },
          dispose: () => disposed.push(episode),
        }),
      });
      expect(disposed).toEqual([0, 1]);
      expect(seen).toHaveLength(10);
      expect(Array.from(episodes[0].actions)).toEqual([0.5, 1, 1, 1, 1]);
      for (const [e, episode] of episodes.entries()) {
        for (let t = 0; t < 5; t++) {
          const { obs, state } = seen[e * 5 + t];
          // The stack is frames t−1, t (the first frame twice at the start), as the env observes them.
          const prev = episode.frames.subarray(Math.max(0, t - 1) * F, Math.max(1, t) * F);
          expect(obs.subarray(0, F)).toEqual(prev);
          expect(obs.subarray(F)).toEqual(episode.frames.subarray(t * F, (t + 1) * F));
          expect(framesToChannels(obs, 2, 16, 16)).toHaveLength(2 * F);
          expect(Array.from(state)).toEqual(Array.from(episode.states.subarray(t * 3, (t + 1) * 3)));
        }
      }
    } finally {
      env.dispose();
    }
  });

  it('adds seeded Gaussian noise to the policy actions, inside the action bounds', async () => {
    const env = await makePixelEnv('pendulum-pixels', readModelXml, { width: 16, height: 16 });
    try {
      const run = (): Promise<ImageEpisode[]> => collectImageEpisodes(env, { episodes: 1, steps: 40, seed: 7, actionNoise: 0.5, policy: () => ({ act: () => Float32Array.of(0.8) }) });
      const [a, b] = [await run(), await run()];
      const actions = Array.from(a[0].actions);
      expect(actions).toEqual(Array.from(b[0].actions));
      expect(Math.max(...actions)).toBeLessThanOrEqual(1);
      expect(Math.min(...actions)).toBeGreaterThanOrEqual(-1);
      expect(actions.some((x) => x === 1)).toBe(true); // 0.8 + noise clipped
      expect(actions.some((x) => x < 0.5)).toBe(true); // noise of std 0.5 does move some well below
      const mean = actions.reduce((s, x) => s + x, 0) / actions.length;
      expect(mean).toBeGreaterThan(0.4);
    } finally {
      env.dispose();
    }
  });
});

describe('collected episodes carry the object point', () => {
  it("gives the pushing task's block centre in every frame, and none for a task without an object", async () => {
    const push = await makePixelEnv('planar-push-pixels', readModelXml, { width: 32, height: 32 });
    const swing = await makePixelEnv('pendulum-pixels', readModelXml, { width: 16, height: 16 });
    try {
      // Aimed pushes, so that the block moves in some of the frames.
      const [episode] = await collectImageEpisodes(push, { episodes: 1, steps: 12, seed: 5, aimProbability: 1, aim: pixelView('planar-push-pixels').explore });
      const dim = push.stateSpace.size;
      expect(episode.points).toHaveLength(2 * 13);
      let moved = 0;
      for (let t = 0; t <= 12; t++) {
        const state = episode.states.subarray(t * dim, (t + 1) * dim);
        const centre = planarPushCentrePixel(push.camera, state);
        const [x, y] = [episode.points![2 * t], episode.points![2 * t + 1]];
        // The rounded point is the centre pixel the evaluation designates.
        expect([Math.round(x), Math.round(y)]).toEqual([centre.x, centre.y]);
        moved = Math.max(moved, Math.hypot(x - episode.points![0], y - episode.points![1]));
      }
      expect(moved).toBeGreaterThan(0.5);
      const [plain] = await collectImageEpisodes(swing, { episodes: 1, steps: 3, seed: 0 });
      expect(plain.points).toBeUndefined();
    } finally {
      push.dispose();
      swing.dispose();
    }
  });
});

describe('collectImageEpisodes with goal-push episodes', () => {
  it('uses the goal push for a whole episode in the asked share of episodes, and keeps the random stream without it', async () => {
    const env = await makePixelEnv('planar-push-pixels', readModelXml, { width: 16, height: 16 });
    try {
      // Marker actions: which function aimed shows in the recorded actions.
      const aim = () => Float32Array.of(0.25, 0.25);
      const goalPush = () => Float32Array.of(-0.5, -0.5);
      const kinds = (episodes: ImageEpisode[]) =>
        episodes.map((e) => {
          const a = Array.from(e.actions);
          return a.some((v) => v === -0.5) ? (a.some((v) => v === 0.25) ? 'both' : 'goal') : a.some((v) => v === 0.25) ? 'aim' : 'none';
        });
      const base = { episodes: 8, steps: 6, seed: 4, actionRepeat: 2, aimProbability: 1, aim };
      expect(kinds(await collectImageEpisodes(env, { ...base, goalPush, goalPushEpisodes: 1 }))).toEqual(Array(8).fill('goal'));
      const mixed = kinds(await collectImageEpisodes(env, { ...base, goalPush, goalPushEpisodes: 0.5 }));
      expect(mixed).not.toContain('both');
      expect(mixed.filter((k) => k === 'goal').length).toBeGreaterThanOrEqual(2);
      expect(mixed.filter((k) => k === 'aim').length).toBeGreaterThanOrEqual(2);
      // A share of 0 draws nothing more: the same episodes as without the option.
      const plain = await collectImageEpisodes(env, { ...base, aimProbability: 0.5 });
      const zero = await collectImageEpisodes(env, { ...base, aimProbability: 0.5, goalPush, goalPushEpisodes: 0 });
      expect(zero.map((e) => Array.from(e.actions))).toEqual(plain.map((e) => Array.from(e.actions)));
      await expect(collectImageEpisodes(env, { ...base, goalPushEpisodes: 0.5 })).rejects.toThrow(/goalPushEpisodes 0.5 needs a goal-push function/);
      await expect(collectImageEpisodes(env, { ...base, goalPush, goalPushEpisodes: 1.5 })).rejects.toThrow(/goalPushEpisodes must be in \[0, 1\]/);
    } finally {
      env.dispose();
    }
  });
});
