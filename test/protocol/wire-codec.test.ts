import { describe, expect, it } from 'vitest';
import { decodeFrame, encodeFrame } from '../../src-main/protocol';

describe('wire codec', () => {
  it('round-trips nested typed arrays of several kinds exactly', () => {
    const msg = { type: 'x', a: new Float32Array([1.5, -2, Math.PI]), nested: { b: new Uint8Array([1, 2, 3]), list: [new Int32Array([-7]), 4] }, s: 'é' };
    const back = decodeFrame(encodeFrame(msg)) as typeof msg;
    expect(back.a).toBeInstanceOf(Float32Array);
    expect(Array.from(back.a)).toEqual(Array.from(msg.a));
    expect(Array.from(back.nested.b)).toEqual([1, 2, 3]);
    expect(back.nested.list[0]).toBeInstanceOf(Int32Array);
    expect(back.nested.list[1]).toBe(4);
    expect(back.s).toBe('é');
  });

  it('handles subarray views (non-zero byteOffset)', () => {
    const big = new Float32Array([9, 8, 7, 6]);
    const back = decodeFrame(encodeFrame({ v: big.subarray(1, 3) })) as { v: Float32Array };
    expect(Array.from(back.v)).toEqual([8, 7]);
  });

  it('rejects truncated frames with a clear error', () => {
    const frame = new Uint8Array(encodeFrame({ v: new Float32Array(16) }));
    expect(() => decodeFrame(frame.subarray(0, 3))).toThrow(/shorter than its 4-byte header/);
    expect(() => decodeFrame(frame.subarray(0, 10))).toThrow(/truncated/);
    expect(() => decodeFrame(frame.subarray(0, frame.length - 8))).toThrow(/truncated in typed array/);
  });
});
