/**
 * The Datasets view's engine requests over an in-process connection: image frames as uint8 bytes,
 * 3D replay poses of a built-in task, chunked uploads, export, and the dataset-train job with its
 * open-loop predictions. After each bad request the engine answers one line and keeps serving.
 */
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { writeRobomimic as writeRunFile } from '../../../src-main/engine/run/robomimic-writer';
import { openLocalDataset } from '../../../src-main/engine/datasets/open-local-dataset';
import { writeRobomimic } from '../../fixtures/datasets/write-datasets';
import { connectEngine } from './engine-connection';
import { writeLinearDataset } from './linear-dataset';

let dir: string;
const at = (name: string) => join(dir, name);
let current: Awaited<ReturnType<typeof connectEngine>> | null = null;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mbrl-dataset-view-'));
  await writeRobomimic(at('demo.hdf5'), [5, 4, 6]);
  // A pendulum run's transitions: obs [cos θ, sin θ, θ̇] with θ sweeping a quarter turn.
  const T = 10;
  const obs = new Float32Array((T + 1) * 3);
  for (let t = 0; t <= T; t++) obs.set([Math.cos((t / T) * Math.PI / 2), Math.sin((t / T) * Math.PI / 2), 0.3], t * 3);
  await writeRunFile(at('pendulum.hdf5'), [{ obs, act: new Float32Array(T), reward: new Float32Array(T), terminated: new Uint8Array(T) }], { task: 'pendulum', obsDim: 3, actDim: 1 });
  await writeLinearDataset(at('linear.hdf5'), 6, 30);
});

afterEach(() => {
  current?.close();
  current = null;
});

async function open(path: string) {
  const c = (current ??= await connectEngine(at('runs')));
  c.send({ type: 'dataset/open', path });
  const summary = await c.expectEvent('dataset/summary');
  return { c, summary, id: summary.datasetId };
}

describe('dataset/frame', () => {
  it('sends one image of an image field as uint8 bytes [H · W · 3]', async () => {
    const { c, id } = await open(at('demo.hdf5'));
    c.send({ type: 'dataset/frame', datasetId: id, episode: 1, field: 'obs/agentview_image', step: 2 });
    const f = await c.expectEvent('dataset/frame');
    expect([f.height, f.width, f.channels]).toEqual([8, 8, 3]);
    expect(f.data).toBeInstanceOf(Uint8Array);
    // The fixture's byte i of episode e is (i + e) mod 256 over the episode's whole array.
    expect(Array.from(f.data.subarray(0, 4))).toEqual([0, 1, 2, 3].map((j) => (2 * 192 + j + 1) % 256));
  });

  it('refuses a non-image field and a step past the end, then keeps serving', async () => {
    const { c, id } = await open(at('demo.hdf5'));
    c.send({ type: 'dataset/frame', datasetId: id, episode: 0, field: 'actions', step: 0 });
    expect((await c.next('dataset/frame')) as { message?: string }).toMatchObject({ type: 'error', message: expect.stringMatching(/dataset\/frame: .*demo\.hdf5: actions: not an image field/) });
    c.send({ type: 'dataset/frame', datasetId: id, episode: 0, field: 'obs/agentview_image', step: 5 });
    expect(((await c.next('dataset/frame')) as { message: string }).message).toMatch(/step 5 is outside demo_0/);
    c.send({ type: 'dataset/frame', datasetId: id, episode: 0, field: 'obs/agentview_image', step: 4 });
    expect((await c.expectEvent('dataset/frame')).step).toBe(4);
  });
});

describe('dataset/replay', () => {
  it("turns a run file's states into the named task's body poses, one set per step", async () => {
    const { c, id, summary } = await open(at('pendulum.hdf5'));
    expect((summary.summary.attributes.env_args as { env_name: string }).env_name).toBe('pendulum');
    c.send({ type: 'dataset/replay', datasetId: id, episode: 0, task: 'pendulum' });
    const r = await c.expectEvent('dataset/replay');
    expect(r.steps).toBe(10);
    const stride = r.scene.bodies.length * 7;
    expect(r.poses.length).toBe(10 * stride);
    expect(r.poses.every(Number.isFinite)).toBe(true);
    // The pole turns: its pose at the last step differs from the first.
    const first = r.poses.subarray(0, stride);
    const last = r.poses.subarray(9 * stride, 10 * stride);
    expect(Math.max(...first.map((v, i) => Math.abs(v - last[i])))).toBeGreaterThan(0.1);
  });

  it('refuses a task whose observation width differs, naming both widths', async () => {
    const { c, id } = await open(at('pendulum.hdf5'));
    c.send({ type: 'dataset/replay', datasetId: id, episode: 0, task: 'cartpole' });
    expect(((await c.next('dataset/replay')) as { message: string }).message).toMatch(/3 dimensions, cartpole observes 4/);
    c.send({ type: 'dataset/replay', datasetId: id, episode: 0, task: 'pendulum' });
    expect((await c.expectEvent('dataset/replay')).steps).toBe(10);
  });
});

describe('dataset/upload', () => {
  it('stores chunks in order, opens the file read-only, deletes it on close', async () => {
    const c = (current = await connectEngine());
    const bytes = new Uint8Array(readFileSync(at('demo.hdf5')));
    const size = bytes.length;
    const chunk = Math.ceil(size / 3);
    for (let offset = 0; offset < size; offset += chunk) {
      c.send({ type: 'dataset/upload', uploadId: 'u1', name: '../evil/demo.hdf5', size, offset, data: bytes.slice(offset, offset + chunk) });
      const p = await c.expectEvent('dataset/upload-progress');
      expect(p.received).toBe(Math.min(size, offset + chunk));
    }
    const summary = await c.expectEvent('dataset/summary');
    expect(summary.summary.steps).toBe(15);
    expect(summary.summary.path).toMatch(/mbrl-lab-uploads.*[/\\]u1[/\\]demo\.hdf5$/);
    expect(existsSync(summary.summary.path)).toBe(true);
    c.send({ type: 'dataset/close', datasetId: summary.datasetId });
    await expect.poll(() => existsSync(dirname(summary.summary.path))).toBe(false);
    // The connection's uploads folder goes with the connection.
    const sessionDir = dirname(dirname(summary.summary.path));
    expect(existsSync(sessionDir)).toBe(true);
    c.close();
    current = null;
    await expect.poll(() => existsSync(sessionDir)).toBe(false);
  });

  it('refuses an out-of-order chunk and random bytes, then keeps serving', async () => {
    const c = (current = await connectEngine());
    c.send({ type: 'dataset/upload', uploadId: 'u2', name: 'x.hdf5', size: 10, offset: 4, data: new Uint8Array(4) });
    expect(((await c.next('dataset/upload-progress')) as { message: string }).message).toMatch(/x\.hdf5: no upload 'u2' started/);
    c.send({ type: 'dataset/upload', uploadId: 'u3', name: 'junk.hdf5', size: 64, offset: 0, data: Uint8Array.from({ length: 64 }, (_, i) => (i * 37) % 256) });
    expect(((await c.next('dataset/summary')) as { message: string }).message).toMatch(/^dataset\/upload: .*junk\.hdf5: not an HDF5 file/);
    c.send({ type: 'dataset/open', path: at('demo.hdf5') });
    expect((await c.expectEvent('dataset/summary')).summary.steps).toBe(15);
  });
});

describe('dataset/export', () => {
  it('writes chosen episodes as NPZ and robomimic that read back', async () => {
    const { c, id } = await open(at('demo.hdf5'));
    c.send({ type: 'dataset/export', datasetId: id, to: 'npz', out: at('two.npz'), episodes: [0, 2] });
    const e = await c.expectEvent('dataset/exported');
    expect(e).toMatchObject({ episodes: 2, steps: 5 + 6, obsDim: 3, actDim: 2, out: at('two.npz') });
    const back = await openLocalDataset(at('two.npz'));
    expect(back.summary.episodes.map((x) => x.length)).toEqual([5, 6]);
    await back.close();
    c.send({ type: 'dataset/export', datasetId: id, to: 'robomimic', out: at('all.hdf5') });
    expect((await c.expectEvent('dataset/exported')).episodes).toBe(3);
    c.send({ type: 'dataset/export', datasetId: id, to: 'npz', out: at('demo.hdf5') });
    expect(((await c.next('dataset/exported')) as { message: string }).message).toMatch(/must not be the input/);
  });
});

describe('dataset-train job', () => {
  it('trains an ensemble with progress and metrics, then sends open-loop predictions of held-out episodes', async () => {
    const c = (current = await connectEngine(at('runs')));
    c.send({ type: 'job/start', jobId: 't1', spec: { kind: 'dataset-train', path: at('linear.hdf5'), members: 2, probabilistic: true, epochs: 4, hidden: [16], holdout: 0.34, seed: 1, horizon: 5, batchSize: 16 } });
    const folder = await c.expectEvent('job/run-folder');
    const progress = await c.expectEvent('job/progress');
    expect(progress.total).toBe(4);
    const metric = await c.expectEvent('job/metric');
    expect(metric.record.kind).toBe('train');
    const p = await c.expectEvent('dataset/prediction');
    expect(p).toMatchObject({ obsDim: 2, steps: 30, memberCount: 2, dimNames: ['obs/state[0]', 'obs/state[1]'] });
    expect(p.truth.length).toBe(31 * 2);
    expect(p.members.length).toBe(2 * 31 * 2);
    expect(p.mean.length).toBe(31 * 2);
    expect(p.std.every((s) => s >= 0 && Number.isFinite(s))).toBe(true);
    // Step 0 is the recorded s_0 for every member; later steps are predictions.
    expect(p.members[0]).toBe(p.truth[0]);
    expect(p.members[31 * 2]).toBe(p.truth[0]);
    expect(p.rmse).toHaveLength(5);
    await c.expectEvent('job/done');
    expect(JSON.parse(readFileSync(join(folder.path, 'run.json'), 'utf8')).status).toBe('finished');
  });

  it('cancels between epochs, and reports a bad field as a job error', async () => {
    const c = (current = await connectEngine(at('runs')));
    c.send({ type: 'job/start', jobId: 't2', spec: { kind: 'dataset-train', path: at('linear.hdf5'), epochs: 1000, hidden: [8], seed: 0 } });
    const folder = await c.expectEvent('job/run-folder');
    await c.expectEvent('job/metric');
    c.send({ type: 'job/cancel', jobId: 't2' });
    await c.expectEvent('job/cancelled');
    const run = JSON.parse(readFileSync(join(folder.path, 'run.json'), 'utf8'));
    expect(run.status).toBe('cancelled');
    // No batch size given: 150 training transitions get batches of 16 (not 256: one step an epoch).
    expect(run.spec.fit.batchSize).toBe(16);
    c.send({ type: 'job/start', jobId: 't3', spec: { kind: 'dataset-train', path: at('linear.hdf5'), state: ['obs/nope'], seed: 0 } });
    expect((await c.expectEvent('job/error')).message).toMatch(/linear\.hdf5: --state: no field 'obs\/nope'/);
  });
});
