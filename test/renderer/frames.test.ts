import { describe, expect, it } from 'vitest';
import { heatToRgba, pixelAt, rgbToRgba, splitFrames } from '../../src-renderer/src/components/frames';

describe('frames', () => {
  it('turns RGB bytes into opaque RGBA and refuses a size mismatch', () => {
    const rgba = rgbToRgba({ width: 2, height: 1, rgb: new Uint8Array([1, 2, 3, 4, 5, 6]) });
    expect(Array.from(rgba)).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
    expect(() => rgbToRgba({ width: 2, height: 2, rgb: new Uint8Array(6) })).toThrow(/needs 12 RGB bytes, got 6/);
  });

  it('splits frames stored back to back into views of each', () => {
    const bytes = Uint8Array.from({ length: 2 * 2 * 1 * 3 + 1 }, (_, i) => i);
    const frames = splitFrames(bytes, 2, 1);
    expect(frames).toHaveLength(2);
    expect(Array.from(frames[1].rgb)).toEqual([6, 7, 8, 9, 10, 11]);
    expect(frames[1].rgb.buffer).toBe(bytes.buffer);
  });

  it('draws a heat map clear where p is 0 and most opaque at the peak', () => {
    const p = new Float32Array([0, 0.25, 1, 0]);
    const rgba = heatToRgba(p, 2, 2);
    expect(rgba[3]).toBe(0);
    expect(rgba[15]).toBe(0);
    expect(rgba[11]).toBeGreaterThan(rgba[7]);
    expect(Array.from(heatToRgba(new Float32Array(4), 2, 2))).toEqual(new Array(16).fill(0));
    expect(() => heatToRgba(new Float32Array(3), 2, 2)).toThrow(/needs 4 values/);
  });

  it('maps a pointer position on the stretched image to its pixel, clamped', () => {
    const box = { left: 10, top: 20, width: 320, height: 320 };
    expect(pixelAt(10, 20, box, 64, 64)).toEqual([0, 0]);
    expect(pixelAt(10 + 160, 20 + 5 * 5 + 1, box, 64, 64)).toEqual([32, 5]);
    expect(pixelAt(1000, -50, box, 64, 64)).toEqual([63, 0]);
  });
});
