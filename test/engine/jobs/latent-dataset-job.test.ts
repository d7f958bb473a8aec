/**
 * The latent job on a recorded image dataset (issue 6: "training … on an image dataset loaded from
 * disk"): a robomimic HDF5 of a moving square written by the run writer, frames resized to the
 * model's size, trained for two epochs; codes coloured by the recorded state, strips along the first
 * episode; the spec refuses collect beside data and control without a simulator; a bad key is one
 * line naming the file and the field.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runLatentJob, type LatentJobEvent, type LatentJobSpec } from '../../../src-main/engine/jobs/latent-job';
import type { JobContext } from '../../../src-main/engine/jobs/job';
import { LatentJobSpec as LatentJobSchema } from '../../../src-main/protocol';
import { useWasmBackend } from '../../mbrl/models/latent/latent-test-setup';
import { writeSquareRobomimic, type squareEpisodes } from '../../fixtures/datasets/image-datasets';

let dir: string;
let file: string;
let written: ReturnType<typeof squareEpisodes>;
beforeAll(async () => {
  await useWasmBackend();
  dir = await mkdtemp(join(tmpdir(), 'latent-dataset-'));
  file = join(dir, 'square.hdf5');
  written = await writeSquareRobomimic(file, { episodes: 3, steps: 10, size: 16 });
});
afterAll(() => rm(dir, { recursive: true, force: true }));

const model: LatentJobSpec['model'] = { kind: 'deterministic', latentDim: 2, stages: [{ patch: 4, channels: 4 }], hidden: [16], dynamicsHidden: [8], rewardHidden: [8], activation: 'relu', seed: 0 };
const spec: LatentJobSpec = {
  task: 'recorded',
  data: { dataset: '', imageKey: 'obs/top_image' },
  image: { width: 8, height: 8 },
  model,
  fit: { epochs: 2, batchSize: 10, learningRate: 1e-3, valFraction: 0.2, seed: 0 },
  colourBy: 1,
  strip: { frames: 3, ahead: 2 },
};

function context() {
  const events: LatentJobEvent[] = [];
  const progress: number[] = [];
  const ctx: JobContext = { jobId: 'j', signal: new AbortController().signal, emit: () => {}, progress: (done) => progress.push(done) };
  return { ctx, events, progress, emit: (e: LatentJobEvent) => events.push(e) };
}

describe('runLatentJob on a recorded dataset', () => {
  it('trains on the dataset’s frames (resized) and actions and streams codes coloured by its state', async () => {
    const before = tf.memory().numTensors;
    const { ctx, events, progress, emit } = context();
    const out = await runLatentJob({ ...spec, data: { dataset: file, imageKey: 'obs/top_image' } }, ctx, emit);
    expect(out).not.toBeNull();
    const collected = events.find((e) => e.type === 'latent/collected')!;
    expect(collected).toMatchObject({ episodes: 3, transitions: 30, imageShape: [8, 8, 3], stateNames: ['obs/state[0]', 'obs/state[1]'] });
    expect(events.filter((e) => e.type === 'latent/curve').map((c) => c.epoch)).toEqual([1, 2]);
    const codes = events.find((e) => e.type === 'latent/codes')!;
    expect(codes.codes).toHaveLength(30 * 2);
    // Colour = the square's recorded y centre (state dim 1) at each observation.
    expect(codes.colour[11]).toBe(written[1].states[1 * 2 + 1]);
    expect([codes.height, codes.width]).toEqual([8, 8]);
    const frames = events.find((e) => e.type === 'latent/frames')!;
    expect(frames.observed).toHaveLength(3 * 8 * 8 * 3);
    expect(events.some((e) => e.type === 'latent/plan')).toBe(false);
    // Progress: 1 unit for reading, then one per epoch.
    expect(progress[progress.length - 1]).toBe(3);
    out!.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('fails with one line naming the file and the field for a missing image key', async () => {
    const { ctx, emit } = context();
    await expect(runLatentJob({ ...spec, data: { dataset: file, imageKey: 'obs/state' } }, ctx, emit)).rejects.toThrow(`${file}: obs/state: not an image field: float32 [2] per step`);
  });

  it('refuses collect beside data, neither, and control on a dataset', async () => {
    const wire = { kind: 'latent' as const, ...spec, data: { dataset: file, imageKey: 'obs/top_image' } };
    expect(LatentJobSchema.safeParse(wire).success).toBe(true);
    expect(LatentJobSchema.safeParse({ ...wire, collect: { episodes: 1, seed: 0 } }).success).toBe(false);
    const { data: _data, ...neither } = wire;
    expect(LatentJobSchema.safeParse(neither).success).toBe(false);
    const plan = { episodes: 1, mode: 'reward' as const, planner: 'cem' as const, horizon: 2, seed: 0 };
    expect(LatentJobSchema.safeParse({ ...wire, plan }).success).toBe(false);
    const { ctx, emit } = context();
    await expect(runLatentJob({ ...wire, plan }, ctx, emit)).rejects.toThrow(/plan needs the task simulator/);
  });
});
