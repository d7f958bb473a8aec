/**
 * Visual foresight on a recorded image dataset through the engine's protocol (in-process
 * connection, every event validated as a client would): train on a robomimic HDF5 of a moving
 * square into a run folder, then from a dataset frame predict under the recorded actions (the
 * recorded frames come back beside the prediction) and make one CEM plan (not executed); a missing
 * image key, or the tracking term (which needs object poses), gives a job/error naming the file and
 * the field, and the engine keeps serving.
 */
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ForesightJobSpec, type EngineEventOf } from '../../../src-main/protocol';
import { connectEngine } from '../datasets/engine-connection';
import { writeSquareRobomimic, type squareEpisodes } from '../../fixtures/datasets/image-datasets';

let dir: string;
let file: string;
let written: ReturnType<typeof squareEpisodes>;
const S = 16;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'foresight-dataset-'));
  file = join(dir, 'square.hdf5');
  written = await writeSquareRobomimic(file, { episodes: 4, steps: 8, size: S });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

async function finished(c: Awaited<ReturnType<typeof connectEngine>>, jobId: string): Promise<void> {
  for (;;) {
    const failed = c.events.find((e) => e.type === 'job/error' && e.jobId === jobId);
    if (failed) throw new Error((failed as EngineEventOf<'job/error'>).message);
    if (c.events.some((e) => e.type === 'job/done' && e.jobId === jobId)) return;
    await new Promise((r) => setTimeout(r, 20));
  }
}

const base = { kind: 'foresight', task: 'recorded', imageSize: S, episodeSeed: 0 } as const;

describe('foresight job on a recorded dataset', () => {
  it('trains on the dataset, then predicts under the recorded actions and plans from a dataset frame', async () => {
    const c = await connectEngine(dir);
    const data = { dataset: file, imageKey: 'obs/top_image' };
    try {
      c.send({
        type: 'job/start',
        jobId: 'train',
        spec: { ...base, data, start: { episode: 1, step: 2 }, train: { model: { widths: [4, 4, 4], kernels: 2 }, fit: { steps: 2, batchSize: 2, horizon: 2, reportEvery: 1, samplingRampSteps: 1 } } },
      });
      const frame = await c.expectEvent('foresight/frame');
      // The start frame is the dataset's frame (episode 1, step 2), at the model's size.
      expect(Array.from(frame.frame)).toEqual(Array.from(written[1].frames.subarray(2 * S * S * 3, 3 * S * S * 3)));
      const folder = await c.expectEvent('job/run-folder');
      expect(folder.runId).toMatch(/-dataset-square-visual-foresight$/);
      await finished(c, 'train');
      expect(c.events.filter((e): e is EngineEventOf<'foresight/train'> => e.type === 'foresight/train').map((t) => t.step)).toEqual([1, 2]);
      expect(JSON.parse(await readFile(join(folder.path, 'foresight.json'), 'utf8')).data.imageKey).toBe('obs/top_image');

      c.events.length = 0;
      c.send({ type: 'job/start', jobId: 'predict', spec: { ...base, data, start: { episode: 1, step: 5 }, from: folder.runId, predict: { horizon: 5, designated: [{ x: 4, y: 5 }] } } });
      await finished(c, 'predict');
      const plans = c.events.filter((e): e is EngineEventOf<'foresight/plan'> => e.type === 'foresight/plan');
      expect(plans).toHaveLength(1);
      // 8 actions, from step 5: three are left to predict under.
      expect(plans[0]).toMatchObject({ step: 5, horizon: 3, designated: 1, size: S });
      expect(Array.from(plans[0].plan)).toEqual(Array.from(written[1].actions.subarray(10, 16)));
      expect(plans[0].predictedFrames.length).toBe(3 * S * S * 3);
      for (let k = 0; k < 3; k++) {
        const map = Array.from({ length: S * S }, (_, i) => plans[0].pixelMaps[k * S * S + i]);
        expect(map.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
      }
      const recorded = c.events.filter((e): e is EngineEventOf<'foresight/executed'> => e.type === 'foresight/executed');
      expect(recorded.map((e) => e.step)).toEqual([5, 6, 7]);
      expect(Array.from(recorded[2].frame)).toEqual(Array.from(written[1].frames.subarray(8 * S * S * 3)));

      c.events.length = 0;
      c.send({
        type: 'job/start',
        jobId: 'plan',
        spec: {
          ...base,
          data,
          start: { episode: 0, step: 1 },
          from: folder.runId,
          plan: { target: { kind: 'pixels', designated: [{ x: 6, y: 6 }], goals: [{ x: 10, y: 6 }] }, horizon: 3, population: 6, iterations: 1, steps: 1, tracking: 'model', seed: 0 },
        },
      });
      await finished(c, 'plan');
      const cem = c.events.filter((e): e is EngineEventOf<'foresight/plan'> => e.type === 'foresight/plan');
      expect(cem).toHaveLength(1);
      expect(cem[0]).toMatchObject({ step: 1, horizon: 3, designated: 1 });
      expect(c.events.some((e) => e.type === 'foresight/executed')).toBe(false);
      const done = c.events.filter((e): e is EngineEventOf<'foresight/phase'> => e.type === 'foresight/phase').pop();
      expect(done?.message).toMatch(/not executed.*predicted final distance \d+\.\d px/);
    } finally {
      c.close();
    }
  }, 90_000);

  it('answers a missing image key and a start outside the episode with job/error naming file and field, and keeps serving', async () => {
    const c = await connectEngine(dir);
    try {
      c.send({ type: 'job/start', jobId: 'bad', spec: { ...base, data: { dataset: file, imageKey: 'obs/agentview_image' } } });
      const error = await c.expectEvent('job/error');
      expect(error.message).toContain(`${file}: obs/agentview_image: no such field (image fields: next_obs/top_image, obs/top_image)`);
      c.send({ type: 'job/start', jobId: 'far', spec: { ...base, data: { dataset: file, imageKey: 'obs/top_image' }, start: { episode: 0, step: 20 } } });
      expect((await c.expectEvent('job/error')).message).toContain(`${file}: obs/top_image: step 20 is outside episode 0 (9 frames)`);
      c.send({ type: 'job/start', jobId: 'track', spec: { ...base, data: { dataset: file, imageKey: 'obs/top_image' }, train: { fit: { steps: 1, trackWeight: 1 } } } });
      expect((await c.expectEvent('job/error')).message).toContain(`train.fit.trackWeight: ${file} is recorded data, with no object poses to track`);
      c.events.length = 0;
      c.send({ type: 'job/start', jobId: 'frame', spec: { ...base, data: { dataset: file, imageKey: 'obs/top_image' }, start: { episode: 3, step: 8 } } });
      expect(Array.from((await c.expectEvent('foresight/frame')).frame)).toEqual(Array.from(written[3].frames.subarray(8 * S * S * 3)));
      await finished(c, 'frame');
    } finally {
      c.close();
    }
  }, 30_000);

  it('refuses collect beside data, predict or start without data, and simulator tracking on a dataset', () => {
    const data = { dataset: '/d.hdf5', imageKey: 'obs/x' };
    const fit = { steps: 1 };
    const collect = { episodes: 1, steps: 2, actionRepeat: 1, seed: 0 };
    const plan = { target: { kind: 'pixels' as const, designated: [{ x: 1, y: 1 }], goals: [{ x: 2, y: 2 }] }, horizon: 2, population: 6, iterations: 1, steps: 1, seed: 0 };
    expect(ForesightJobSpec.safeParse({ ...base, data, train: { fit } }).success).toBe(true);
    expect(ForesightJobSpec.safeParse({ ...base, data, train: { collect, fit } }).success).toBe(false);
    expect(ForesightJobSpec.safeParse({ ...base, train: { fit } }).success).toBe(false);
    expect(ForesightJobSpec.safeParse({ ...base, from: 'r', predict: { horizon: 2, designated: [] } }).success).toBe(false);
    expect(ForesightJobSpec.safeParse({ ...base, data, predict: { horizon: 2, designated: [] } }).success).toBe(false);
    expect(ForesightJobSpec.safeParse({ ...base, data, from: 'r', predict: { horizon: 2, designated: [] } }).success).toBe(true);
    expect(ForesightJobSpec.safeParse({ ...base, start: { episode: 0, step: 0 } }).success).toBe(false);
    expect(ForesightJobSpec.safeParse({ ...base, data, from: 'r', plan: { ...plan, tracking: 'simulator' } }).success).toBe(false);
    expect(ForesightJobSpec.safeParse({ ...base, data, from: 'r', plan: { ...plan, tracking: 'model' } }).success).toBe(true);
  });
});
