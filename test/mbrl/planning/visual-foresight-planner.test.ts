import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pointPixelMaps, renderSquare, VideoPredictionModel } from '../../../src-main/mbrl/models/video';
import { goalDistanceMaps, visualForesightObjective, VisualForesightPlanner, type VisualForesightSettings } from '../../../src-main/mbrl/planning';
import { useCpuBackend } from '../tf-setup';

const S = 16;
const bounds = { low: Float32Array.of(-1, -1), high: Float32Array.of(1, 1) };
const settings: VisualForesightSettings = { horizon: 3, population: 12, iterations: 2, eliteFraction: 0.25, alpha: 0, replanEvery: 1, chunk: 5, seed: 7 };
let model: VideoPredictionModel;
const frame = (x: number, y: number) => Float32Array.from(renderSquare(x, y, { size: S, channels: 3, side: 4 }), (v) => v / 255);

beforeAll(async () => {
  await useCpuBackend();
  model = VideoPredictionModel.create({ imageSize: S, channels: 3, actDim: 2, widths: [4, 8, 8], kernels: 3, kernelSize: 5, context: 2, seed: 1 });
});
afterAll(() => model.dispose());

describe('VisualForesightPlanner', () => {
  it('plans within the bounds, reproducibly from its seed, in chunks and whole', async () => {
    const plan = async (chunk: number) => {
      const p = new VisualForesightPlanner(model, { kind: 'pixels', designated: [{ x: 5, y: 5 }], goals: [{ x: 12, y: 12 }] }, { ...settings, chunk }, bounds);
      p.reset(frame(3, 3));
      return (await p.act()).plan;
    };
    const a = await plan(5);
    const b = await plan(12);
    expect(a.length).toBe(6);
    a.forEach((v) => expect(Math.abs(v)).toBeLessThanOrEqual(1));
    a.forEach((v, i) => expect(v).toBeCloseTo(b[i], 5));
  });

  it("passes iCEM's settings to its CEM (colored noise, kept elites, the best candidate)", async () => {
    const target = { kind: 'pixels' as const, designated: [{ x: 5, y: 5 }], goals: [{ x: 12, y: 12 }] };
    const firstPlan = async (extra: Partial<VisualForesightSettings>) => {
      const p = new VisualForesightPlanner(model, target, { ...settings, horizon: 4, hold: 2, ...extra }, bounds);
      p.reset(frame(3, 3));
      return Array.from((await p.act()).plan);
    };
    // One candidate, kept: the plan is the warm start itself (still), where a sample would not be.
    expect(await firstPlan({ population: 1, keepElites: 1 })).toEqual(new Array(8).fill(0));
    expect(await firstPlan({ population: 1 })).not.toEqual(new Array(8).fill(0));
    // The same seed draws other samples with colored noise.
    expect(await firstPlan({ noiseBeta: 2 })).not.toEqual(await firstPlan({}));
    // All candidates are elites: their mean is none of them, the best is.
    const all = { population: 3, iterations: 1, eliteFraction: 1 };
    expect(await firstPlan({ ...all, returnBest: true })).not.toEqual(await firstPlan(all));
  });

  it("refuses actuatorLimits without the robot's own limits (a repair)", () => {
    const target = { kind: 'pixels' as const, designated: [{ x: 5, y: 5 }], goals: [{ x: 12, y: 12 }] };
    expect(() => new VisualForesightPlanner(model, target, { ...settings, actuatorLimits: true }, bounds)).toThrow(/actuatorLimits/);
  });

  it('plans only what the repair lets the robot do, in held actions', async () => {
    const target = { kind: 'pixels' as const, designated: [{ x: 5, y: 5 }], goals: [{ x: 12, y: 12 }] };
    const holds: number[] = [];
    // A robot stuck against a wall in +x: no held action may push further in +x.
    const wall = (samples: Float32Array, N: number, K: number, A: number, hold: number) => {
      holds.push(hold);
      for (let i = 0; i < N * K * A; i += A) samples[i] = Math.min(0, samples[i]);
    };
    const p = new VisualForesightPlanner(model, target, { ...settings, horizon: 4, hold: 2, actuatorLimits: true }, bounds, 'model', wall);
    p.reset(frame(3, 3));
    const plan = (await p.act()).plan;
    expect(plan.length).toBe(8);
    for (let i = 0; i < plan.length; i += 2) expect(plan[i]).toBeLessThanOrEqual(0);
    expect(new Set(holds)).toEqual(new Set([2]));
    // Without actuatorLimits the same repair is not used.
    const free = new VisualForesightPlanner(model, target, { ...settings, horizon: 4, hold: 2 }, bounds, 'model', wall);
    free.reset(frame(3, 3));
    holds.length = 0;
    await free.act();
    expect(holds).toEqual([]);
  });

  it('carries the pixel distribution forward after each executed step, normalised', async () => {
    const p = new VisualForesightPlanner(model, { kind: 'pixels', designated: [{ x: 5, y: 5 }, { x: 1, y: 14 }], goals: [{ x: 12, y: 12 }, { x: 3, y: 3 }] }, settings, bounds);
    p.reset(frame(3, 3));
    expect(p.pixelMaps![(5 * S + 5) * 2]).toBe(1);
    const { action } = await p.act();
    await p.observe(action, frame(4, 3));
    const maps = p.pixelMaps!;
    expect(maps.length).toBe(S * S * 2);
    for (let d = 0; d < 2; d++) {
      let sum = 0;
      for (let i = d; i < maps.length; i += 2) sum += maps[i];
      expect(sum).toBeCloseTo(1, 4);
    }
    const preview = await p.preview(Float32Array.of(1, 0, 1, 0, 1, 0));
    expect(preview.frames.length).toBe(3 * S * S * 3);
    expect(preview.maps.length).toBe(3 * S * S * 2);
  });

  it("exposes the objective its plans are scored by: the expected distance from the still start's context", async () => {
    const target = { kind: 'pixels' as const, designated: [{ x: 5, y: 5 }], goals: [{ x: 12, y: 12 }] };
    const p = new VisualForesightPlanner(model, target, settings, bounds);
    expect(() => p.objective()).toThrow(/reset\(frame\) before objective/);
    p.reset(frame(3, 3));
    const plans = Float32Array.of(0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 1, 1);
    const score = async (objective: (a: tf.Tensor3D) => tf.Tensor1D) => {
      const out = tf.tidy(() => objective(tf.tensor3d(plans, [2, 3, 2])));
      const values = await out.array();
      out.dispose();
      return values;
    };
    const scores = await score(p.objective());
    // The same context built by hand: two copies of the start frame, a zero action between them.
    const start = frame(3, 3);
    const context = { frames: Float32Array.from([...start, ...start]), actions: new Float32Array(2) };
    const byHand = await score(visualForesightObjective(model, context, { kind: 'pixels', maps: pointPixelMaps(target.designated, S), distances: goalDistanceMaps(target.goals, S) }, 5));
    scores.forEach((v, i) => expect(v).toBeCloseTo(byHand[i], 5));
    expect(tf.memory().numTensors).toBe(model.variables.length);

    // With a control cost the still plan keeps its score and the moving one pays 0.5 · 3 steps · ‖(1, 1)‖².
    const effortful = new VisualForesightPlanner(model, target, { ...settings, actionCost: 0.5 }, bounds);
    effortful.reset(frame(3, 3));
    const withEffort = await score(effortful.objective());
    expect(withEffort[0]).toBeCloseTo(scores[0], 5);
    expect(withEffort[1]).toBeCloseTo(scores[1] - 0.5 * 3 * 2, 4);
    expect(() => visualForesightObjective(model, context, { kind: 'image', image: start }, 5, 1, -1)).toThrow(/actionCost must be ≥ 0, got -1/);
  });

  it('plans toward a goal image as the baseline cost', async () => {
    const p = new VisualForesightPlanner(model, { kind: 'image', image: frame(10, 10) }, settings, bounds);
    p.reset(frame(3, 3));
    const { action } = await p.act();
    expect(action.length).toBe(2);
    expect(p.pixelMaps).toBeNull();
  });

  it('rejects a target without one goal per designated pixel, or a goal image of the wrong size', () => {
    expect(() => new VisualForesightPlanner(model, { kind: 'pixels', designated: [{ x: 1, y: 1 }], goals: [] }, settings, bounds)).toThrow(/one goal per designated pixel/);
    expect(() => new VisualForesightPlanner(model, { kind: 'image', image: new Float32Array(10) }, settings, bounds)).toThrow(/goal image has 10 values/);
  });

  it('soak: tensors stay flat over repeated plan and observe calls', async () => {
    const p = new VisualForesightPlanner(model, { kind: 'pixels', designated: [{ x: 5, y: 5 }], goals: [{ x: 12, y: 12 }] }, settings, bounds);
    p.reset(frame(3, 3));
    const step = async (i: number) => {
      const { action } = await p.act();
      await p.observe(action, frame(3 + (i % 3), 3));
      await p.preview(new Float32Array(6));
    };
    await step(0);
    const before = tf.memory().numTensors;
    for (let i = 1; i <= 4; i++) await step(i);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('plans held actions when hold > 1 and takes designated and tracked points between pixels (bilinear P₀)', async () => {
    const p = new VisualForesightPlanner(model, { kind: 'pixels', designated: [{ x: 5.5, y: 5 }], goals: [{ x: 12.25, y: 11.5 }] }, { ...settings, horizon: 6, hold: 3, replanEvery: 3 }, bounds);
    p.reset(frame(3, 3));
    expect(p.pixelMaps![5 * S + 5]).toBeCloseTo(0.5, 6);
    expect(p.pixelMaps![5 * S + 6]).toBeCloseTo(0.5, 6);
    const { plan, action } = await p.act();
    expect(plan).toHaveLength(12);
    for (let t = 1; t < 3; t++) expect([plan[2 * t], plan[2 * t + 1]]).toEqual([plan[0], plan[1]]);
    for (let t = 4; t < 6; t++) expect([plan[2 * t], plan[2 * t + 1]]).toEqual([plan[6], plan[7]]);
    await p.observe(action, frame(4, 3), [{ x: 6.75, y: 5 }]);
    expect(p.pixelMaps![5 * S + 6]).toBeCloseTo(0.25, 6);
    expect(p.pixelMaps![5 * S + 7]).toBeCloseTo(0.75, 6);
  });

  it("with registration tracking puts the designated pixel where the real frame shows it, whatever the model's motion", async () => {
    // The square's centre (pixel-index coordinates) is its corner + 1.5 for a side of 4.
    const p = new VisualForesightPlanner(model, { kind: 'pixels', designated: [{ x: 4.5, y: 4.5 }], goals: [{ x: 12, y: 12 }] }, settings, bounds, 'registration');
    p.reset(frame(3, 3));
    for (const [x, y] of [
      [4, 3.5],
      [5, 4.5],
      [6.5, 5],
    ]) {
      const { action } = await p.act();
      await p.observe(action, frame(x, y));
    }
    // The untrained model barely moves anything; the map's mean is the square's new centre.
    const mean = { x: 0, y: 0 };
    p.pixelMaps!.forEach((v, i) => {
      mean.x += v * (i % S);
      mean.y += v * Math.floor(i / S);
    });
    expect(Math.hypot(mean.x - 8, mean.y - 6.5)).toBeLessThan(0.3);
  });
});
