import { describe, expect, it } from 'vitest';
import { frameResizer } from '../../../src-main/mbrl/data/resize-frame';

describe('frameResizer', () => {
  it('copies an RGB frame of the same size', () => {
    const src = Uint8Array.from({ length: 2 * 3 * 3 }, (_, i) => i * 7);
    expect(Array.from(frameResizer(2, 3, 3, 2, 3)(src))).toEqual(Array.from(src));
  });

  it('shrinks by an integer factor to the mean of each block', () => {
    // 4×4 gray: each 2×2 block holds values whose mean is known.
    const src = Uint8Array.from([0, 10, 100, 100, 20, 30, 100, 100, 200, 200, 1, 3, 200, 200, 5, 7]);
    const out = frameResizer(4, 4, 1, 2, 2)(src);
    // Gray becomes RGB with equal channels.
    expect(Array.from(out)).toEqual([15, 15, 15, 100, 100, 100, 200, 200, 200, 4, 4, 4]);
  });

  it('weighs pixels by the area they cover for a fractional factor (3 → 2)', () => {
    // One row of 3 gray pixels → 2: output 0 covers [0, 1.5) = p0 + ½ p1, output 1 covers [1.5, 3).
    const out = frameResizer(1, 3, 1, 1, 2)(Uint8Array.from([0, 90, 180]));
    expect(out[0]).toBe(Math.round((0 * 1 + 90 * 0.5) / 1.5));
    expect(out[3]).toBe(Math.round((90 * 0.5 + 180 * 1) / 1.5));
  });

  it('enlarges by repeating pixels and drops alpha', () => {
    const rgba = Uint8Array.from([10, 20, 30, 0, 40, 50, 60, 255]);
    const out = frameResizer(1, 2, 4, 2, 4)(rgba);
    expect(Array.from(out.subarray(0, 12))).toEqual([10, 20, 30, 10, 20, 30, 40, 50, 60, 40, 50, 60]);
    expect(Array.from(out.subarray(12))).toEqual(Array.from(out.subarray(0, 12)));
  });

  it('writes into a buffer at an offset', () => {
    const out = new Uint8Array(2 * 3);
    frameResizer(1, 1, 3, 1, 1)(Uint8Array.from([1, 2, 3]), out, 3);
    expect(Array.from(out)).toEqual([0, 0, 0, 1, 2, 3]);
  });

  it('refuses 2 channels and a frame of the wrong length', () => {
    expect(() => frameResizer(2, 2, 2, 2, 2)).toThrow(/2 channels/);
    expect(() => frameResizer(2, 2, 3, 2, 2)(new Uint8Array(5))).toThrow(/2×2×3 frame has 12 bytes, got 5/);
  });
});
