import { afterEach, describe, expect, it } from 'vitest';
import { EngineChild } from '../../src-main/cli/serve/engine-child';
import type { EngineEvent } from '../../src-main/protocol';

/** A client of a real engine child process: collects events and waits for the ones it needs. */
class Client {
  readonly events: EngineEvent[] = [];
  private waiters: (() => void)[] = [];

  constructor(readonly engine: EngineChild, readonly conn: number) {
    engine.on('message', (c, data) => {
      if (c !== conn) return;
      this.events.push(data as EngineEvent);
      this.waiters.forEach((w) => w());
    });
    engine.openConnection(conn);
  }

  send(data: unknown) {
    this.engine.send(this.conn, data);
  }

  /** Resolves with the first event (at or after index `from`) matching `pred`. */
  waitFor(pred: (e: EngineEvent) => boolean, from = 0, timeoutMs = 30_000): Promise<EngineEvent> {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`timed out; got ${this.events.map((e) => e.type).join(',')}`)), timeoutMs);
      const check = () => {
        const hit = this.events.slice(from).find(pred);
        if (hit) {
          clearTimeout(timer);
          this.waiters = this.waiters.filter((w) => w !== check);
          resolve(hit);
        }
      };
      this.waiters.push(check);
      check();
    });
  }
}

let engine: EngineChild | undefined;
afterEach(async () => engine?.stop());

describe('engine in a real child process', () => {
  it('starts a job, streams progress, cancels it, and survives a malformed message', async () => {
    engine = new EngineChild();
    engine.start();
    const client = new Client(engine, 1);
    client.send({ type: 'engine/info' });
    const info = await client.waitFor((e) => e.type === 'engine/info');
    expect(info).toMatchObject({ type: 'engine/info', host: 'node-child', backend: expect.stringMatching(/wasm|cpu|tensorflow/) });

    client.send({ type: 'job/start', jobId: 'long', spec: { kind: 'experiment', spec: { task: 'cartpole', algorithm: 'random', episodes: 100_000 } } });
    await client.waitFor((e) => e.type === 'job/progress' && e.done >= 600);
    const progress = client.events.flatMap((e) => (e.type === 'job/progress' ? [e] : []));
    // Progress counts env steps, increases, and carries an ETA once work has been done.
    expect(progress.every((p, i) => i === 0 || p.done > progress[i - 1].done)).toBe(true);
    expect(progress.at(-1)!.total).toBe(100_000 * 200);
    expect(progress.at(-1)!.etaSeconds).toBeGreaterThan(0);
    expect(client.events.some((e) => e.type === 'job/metric' && e.record.kind === 'episode')).toBe(true);

    client.send({ type: 'job/cancel', jobId: 'long' });
    await client.waitFor((e) => e.type === 'job/cancelled' && e.jobId === 'long');

    const mark = client.events.length;
    client.send({ type: 'job/start', jobId: 7, spec: 'nonsense' });
    const err = await client.waitFor((e) => e.type === 'error', mark);
    expect(err.type === 'error' && err.message).toMatch(/malformed 'job\/start'.*jobId/);
    client.send('not even an object');
    await client.waitFor((e) => e.type === 'error', client.events.length);

    // Still alive and answering.
    const mark2 = client.events.length;
    client.send({ type: 'task/list' });
    const list = await client.waitFor((e) => e.type === 'task/list', mark2);
    expect(list.type === 'task/list' && list.tasks.map((t) => t.id)).toEqual(expect.arrayContaining(['pendulum', 'cartpole']));
  });

  it('reports an unknown task as a job error, not a crash', async () => {
    engine = new EngineChild();
    engine.start();
    const client = new Client(engine, 5);
    client.send({ type: 'job/start', jobId: 'x', spec: { kind: 'sim', task: 'cartpol', seed: 0, policy: 'random' } });
    const err = await client.waitFor((e) => e.type === 'job/error');
    expect(err.type === 'job/error' && err.message).toMatch(/unknown task 'cartpol'/);
  });

  it('streams scene and pose frames for a live simulation', async () => {
    engine = new EngineChild();
    engine.start();
    const client = new Client(engine, 2);
    client.send({ type: 'job/start', jobId: 's', spec: { kind: 'sim', task: 'cartpole', seed: 1, policy: 'random', speed: 10 } });
    const scene = await client.waitFor((e) => e.type === 'sim/scene');
    const nbody = scene.type === 'sim/scene' ? scene.scene.bodies.length : 0;
    const frame = await client.waitFor((e) => e.type === 'sim/frame' && e.step >= 3);
    if (frame.type !== 'sim/frame') throw new Error('unreachable');
    expect(frame.poses).toBeInstanceOf(Float32Array);
    expect(frame.poses.length).toBe(nbody * 7);
    client.send({ type: 'job/cancel', jobId: 's' });
    await client.waitFor((e) => e.type === 'job/cancelled');
  });

  it('restarts after a crash and says so', async () => {
    engine = new EngineChild();
    engine.start();
    const client = new Client(engine, 3);
    client.send({ type: 'engine/info' });
    const first = await client.waitFor((e) => e.type === 'engine/info');
    const restarted = new Promise<string>((resolve) => engine!.once('restarted', resolve));
    process.kill(first.type === 'engine/info' ? first.pid : 0, 'SIGKILL');
    expect(await restarted).toMatch(/stopped unexpectedly.*restarted/);
    const mark = client.events.length;
    client.send({ type: 'engine/info' });
    const second = await client.waitFor((e) => e.type === 'engine/info', mark);
    expect(second.type === 'engine/info' && second.pid).not.toBe(first.type === 'engine/info' && first.pid);
  });
});
