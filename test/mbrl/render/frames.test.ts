/**
 * Frame helpers: bytes → [0, 1] floats, and a frame stack → a channel-stacked encoder input in [0, 1].
 */
import { describe, expect, it } from 'vitest';
import { bytesToUnit, framesToChannels, stackToUnitChannels } from '../../../src-main/mbrl/render';

describe('bytesToUnit', () => {
  it('maps 0…255 onto 0…1 element by element', () => {
    const out = bytesToUnit(Uint8Array.of(0, 51, 255));
    expect(out).toBeInstanceOf(Float32Array);
    expect(Array.from(out)).toEqual([0, Math.fround(0.2), 1]);
  });
});

describe('stackToUnitChannels', () => {
  // Two 1×2 frames: frame 0 = pixels (1,2,3) (4,5,6); frame 1 = (7,8,9) (10,11,12), times 5.
  const stack = Uint8Array.from([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12], (v) => v * 5);

  it('puts frame i at channels 3i…3i+2 of each pixel, scaled to [0, 1]', () => {
    const out = stackToUnitChannels(stack, 2, 1, 2);
    expect(Array.from(out, (v) => Math.round(v * 255))).toEqual(Array.from(framesToChannels(stack, 2, 1, 2)));
    expect(Array.from(out.slice(0, 6), (v) => Math.round(v * 255) / 5)).toEqual([1, 2, 3, 7, 8, 9]);
  });

  it('passes a single frame through in its own layout', () => {
    const one = stack.slice(0, 6);
    expect(Array.from(stackToUnitChannels(one, 1, 1, 2))).toEqual(Array.from(bytesToUnit(one)));
  });

  it('refuses a stack of the wrong size', () => {
    expect(() => stackToUnitChannels(stack, 3, 1, 2)).toThrow(/12 bytes are not 3 frames of 1×2×3/);
  });
});
