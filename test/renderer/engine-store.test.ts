// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { useEngineStore } from '../../src-renderer/src/stores/engine';
import { CARTPOLE, ENGINE_INFO, FakeLabClient } from './fake-lab-client';

describe('engine store', () => {
  let client: FakeLabClient;
  beforeEach(() => {
    setActivePinia(createPinia());
    client = new FakeLabClient();
  });

  it('follows the connection state and asks for info and tasks once open', () => {
    const engine = useEngineStore();
    engine.attach(client);
    expect(engine.connection).toBe('connecting');
    expect(engine.connected).toBe(false);
    expect(engine.send({ type: 'engine/info' })).toBe(false);
    expect(client.sent).toEqual([]);

    client.setState('open');
    expect(engine.connected).toBe(true);
    expect(client.sent.map((r) => r.type)).toEqual(['engine/info', 'task/list']);
  });

  it('stores engine info and the task list', () => {
    const engine = useEngineStore();
    engine.attach(client);
    client.setState('open');
    client.emit(ENGINE_INFO);
    client.emit({ type: 'task/list', tasks: [CARTPOLE] });
    expect(engine.info).toMatchObject({ backend: 'wasm', host: 'node-child', pid: 4242 });
    expect(engine.info?.backendDetail).toContain('SIMD');
    expect(engine.tasks.map((t) => t.id)).toEqual(['cartpole']);
  });

  it('shows errors and restarts as a dismissible notice', () => {
    const engine = useEngineStore();
    engine.attach(client);
    client.emit(ENGINE_INFO);
    client.emit({ type: 'error', message: 'bad request' });
    expect(engine.notice).toMatchObject({ kind: 'error', message: 'bad request' });
    client.emit({ type: 'engine/restarted', message: 'engine crashed (exit 1); restarted' });
    expect(engine.notice).toMatchObject({ kind: 'restart' });
    expect(engine.info).toBeNull();
    engine.dismissNotice();
    expect(engine.notice).toBeNull();
  });

  it('forwards every event to listeners and stops after unsubscribe', () => {
    const engine = useEngineStore();
    engine.attach(client);
    const seen = vi.fn();
    const off = engine.onEvent(seen);
    client.emit({ type: 'job/done', jobId: 'x' });
    off();
    client.emit({ type: 'job/done', jobId: 'y' });
    expect(seen).toHaveBeenCalledTimes(1);
  });

  it('detaches from a replaced client', () => {
    const engine = useEngineStore();
    engine.attach(client);
    const next = new FakeLabClient();
    next.setState('open');
    engine.attach(next);
    client.emit({ type: 'error', message: 'old' });
    expect(engine.notice).toBeNull();
    expect(next.sent.map((r) => r.type)).toEqual(['engine/info', 'task/list']);
  });
});
