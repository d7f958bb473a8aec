import { describe, expect, it } from 'vitest';
import { collectImageEpisodes, makeMujocoEnv, makePixelEnv, pixelView, planarPushBlockPixel, tablePointOfPixel } from '../../../../src-main/mbrl/env';
import { PLANAR_PUSH_BLOCK, PLANAR_PUSH_PUSHER, PLANAR_PUSH_YAW } from '../../../../src-main/mbrl/env/tasks/planar-push';
import { colorByte, pixelsOfColor } from '../../../../src-main/mbrl/render';
import { readModelXml } from '../read-model';
import { Rng } from '../../../../src-main/mbrl/util';

/** Sets pusher (px, py) and block (bx, by, yaw) at rest; goal at the origin. */
function place(env: Awaited<ReturnType<typeof makeMujocoEnv>>, px: number, py: number, bx: number, by: number, yaw = 0) {
  env.reset(0);
  const qpos = env.data.qpos as Float64Array;
  qpos.set([px, py, bx, by, 0.03, Math.cos(yaw / 2), 0, 0, Math.sin(yaw / 2), 0, 0]);
  (env.data.qvel as Float64Array).fill(0);
  env.mj.mj_forward(env.model, env.data);
}

describe('planar-push task', () => {
  it('pushes the block: driving the pusher into it moves it along, and it stops by friction', async () => {
    const env = await makeMujocoEnv('planar-push', readModelXml);
    try {
      place(env, -0.15, 0, -0.05, 0);
      let obs: Float32Array = new Float32Array(12);
      for (let t = 0; t < 15; t++) obs = env.step(Float32Array.of(1, 0)).obs;
      // The pusher travelled 0.4 m/s × 0.75 s minus the slowdown while pushing; the block went ahead of it.
      expect(obs[PLANAR_PUSH_BLOCK]).toBeGreaterThan(0.05);
      expect(obs[PLANAR_PUSH_BLOCK] - obs[PLANAR_PUSH_PUSHER]).toBeGreaterThan(0.04 + 0.02 - 0.005);
      expect(Math.abs(obs[PLANAR_PUSH_BLOCK + 1])).toBeLessThan(0.02); // pushed straight, stays on its line
      expect(Math.abs(obs[PLANAR_PUSH_YAW])).toBeLessThan(0.05);
      // Pusher pulled back: friction stops the block within a few steps, and it stays put.
      for (let t = 0; t < 4; t++) obs = env.step(Float32Array.of(-1, 0)).obs;
      const rest = obs[PLANAR_PUSH_BLOCK];
      for (let t = 0; t < 20; t++) obs = env.step(Float32Array.of(-1, 0)).obs;
      expect(Math.abs(obs[PLANAR_PUSH_BLOCK] - rest)).toBeLessThan(1e-3);
      expect(Math.hypot(obs[7], obs[8])).toBeLessThan(1e-3);
    } finally {
      env.dispose();
    }
  });

  it('does not move the block when the pusher passes beside it, and turns it when pushed off-centre', async () => {
    const env = await makeMujocoEnv('planar-push', readModelXml);
    try {
      place(env, -0.2, 0.1, 0, 0);
      let obs: Float32Array = new Float32Array(12);
      for (let t = 0; t < 20; t++) obs = env.step(Float32Array.of(1, 0)).obs;
      expect(Math.hypot(obs[PLANAR_PUSH_BLOCK], obs[PLANAR_PUSH_BLOCK + 1])).toBeLessThan(1e-3);
      place(env, -0.2, 0.03, -0.05, 0);
      for (let t = 0; t < 15; t++) obs = env.step(Float32Array.of(1, 0)).obs;
      expect(obs[PLANAR_PUSH_YAW]).toBeLessThan(-0.1); // pushed above its centre: turns clockwise
    } finally {
      env.dispose();
    }
  });

  it('maps the block to its pixel in the top-down frame and pixels back to the table', async () => {
    const env = await makePixelEnv('planar-push-pixels', readModelXml);
    try {
      for (const seed of [1, 2, 3]) {
        env.reset(seed);
        let r = env.step(Float32Array.of(0, 0));
        for (let t = 0; t < 5; t++) r = env.step(Float32Array.of(0.5, -0.5));
        const red = pixelsOfColor(r.obs, 64, [colorByte(0.85), colorByte(0.22), colorByte(0.25)]);
        const yellow = pixelsOfColor(r.obs, 64, [colorByte(0.95), colorByte(0.82), colorByte(0.25)]);
        const block = [...red, ...yellow];
        // An 8 cm square at 7.8 mm per pixel: about 105 pixels (fewer where the pusher covers it),
        // half of them in the two yellow quadrants of its checker. Anti-aliased: the pixels on its
        // edges and on the checker's seams are blends, so only about 70 keep a pure colour.
        expect(block.length).toBeGreaterThan(55);
        expect(block.length).toBeLessThan(125);
        expect(red.length).toBeGreaterThan(20);
        expect(yellow.length).toBeGreaterThan(20);
        const centre = planarPushBlockPixel(env.camera, r.state)!;
        const meanRow = block.reduce((s, p) => s + p[0], 0) / block.length;
        const meanCol = block.reduce((s, p) => s + p[1], 0) / block.length;
        expect(Math.abs(meanRow - centre[0])).toBeLessThan(1.2);
        expect(Math.abs(meanCol - centre[1])).toBeLessThan(1.2);
        // And back: the centre pixel maps to within half a pixel diagonal of the block centre.
        const [x, y] = tablePointOfPixel(env.camera, centre[0], centre[1])!;
        expect(Math.hypot(x - r.state[PLANAR_PUSH_BLOCK], y - r.state[PLANAR_PUSH_BLOCK + 1])).toBeLessThan((0.5 / 64) * Math.SQRT1_2 + 1e-9);
      }
    } finally {
      env.dispose();
    }
  });

  it('renders anti-aliased frames: a quarter-pixel move of the block moves its picture a quarter pixel', async () => {
    // 32 × 32 (15.6 mm a pixel), the frame size of the foresight presets: the block's colour-weighted
    // centroid must follow sub-pixel moves, which one ray a pixel shows as 0- or 1-pixel jumps.
    const env = await makePixelEnv('planar-push-pixels', readModelXml, { width: 32, height: 32 });
    try {
      const metresPerPx = 0.5 / 32;
      const centroidX = (dx: number) => {
        const state = new Float32Array(12);
        state.set([-0.2, -0.2], PLANAR_PUSH_PUSHER); // the pusher in a far corner, outside the window
        state.set([0.011 + dx * metresPerPx, 0.004], PLANAR_PUSH_BLOCK);
        const frame = env.renderStates(state);
        const table = [0, 1, 2].map((c) => frame[(31 * 32 + 31) * 3 + c]);
        let sum = 0;
        let weight = 0;
        for (let row = 8; row < 24; row++) {
          for (let col = 8; col < 24; col++) {
            const i = (row * 32 + col) * 3;
            const w = Math.abs(frame[i] - table[0]) + Math.abs(frame[i + 1] - table[1]) + Math.abs(frame[i + 2] - table[2]);
            sum += w * col;
            weight += w;
          }
        }
        return sum / weight;
      };
      const start = centroidX(0);
      for (const dx of [0.25, 0.5, 0.75, 1]) expect(Math.abs(centroidX(dx) - start - dx)).toBeLessThan(0.1);
    } finally {
      env.dispose();
    }
  });

  it('starts the pusher near the block, inside its range; random data with aimed pushes moves the block', async () => {
    const env = await makeMujocoEnv('planar-push', readModelXml);
    try {
      for (let seed = 0; seed < 30; seed++) {
        const o = env.reset(seed);
        const d = Math.hypot(o[0] - o[4], o[1] - o[5]);
        expect(d).toBeGreaterThanOrEqual(0.065);
        expect(d).toBeLessThanOrEqual(0.1);
        // Clear of the block even at its corners: the pusher's rim 5 mm or more from the rotated square.
        const [c, s] = [Math.cos(o[6]), Math.sin(o[6])];
        const [dx, dy] = [o[0] - o[4], o[1] - o[5]];
        const gap = Math.hypot(Math.max(Math.abs(c * dx + s * dy) - 0.04, 0), Math.max(Math.abs(-s * dx + c * dy) - 0.04, 0)) - 0.02;
        expect(gap).toBeGreaterThanOrEqual(0.005 - 1e-6);
        expect(Math.max(Math.abs(o[0]), Math.abs(o[1]))).toBeLessThanOrEqual(0.23);
        expect(Math.max(Math.abs(o[4]), Math.abs(o[5]))).toBeLessThanOrEqual(0.12);
      }
    } finally {
      env.dispose();
    }
    const pixels = await makePixelEnv('planar-push-pixels', readModelXml);
    try {
      const explore = pixelView('planar-push-pixels').explore!;
      // Aimed actions: full speed (on the action box's edge, as CEM's clipped samples), within 0.5 rad of the block's direction.
      const rng = new Rng(3);
      const state = Float32Array.of(0.1, -0.05, 0, 0, 0, 0.05, 0, 0, 0, 0, 0, 0);
      for (let i = 0; i < 50; i++) {
        const a = explore(state, rng);
        expect(Math.max(Math.abs(a[0]), Math.abs(a[1]))).toBeCloseTo(1, 6);
        const off = Math.atan2(a[1], a[0]) - Math.atan2(0.1, -0.1);
        expect(Math.abs(Math.atan2(Math.sin(off), Math.cos(off)))).toBeLessThanOrEqual(0.5 + 1e-6);
      }
      const moved = async (aimProbability: number) => {
        const eps = await collectImageEpisodes(pixels, { episodes: 6, steps: 30, seed: 2, actionRepeat: 4, aim: explore, aimProbability });
        return eps.map((e) => Math.hypot(e.states[30 * 12 + 4] - e.states[4], e.states[30 * 12 + 5] - e.states[5]));
      };
      const aimed = await moved(0.5);
      // Aimed pushes move the block in most episodes, by several pixels (7.8 mm each).
      expect(aimed.filter((d) => d > 0.02).length).toBeGreaterThanOrEqual(4);
      await expect(collectImageEpisodes(pixels, { episodes: 1, aimProbability: 0.5 })).rejects.toThrow(/needs an aim function/);
    } finally {
      pixels.dispose();
    }
  });
});
