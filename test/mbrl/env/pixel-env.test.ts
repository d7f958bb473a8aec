import { describe, expect, it } from 'vitest';
import {
  PIXEL_TASK_IDS,
  PixelEnv,
  isPixelTaskId,
  listPixelTasks,
  makeMujocoEnv,
  makePixelEnv,
  pixelTaskInfo,
  pixelView,
  taskInfo,
} from '../../../src-main/mbrl/env';
import { colorByte, frameHash, framesToChannels, pixelsOfColor } from '../../../src-main/mbrl/render';
import { Rng } from '../../../src-main/mbrl/util';
import { readModelXml } from './read-model';

const frameBytes = (env: PixelEnv) => env.imageSpace.width * env.imageSpace.height * 3;

describe.each(PIXEL_TASK_IDS)('PixelEnv %s', (id) => {
  it('observes frames of the promised shape, keeps the true state apart, and replays bytes from a seed', async () => {
    const info = pixelTaskInfo(id);
    const env = await makePixelEnv(id, readModelXml);
    const twin = await makePixelEnv(id, readModelXml);
    try {
      expect(env.imageSpace).toEqual({ height: info.height, width: info.width, channels: 3, frameStack: 1, size: info.height * info.width * 3 });
      expect(env.stateTaskId).toBe(info.stateTask);
      expect(env.stateSpace.size).toBe(taskInfo(info.stateTask).obsDim);
      const obs = env.reset(5);
      expect(obs).toBeInstanceOf(Uint8Array);
      expect(obs.length).toBe(env.imageSpace.size);
      expect(twin.reset(5)).toEqual(obs);
      const rng = new Rng(1);
      const hashes: string[] = [];
      for (let t = 0; t < 15; t++) {
        const a = Float32Array.from({ length: env.actionSpace.size }, () => rng.uniform(-1, 1));
        const r = env.step(a);
        const s = twin.step(a);
        expect(r.obs).toEqual(s.obs);
        expect(r.state.length).toBe(env.stateSpace.size);
        expect(r.state).toEqual(env.state());
        hashes.push(frameHash(r.obs));
      }
      // The picture changes as the system moves (every task starts moving under random actions).
      expect(new Set(hashes).size).toBeGreaterThan(5);
      // The frame of the current state, rendered from the state alone, matches the live frame (up to
      // a few edge pixels: the state is float32).
      const again = env.renderStates(env.state());
      let differing = 0;
      for (let i = 0; i < again.length; i += 3) if (again[i] !== env.frame()[i] || again[i + 1] !== env.frame()[i + 1]) differing++;
      expect(differing).toBeLessThanOrEqual(3);
    } finally {
      env.dispose();
      twin.dispose();
    }
  });
});

describe('PixelEnv frame stacking and options', () => {
  it('stacks k frames oldest first; at reset the first frame fills every slot', async () => {
    const env = await makePixelEnv('pendulum-pixels', readModelXml, { frameStack: 3, width: 32, height: 24 });
    const single = await makePixelEnv('pendulum-pixels', readModelXml, { width: 32, height: 24 });
    try {
      const f = frameBytes(env);
      expect(f).toBe(32 * 24 * 3);
      expect(env.imageSpace.size).toBe(3 * f);
      const o0 = env.reset(2);
      const s0 = single.reset(2);
      for (let k = 0; k < 3; k++) expect(o0.subarray(k * f, (k + 1) * f)).toEqual(s0);
      const singles = [s0];
      let last = o0;
      for (let t = 0; t < 4; t++) {
        const a = Float32Array.of(t % 2 ? 1 : -1);
        last = env.step(a).obs;
        singles.push(single.step(a).obs);
        const n = singles.length;
        // Slot 2 is the newest frame, slot 1 the one before, slot 0 the one before that.
        expect(last.subarray(2 * f)).toEqual(singles[n - 1]);
        expect(last.subarray(f, 2 * f)).toEqual(singles[n - 2]);
        expect(last.subarray(0, f)).toEqual(singles[Math.max(0, n - 3)]);
      }
      expect(env.frame()).toEqual(singles.at(-1));
      // Channel layout for conv nets: [H, W, 3k], frame i at channels 3i..3i+2.
      const hwc = framesToChannels(last, 3, 24, 32);
      const p = 5 * 32 + 7;
      for (let k = 0; k < 3; k++) for (let c = 0; c < 3; c++) expect(hwc[p * 9 + 3 * k + c]).toBe(last[k * f + 3 * p + c]);
    } finally {
      env.dispose();
      single.dispose();
    }
  });

  it('hides the point-mass goal (E2C draws agent and obstacles) and offers the agent-at-goal frame as the goal image', async () => {
    const env = await makePixelEnv('point-mass-pixels', readModelXml);
    const state = await makeMujocoEnv('point-mass', readModelXml);
    try {
      env.reset(4);
      const s = env.state();
      const goalGreen = [colorByte(0.25), colorByte(0.75), colorByte(0.35)] as const;
      const agentRed = [colorByte(0.85), colorByte(0.22), colorByte(0.25)] as const;
      expect(pixelsOfColor(env.frame(), 40, goalGreen)).toEqual([]);
      const agent = pixelsOfColor(env.frame(), 40, agentRed);
      // Radius 0.08 m at 0.05 m per pixel: about π·1.6² ≈ 8 pixels, around the agent's pixel.
      expect(agent.length).toBeGreaterThanOrEqual(5);
      expect(agent.length).toBeLessThanOrEqual(13);
      const at = env.camera.pixelOf([s[0], s[1], 0.1])!;
      for (const [r, c] of agent) expect(Math.max(Math.abs(r - at[0]), Math.abs(c - at[1]))).toBeLessThanOrEqual(2);
      const goal = env.goalImage()!;
      expect(goal.length).toBe(40 * 40 * 3);
      const g = env.camera.pixelOf([s[4], s[5], 0.1])!;
      for (const [r, c] of pixelsOfColor(goal, 40, agentRed)) expect(Math.max(Math.abs(r - g[0]), Math.abs(c - g[1]))).toBeLessThanOrEqual(2);
      // The episode is untouched by rendering other states.
      expect(env.state()).toEqual(s);
      // The reacher draws its goal in every frame and has no goal picture.
      const reacher = await makePixelEnv('reacher-pixels', readModelXml);
      reacher.reset(0);
      expect(reacher.goalImage()).toBeNull();
      reacher.dispose();
    } finally {
      env.dispose();
      state.dispose();
    }
  });

  it('lists the image tasks and refuses bad ids and options clearly', async () => {
    expect(listPixelTasks().map((t) => t.id)).toEqual([...PIXEL_TASK_IDS]);
    for (const t of listPixelTasks()) {
      const state = taskInfo(t.stateTask);
      expect(t.actDim).toBe(state.actDim);
      expect(t.dt).toBe(state.dt);
      expect(t.id).toBe(`${t.stateTask}-pixels`);
    }
    expect(pixelTaskInfo('point-mass-pixels')).toMatchObject({ width: 40, height: 40, cameraName: 'top', hasGoalImage: true });
    expect(isPixelTaskId('pendulum')).toBe(false);
    expect(() => pixelView('pendulum')).toThrow("unknown image task 'pendulum'; known image tasks: pendulum-pixels, cartpole-pixels");
    await expect(makePixelEnv('nope', () => '')).rejects.toThrow(/unknown image task 'nope'/);
    await expect(makePixelEnv('pendulum-pixels', readModelXml, { frameStack: 0 })).rejects.toThrow(/frameStack/);
    await expect(makePixelEnv('pendulum-pixels', readModelXml, { width: 4 })).rejects.toThrow(/image size/);
    const env = await makePixelEnv('cartpole-pixels', readModelXml);
    try {
      expect(() => env.state()).toThrow(/reset/);
    } finally {
      env.dispose();
    }
  });
});
