/**
 * Browsing datasets through the engine's protocol (dataset/open, dataset/episode, dataset/close)
 * over an in-process connection: summaries, episode slices as Float32Arrays, one-line errors after
 * which the engine keeps serving, and readers closed with the connection.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { Engine } from '../../src-main/engine/engine';
import { connectionPair } from '../../src-main/engine/hosts/in-process';
import { DatasetSessions } from '../../src-main/engine/datasets/dataset-sessions';
import { createEngineServices } from '../../src-main/engine/services';
import { EngineEvent, type Connection, type EngineEventOf, type RequestInput, parseWith } from '../../src-main/protocol';
import { value } from '../fixtures/datasets/bytes';
import { randomFile, sha256, writeRobomimic } from '../fixtures/datasets/write-datasets';

let dir: string;
let good: string;
let broken: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mbrl-dataset-requests-'));
  good = join(dir, 'demo.hdf5');
  await writeRobomimic(good, [5, 4, 6]);
  broken = randomFile(join(dir, 'broken.hdf5'));
});

/** An engine with one client connection; `next(type)` waits for the next event of a type (or an error). */
async function connect() {
  const engine = new Engine(await createEngineServices('in-process', 'cpu', () => {}));
  const [client, server] = connectionPair();
  const closeServer = captureClose(server);
  engine.attach(server);
  const events: EngineEvent[] = [];
  const waiters: Array<() => void> = [];
  client.onMessage((data) => {
    const parsed = parseWith(EngineEvent, data);
    if (!parsed.ok) throw new Error(`invalid event: ${parsed.error}`);
    events.push(parsed.value);
    for (const w of waiters.splice(0)) w();
  });
  const send = (request: RequestInput) => client.post(request);
  async function next<T extends EngineEvent['type']>(type: T): Promise<EngineEventOf<T> | EngineEventOf<'error'>> {
    for (;;) {
      const i = events.findIndex((e) => e.type === type || e.type === 'error');
      if (i >= 0) return events.splice(i, 1)[0] as EngineEventOf<T> | EngineEventOf<'error'>;
      await new Promise<void>((r) => waiters.push(r));
    }
  }
  return { engine, send, next, events, closeServer };
}

/** The in-process pair has no close(); this fires the server side's close handlers as a host would. */
function captureClose(conn: Connection): () => void {
  const handlers: Array<() => void> = [];
  const onClose = conn.onClose.bind(conn);
  conn.onClose = (h) => {
    handlers.push(h);
    onClose(h);
  };
  return () => handlers.forEach((h) => h());
}

let current: Awaited<ReturnType<typeof connect>> | null = null;
afterEach(() => {
  current?.closeServer();
  current = null;
});

describe('dataset requests', () => {
  it('opens a robomimic file, reads an episode as Float32Arrays and a window of it, closes it', async () => {
    const before = sha256(good);
    const c = (current = await connect());
    c.send({ type: 'dataset/open', path: good });
    const summary = await c.next('dataset/summary');
    if (summary.type !== 'dataset/summary') throw new Error(summary.message);
    expect(summary.summary.format).toBe('robomimic');
    expect(summary.summary.episodes.map((e) => e.length)).toEqual([5, 4, 6]);
    expect(summary.summary.steps).toBe(15);
    expect(summary.summary.arrays['data/demo_0/actions']).toEqual({ shape: [5, 2], dtype: 'float64' });
    expect(summary.summary.roles.action).toBe('actions');

    c.send({ type: 'dataset/episode', datasetId: summary.datasetId, episode: 1, fields: ['actions', 'obs/robot0_eef_pos'] });
    const ep = await c.next('dataset/episode');
    if (ep.type !== 'dataset/episode') throw new Error(ep.message);
    expect(ep.episode).toBe(1);
    const [actions, eef] = ep.fields;
    expect(actions).toMatchObject({ name: 'actions', shape: [4, 2], dtype: 'float64' });
    expect(actions.data).toBeInstanceOf(Float32Array);
    expect(actions.data[2]).toBeCloseTo(value(1, 1, 10), 4);
    expect(eef).toMatchObject({ name: 'obs/robot0_eef_pos', shape: [4, 3] });
    expect(eef.data[3 * 2 + 1]).toBeCloseTo(value(1, 2, 1), 4);

    c.send({ type: 'dataset/episode', datasetId: summary.datasetId, episode: 2, fields: ['rewards'], start: 2, end: 4 });
    const window = await c.next('dataset/episode');
    if (window.type !== 'dataset/episode') throw new Error(window.message);
    expect(window.start).toBe(2);
    expect(window.fields[0].shape).toEqual([2]);
    expect(Array.from(window.fields[0].data)).toEqual([value(2, 2, 20), value(2, 3, 20)].map(Math.fround));

    c.send({ type: 'dataset/episode', datasetId: summary.datasetId, episode: 9, fields: ['actions'] });
    expect(await c.next('dataset/episode')).toMatchObject({ type: 'error', message: expect.stringMatching(/no episode 9/) });
    c.send({ type: 'dataset/episode', datasetId: summary.datasetId, episode: 0, fields: ['nope'] });
    expect(await c.next('dataset/episode')).toMatchObject({ type: 'error', message: expect.stringMatching(/no field 'nope'/) });

    c.send({ type: 'dataset/close', datasetId: summary.datasetId });
    c.send({ type: 'dataset/episode', datasetId: summary.datasetId, episode: 0, fields: ['actions'] });
    expect(await c.next('dataset/episode')).toMatchObject({ type: 'error', message: expect.stringMatching(/no open dataset/) });
    expect(sha256(good)).toBe(before);
  });

  it('answers a broken file with a one-line error and still opens a good one; relative paths resolve against the cwd', async () => {
    const c = (current = await connect());
    c.send({ type: 'dataset/open', path: broken });
    const error = await c.next('dataset/summary');
    expect(error.type).toBe('error');
    if (error.type !== 'error') return;
    expect(error.message).toContain('broken.hdf5');
    expect(error.message).not.toContain('\n');

    c.send({ type: 'dataset/open', path: join(dir, 'missing.hdf5') });
    expect(await c.next('dataset/summary')).toMatchObject({ type: 'error', message: expect.stringContaining('missing.hdf5') });

    c.send({ type: 'dataset/open', path: relative(process.cwd(), good) });
    const ok = await c.next('dataset/summary');
    expect(ok.type).toBe('dataset/summary');
    expect(ok.type === 'dataset/summary' && ok.summary.episodes).toHaveLength(3);
  });

  it('rejects malformed dataset requests with an error', async () => {
    const c = (current = await connect());
    c.send({ type: 'dataset/episode', datasetId: 'ds1', episode: -1, fields: [] } as unknown as RequestInput);
    expect(await c.next('dataset/episode')).toMatchObject({ type: 'error', message: expect.stringMatching(/malformed 'dataset\/episode'/) });
  });

  it('closes every open reader when the connection goes', async () => {
    const sessions = new DatasetSessions();
    const a = await sessions.open(good);
    await sessions.open(good);
    expect(sessions.size).toBe(2);
    await sessions.closeAll();
    expect(sessions.size).toBe(0);
    await expect(sessions.episode(a.datasetId, 0, ['actions'])).rejects.toThrow(/no open dataset/);
    await expect(sessions.open(good)).rejects.toThrow(/connection closed/);
  });
});
