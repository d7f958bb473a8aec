import { describe, expect, it } from 'vitest';
import { followShift } from '../../src-renderer/src/scene/follow-camera';

// Two bodies: the world at the origin, a torso at (3.5, 0.2, 0.6).
const poses = new Float32Array([0, 0, 0, 1, 0, 0, 0, 3.5, 0.2, 0.6, 1, 0, 0, 0]);

describe('follow camera', () => {
  it('moves the target along x onto the followed body', () => {
    expect(followShift(poses, 1, 0)).toBeCloseTo(3.5);
    expect(followShift(poses, 1, 1.5)).toBeCloseTo(2);
    expect(followShift(poses, 1, 5)).toBeCloseTo(-1.5);
    // Already there: no shift. Following the world pins the target at x = 0.
    expect(followShift(poses, 1, 3.5)).toBe(0);
    expect(followShift(poses, 0, 2)).toBe(-2);
  });

  it('stays put with nothing to follow', () => {
    expect(followShift(poses, undefined, 1)).toBe(0);
    expect(followShift(poses, 2, 1)).toBe(0);
    expect(followShift(poses, -1, 1)).toBe(0);
    expect(followShift(poses, 0.5, 1)).toBe(0);
    expect(followShift(new Float32Array(0), 1, 1)).toBe(0);
    expect(followShift(new Float32Array([NaN, 0, 0, 1, 0, 0, 0]), 0, 1)).toBe(0);
  });

  it('keeps the eye at the same offset from the target (the orbit is preserved)', () => {
    const eye = [1, -4, 1.1];
    const target = [0, 0, 0.5];
    let x = 0;
    for (const torso of [0.4, 1.9, 7.25]) {
      const dx = followShift([0, 0, 0, 1, 0, 0, 0, torso, 0, 0.5, 1, 0, 0, 0], 1, target[0]);
      eye[0] += dx;
      target[0] += dx;
      x = torso;
      expect(target).toEqual([x, 0, 0.5]);
      expect(eye[0] - target[0]).toBeCloseTo(1);
      expect(eye.slice(1)).toEqual([-4, 1.1]);
    }
  });
});
