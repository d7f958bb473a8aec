// @vitest-environment happy-dom
import { afterEach, describe, expect, it, vi } from 'vitest';
import { decodeFrame, encodeFrame, type EngineEvent } from '@protocol';
import { WebSocketLabClient, type WebSocketLike } from '../../src-renderer/src/bridge/websocket-client';
import { frame } from './fake-lab-client';

class FakeSocket implements WebSocketLike {
  binaryType = 'blob';
  readyState = 0;
  onopen: ((ev: Event) => void) | null = null;
  onclose: ((ev: CloseEvent) => void) | null = null;
  onerror: ((ev: Event) => void) | null = null;
  onmessage: ((ev: MessageEvent) => void) | null = null;
  readonly sent: ArrayBuffer[] = [];
  constructor(readonly url: string) {}
  send(data: ArrayBuffer): void {
    this.sent.push(data);
  }
  close(): void {
    this.readyState = 3;
  }
  open(): void {
    this.readyState = 1;
    this.onopen?.(new Event('open'));
  }
  drop(): void {
    this.readyState = 3;
    this.onclose?.({} as CloseEvent);
  }
  receive(data: unknown): void {
    this.onmessage?.({ data } as MessageEvent);
  }
}

function makeClient() {
  const sockets: FakeSocket[] = [];
  const client = new WebSocketLabClient('ws://127.0.0.1:5170/engine', {
    createSocket: (url) => {
      const s = new FakeSocket(url);
      sockets.push(s);
      return s;
    },
    minDelayMs: 100,
    maxDelayMs: 400,
  });
  return { client, sockets };
}

describe('WebSocketLabClient', () => {
  afterEach(() => {
    vi.useRealTimers();
    vi.restoreAllMocks();
  });

  it('opens a binary socket to the engine path and sends requests as encoded frames', () => {
    const { client, sockets } = makeClient();
    expect(sockets[0].url).toBe('ws://127.0.0.1:5170/engine');
    expect(sockets[0].binaryType).toBe('arraybuffer');
    expect(client.state).toBe('connecting');
    sockets[0].open();
    expect(client.state).toBe('open');
    client.send({ type: 'sim/action', jobId: 'j1', action: [0.5, -1] });
    expect(decodeFrame(sockets[0].sent[0])).toEqual({ type: 'sim/action', jobId: 'j1', action: [0.5, -1] });
  });

  it('decodes binary frames into validated events with typed arrays intact', () => {
    const { client, sockets } = makeClient();
    sockets[0].open();
    const seen: EngineEvent[] = [];
    client.subscribe((e) => seen.push(e));
    const sent = frame('j1', { step: 3, poses: new Float32Array([1, 2, 3, 1, 0, 0, 0]) });
    sockets[0].receive(encodeFrame(sent));
    expect(seen).toHaveLength(1);
    const got = seen[0] as Extract<EngineEvent, { type: 'sim/frame' }>;
    expect(got.step).toBe(3);
    expect(got.poses).toBeInstanceOf(Float32Array);
    expect(Array.from(got.poses)).toEqual([1, 2, 3, 1, 0, 0, 0]);
    expect(Array.from(got.action)).toEqual([0.5]);
  });

  it('drops invalid events, garbage frames and text messages with a warning', () => {
    const warn = vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { client, sockets } = makeClient();
    sockets[0].open();
    const seen = vi.fn();
    client.subscribe(seen);
    sockets[0].receive(encodeFrame({ type: 'sim/frame', jobId: 'j1', step: 'x' }));
    sockets[0].receive(new Uint8Array([1, 2]).buffer);
    sockets[0].receive('{"type":"error","message":"text"}');
    expect(seen).not.toHaveBeenCalled();
    expect(warn).toHaveBeenCalledTimes(3);
  });

  it('does not send while closed', () => {
    vi.spyOn(console, 'warn').mockImplementation(() => undefined);
    const { client, sockets } = makeClient();
    client.send({ type: 'engine/info' });
    expect(sockets[0].sent).toEqual([]);
  });

  it('reconnects with growing back-off after the socket closes, until closed for good', () => {
    vi.useFakeTimers();
    const { client, sockets } = makeClient();
    const states: string[] = [];
    client.onState((s) => states.push(s));
    sockets[0].open();
    sockets[0].drop();
    expect(client.state).toBe('closed');
    vi.advanceTimersByTime(99);
    expect(sockets).toHaveLength(1);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(2);
    sockets[1].drop();
    vi.advanceTimersByTime(199);
    expect(sockets).toHaveLength(2);
    vi.advanceTimersByTime(1);
    expect(sockets).toHaveLength(3);
    sockets[2].open();
    expect(states).toEqual(['open', 'closed', 'connecting', 'closed', 'connecting', 'open']);

    client.close();
    vi.advanceTimersByTime(10_000);
    expect(sockets).toHaveLength(3);
    expect(client.state).toBe('closed');
  });
});
