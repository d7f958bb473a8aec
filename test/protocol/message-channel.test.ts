import { describe, expect, it } from 'vitest';
import { EngineEvent, parseWith, Request, transferablesOf } from '../../src-main/protocol';

/** Posts `message` through a real MessageChannel and resolves with what arrives on the other side. */
function roundTrip(message: unknown, transfer: ArrayBuffer[] = []): Promise<unknown> {
  const { port1, port2 } = new MessageChannel();
  return new Promise((resolve) => {
    port2.onmessage = (e) => {
      resolve(e.data);
      port1.close();
      port2.close();
    };
    port1.postMessage(message, transfer);
  });
}

describe('protocol over a real MessageChannel', () => {
  it('a sim/frame keeps its typed arrays binary and validates on arrival', async () => {
    const poses = new Float32Array([0, 0, 0, 1, 0, 0, 0, 0.5, 0, 1, 1, 0, 0, 0]);
    const frame = {
      type: 'sim/frame', jobId: 'j1', episode: 0, seed: 3, step: 7, time: 0.35, reward: 0.5, return: 2.5,
      terminated: false, truncated: false, paused: false,
      action: new Float32Array([0.25]), obs: new Float32Array([1, 2, 3, 4]), poses,
    };
    const expected = poses.slice();
    const received = await roundTrip(frame, transferablesOf(frame));
    expect(poses.byteLength).toBe(0); // transferred, not copied
    const parsed = parseWith(EngineEvent, received);
    expect(parsed.ok).toBe(true);
    if (!parsed.ok || parsed.value.type !== 'sim/frame') throw new Error('not a frame');
    expect(parsed.value.poses).toBeInstanceOf(Float32Array);
    expect(Array.from(parsed.value.poses)).toEqual(Array.from(expected));
  });

  it('requests round-trip and get their defaults', async () => {
    const received = await roundTrip({ type: 'job/start', jobId: 'a', spec: { kind: 'sim', task: 'cartpole', seed: 1, policy: 'random' } });
    const parsed = parseWith(Request, received);
    expect(parsed).toEqual({ ok: true, value: { type: 'job/start', jobId: 'a', spec: { kind: 'sim', task: 'cartpole', seed: 1, policy: 'random', speed: 1 } } });
  });

  it('names the offending field of a malformed request', () => {
    const wrongType = parseWith(Request, { type: 'job/start', jobId: 'a', spec: { kind: 'sim', task: 'cartpole', seed: 'one', policy: 'random' } });
    expect(wrongType.ok).toBe(false);
    if (!wrongType.ok) expect(wrongType.error).toMatch(/spec\.seed/);
    const extra = parseWith(Request, { type: 'job/cancel', jobId: 'a', jobld: 'typo' });
    expect(extra.ok).toBe(false);
    if (!extra.ok) expect(extra.error).toMatch(/jobld: unknown field/);
    const unknown = parseWith(Request, { type: 'job/explode' });
    expect(unknown.ok).toBe(false);
  });
});
