import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { evaluateForesight, type ForesightEvalOptions } from '../../../src-main/engine/jobs/foresight-eval';
import { readModelXml } from '../../../src-main/engine/resources';
import { VideoPredictionModel } from '../../../src-main/mbrl/models/video';
import { useCpuBackend } from '../../mbrl/tf-setup';

let model: VideoPredictionModel;
beforeAll(async () => {
  await useCpuBackend();
  model = VideoPredictionModel.create({ imageSize: 16, channels: 3, actDim: 2, widths: [4, 4, 4], kernels: 2, kernelSize: 3, context: 2, seed: 0 });
});
afterAll(() => model.dispose());

const options: ForesightEvalOptions = {
  // The first two of the CPU preset's tasks: the true simulator solves the second (measured: 0.0 px), not the first.
  tasks: { count: 2, seed: 1000, minDistance: 10, maxDistance: 20, marginFraction: 0.19 },
  steps: 40,
  successRadius: 4,
  evalSize: 64,
  // The CPU preset's planner (resources/presets/foresight/cpu-32.json).
  planning: { horizon: 12, hold: 3, population: 40, iterations: 2, eliteFraction: 0.05, replanEvery: 3, initialStdFraction: 0.5, chunk: 40, seed: 0 },
  tracking: 'model',
};

describe('evaluateForesight', () => {
  it('runs the same tasks with random actions and with CEM through the true simulator, which pushes the block closer', async () => {
    const random = await evaluateForesight('random', null, options, readModelXml);
    const simulator = await evaluateForesight('simulator', null, options, readModelXml);
    for (const r of [random, simulator]) {
      expect(r.tasks.map((t) => t.episodeSeed)).toEqual([1000, 1001]);
      r.tasks.forEach((t) => {
        expect(t.distances).toHaveLength(40);
        expect(t.finalDistance).toBe(t.distances[39]);
        expect(t.startDistance).toBeGreaterThanOrEqual(9.5);
        expect(t.startDistance).toBeLessThanOrEqual(20.5);
        // The point got at least as far from its start as its distance to the goal changed.
        expect(t.moved).toBeGreaterThanOrEqual(Math.max(...t.distances.map((d) => Math.abs(d - t.startDistance))) - 1e-9);
      });
      expect(r.finalDistances).toEqual(r.tasks.map((t) => t.finalDistance).sort((a, b) => a - b));
      expect(r.successRate).toBe(r.tasks.filter((t) => t.finalDistance <= 4).length / 2);
    }
    // Same tasks for both controllers.
    expect(simulator.tasks.map((t) => t.goal)).toEqual(random.tasks.map((t) => t.goal));
    const sum = (r: typeof random) => r.tasks.reduce((s, t) => s + t.finalDistance, 0);
    const starts = random.tasks.reduce((s, t) => s + t.startDistance, 0);
    expect(sum(simulator)).toBeLessThan(starts - 10);
    expect(sum(simulator)).toBeLessThan(sum(random));
    expect(simulator.tasks[1].finalDistance).toBeLessThan(4);
    expect(simulator.tasks[1].moved).toBeGreaterThan(simulator.tasks[1].startDistance - 4);
    expect(simulator.successRate).toBe(0.5);
    expect(simulator.tasks.every((t) => t.planMs > 0)).toBe(true);
    // One task alone (`only`) is that task of the whole set: same start, goal and plans.
    const alone = await evaluateForesight('simulator', null, { ...options, only: [1] }, readModelXml);
    const withoutTime = ({ planMs: _, ...rest }: (typeof alone.tasks)[number]) => rest;
    expect(alone.tasks.map(withoutTime)).toEqual([withoutTime(simulator.tasks[1])]);
    await expect(evaluateForesight('random', null, { ...options, only: [2] }, readModelXml)).rejects.toThrow(/task 2 is out of range \(the evaluation has 2: 0-1\)/);
  });

  it('plans through a video model on its own (smaller) frame, tracking the point in its frames, measuring on the 64×64 frame; refuses without a model', async () => {
    const seen: number[] = [];
    const small = { ...options, tasks: { ...options.tasks, count: 1 }, steps: 3, planning: { ...options.planning, population: 6, iterations: 1 }, tracking: 'registration' as const };
    const r = await evaluateForesight('model', model, small, readModelXml, (done) => seen.push(done));
    expect(seen).toEqual([1]);
    expect(r.tasks[0].distances).toHaveLength(3);
    expect(r.tasks[0].planMs).toBeGreaterThan(0);
    // The planner that knows the pusher's limits (planning.actuatorLimits) gets them from the task's env.
    const limited = await evaluateForesight('model', model, { ...small, planning: { ...small.planning, actuatorLimits: true } }, readModelXml);
    expect(limited.tasks[0].distances).toHaveLength(3);
    await expect(evaluateForesight('model', null, options, readModelXml)).rejects.toThrow(/needs a trained model/);
  });
});
