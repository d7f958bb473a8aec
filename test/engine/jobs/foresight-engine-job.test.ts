/**
 * The `foresight` job kind through the engine's protocol (in-process connection, every event
 * validated as a client would): train into a run folder, then plan from that run's checkpoint
 * toward a designated/goal pixel pair, as the Visual foresight view chains them.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForesightJobSpec, type EngineEventOf } from '../../../src-main/protocol';
import { connectEngine } from '../datasets/engine-connection';

let runsDir: string;
beforeAll(async () => {
  runsDir = await mkdtemp(join(tmpdir(), 'foresight-engine-'));
});
afterAll(() => rm(runsDir, { recursive: true, force: true }));

/** Waits for the end of a job: its `job/done`, or fails on its `job/error`. */
async function finished(c: Awaited<ReturnType<typeof connectEngine>>, jobId: string): Promise<void> {
  for (;;) {
    const failed = c.events.find((e) => e.type === 'job/error' && e.jobId === jobId);
    if (failed) throw new Error((failed as EngineEventOf<'job/error'>).message);
    if (c.events.some((e) => e.type === 'job/done' && e.jobId === jobId)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const tiny = { task: 'planar-push-pixels', imageSize: 16, episodeSeed: 3 } as const;

describe('foresight job through the engine', () => {
  it('trains into a run folder, then plans from it and streams frames, maps and distances', async () => {
    const c = await connectEngine(runsDir);
    try {
      c.send({
        type: 'job/start',
        jobId: 'train',
        spec: {
          kind: 'foresight',
          ...tiny,
          train: { collect: { episodes: 3, steps: 6, actionRepeat: 2, seed: 1 }, model: { widths: [4, 4, 4], kernels: 2 }, fit: { steps: 2, batchSize: 2, horizon: 2, reportEvery: 1, samplingRampSteps: 1 } },
        },
      });
      const frame = await c.expectEvent('foresight/frame');
      expect(frame.size).toBe(16);
      expect(frame.frame).toBeInstanceOf(Uint8Array);
      expect(frame.frame.length).toBe(16 * 16 * 3);
      const folder = await c.expectEvent('job/run-folder');
      await finished(c, 'train');
      const trains = c.events.filter((e): e is EngineEventOf<'foresight/train'> => e.type === 'foresight/train');
      expect(trains.map((t) => t.step)).toEqual([1, 2]);
      expect(trains[1].valLoss).not.toBeNaN();
      expect(JSON.parse(await readFile(join(folder.path, 'foresight.json'), 'utf8')).task).toBe('planar-push-pixels');

      c.events.length = 0;
      c.send({
        type: 'job/start',
        jobId: 'plan',
        spec: {
          kind: 'foresight',
          ...tiny,
          from: folder.runId,
          plan: { target: { kind: 'pixels', designated: [{ x: 8, y: 8 }], goals: [{ x: 4, y: 10 }] }, horizon: 2, population: 6, iterations: 1, steps: 2, tracking: 'simulator', seed: 0 },
        },
      });
      const again = await c.expectEvent('foresight/frame');
      expect(Array.from(again.frame)).toEqual(Array.from(frame.frame));
      await finished(c, 'plan');
      const plans = c.events.filter((e): e is EngineEventOf<'foresight/plan'> => e.type === 'foresight/plan');
      expect(plans).toHaveLength(2);
      expect(plans[0].predictedFrames.length).toBe(2 * 16 * 16 * 3);
      expect(plans[0].pixelMaps.length).toBe(2 * 16 * 16);
      const executed = c.events.filter((e): e is EngineEventOf<'foresight/executed'> => e.type === 'foresight/executed');
      expect(executed.map((e) => e.step)).toEqual([0, 1]);
      expect(executed[1].distances[0]).toBeGreaterThanOrEqual(0);
      expect(c.events.some((e) => e.type === 'job/error')).toBe(false);

      // The same model toward the task's goal image (the pixel-wise baseline cost).
      c.events.length = 0;
      c.send({
        type: 'job/start',
        jobId: 'image',
        spec: { kind: 'foresight', ...tiny, from: folder.runId, plan: { target: { kind: 'image' }, horizon: 2, population: 6, iterations: 1, steps: 1, tracking: 'model', seed: 0 } },
      });
      await finished(c, 'image');
      const imagePlan = c.events.find((e): e is EngineEventOf<'foresight/plan'> => e.type === 'foresight/plan');
      expect(imagePlan?.designated).toBe(0);
      expect(imagePlan?.predictedFrames.length).toBe(2 * 16 * 16 * 3);
    } finally {
      c.close();
    }
  }, 90_000);

  it('answers a run without a model with job/error naming the file, and keeps serving', async () => {
    const c = await connectEngine(runsDir);
    try {
      c.send({
        type: 'job/start',
        jobId: 'bad',
        spec: { kind: 'foresight', ...tiny, from: 'no-such-run', plan: { target: { kind: 'pixels', designated: [{ x: 8, y: 8 }], goals: [{ x: 4, y: 10 }] }, horizon: 2, population: 6, iterations: 1, steps: 1, tracking: 'model', seed: 0 } },
      });
      const error = await c.expectEvent('job/error');
      expect(error.message).toMatch(/no-such-run.*video-model\.json/);
      // Only a frame: the start frame of another seed.
      c.events.length = 0;
      c.send({ type: 'job/start', jobId: 'frame', spec: { kind: 'foresight', ...tiny, episodeSeed: 4 } });
      expect((await c.expectEvent('foresight/frame')).seed).toBe(4);
      await finished(c, 'frame');
    } finally {
      c.close();
    }
  }, 30_000);

  it('refuses a plan without a model and a goal missing for a designated pixel', () => {
    const plan = { target: { kind: 'pixels' as const, designated: [{ x: 1, y: 1 }], goals: [{ x: 2, y: 2 }] }, horizon: 2, population: 6, iterations: 1, steps: 1, tracking: 'model' as const, seed: 0 };
    expect(ForesightJobSpec.safeParse({ kind: 'foresight', ...tiny, plan }).success).toBe(false);
    expect(ForesightJobSpec.safeParse({ kind: 'foresight', ...tiny, from: 'r', plan: { ...plan, target: { ...plan.target, goals: [] } } }).success).toBe(false);
    expect(ForesightJobSpec.safeParse({ kind: 'foresight', ...tiny, from: '../up', plan }).success).toBe(false);
    expect(ForesightJobSpec.safeParse({ kind: 'foresight', ...tiny, from: 'r', plan }).success).toBe(true);
  });
});
