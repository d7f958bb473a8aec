// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { ENGINE_PORT_WINDOW_MESSAGE, type EngineEvent, type LabPreloadApi } from '@protocol';
import { ElectronLabClient, type PortWindow } from '../../src-renderer/src/bridge/electron-client';
import { ENGINE_INFO } from './fake-lab-client';

class FakePort {
  onmessage: ((ev: MessageEvent) => void) | null = null;
  readonly posted: unknown[] = [];
  started = false;
  closed = false;
  private closeHandler: (() => void) | null = null;
  start() {
    this.started = true;
  }
  postMessage(m: unknown) {
    this.posted.push(m);
  }
  close() {
    this.closed = true;
  }
  addEventListener(_type: 'close', h: () => void) {
    this.closeHandler = h;
  }
  deliver(data: unknown) {
    this.onmessage?.({ data } as MessageEvent);
  }
  fireClose() {
    this.closeHandler?.();
  }
}

function setup() {
  let listener: ((ev: MessageEvent) => void) | null = null;
  const win: PortWindow = {
    addEventListener: (_t, l) => (listener = l),
    removeEventListener: () => (listener = null),
  };
  let restart: ((message: string) => void) | null = null;
  const lab: LabPreloadApi = {
    requestEnginePort: vi.fn(async () => undefined),
    onEngineRestarted: (h) => {
      restart = h;
      return () => (restart = null);
    },
    appVersions: async () => ({}),
  };
  const client = new ElectronLabClient(lab, win);
  const givePort = (data: unknown = ENGINE_PORT_WINDOW_MESSAGE) => {
    const port = new FakePort();
    listener?.({ data, ports: [port] } as unknown as MessageEvent);
    return port;
  };
  return { client, lab, givePort, restart: (m: string) => restart?.(m) };
}

describe('ElectronLabClient', () => {
  it('asks for a port, starts it, and exchanges plain messages over it', () => {
    const { client, lab, givePort } = setup();
    expect(lab.requestEnginePort).toHaveBeenCalledTimes(1);
    expect(client.state).toBe('connecting');
    givePort('some other message');
    expect(client.state).toBe('connecting');

    const port = givePort();
    expect(port.started).toBe(true);
    expect(client.state).toBe('open');
    client.send({ type: 'task/list' });
    expect(port.posted).toEqual([{ type: 'task/list' }]);

    const seen: EngineEvent[] = [];
    client.subscribe((e) => seen.push(e));
    port.deliver(ENGINE_INFO);
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    port.deliver({ type: 'engine/info' });
    expect(seen).toEqual([ENGINE_INFO]);
  });

  it('surfaces engine restarts and switches to the new port', () => {
    const { client, lab, givePort, restart } = setup();
    const first = givePort();
    const seen: EngineEvent[] = [];
    client.subscribe((e) => seen.push(e));
    restart('engine crashed; restarted');
    expect(seen).toEqual([{ type: 'engine/restarted', message: 'engine crashed; restarted' }]);
    expect(client.state).toBe('connecting');
    expect(lab.requestEnginePort).toHaveBeenCalledTimes(2);

    const second = givePort();
    expect(first.closed).toBe(true);
    expect(client.state).toBe('open');
    client.send({ type: 'engine/info' });
    expect(second.posted).toHaveLength(1);
    expect(first.posted).toHaveLength(0);
    first.fireClose();
    expect(client.state).toBe('open');
    second.fireClose();
    expect(client.state).toBe('closed');
  });
});
