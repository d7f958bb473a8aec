import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { expectedPixels, oneHotPixelMaps, pointPixelMaps, propagatePixelMaps } from '../../../../src-main/mbrl/models/video/pixel-distribution';
import { useCpuBackend } from '../../tf-setup';

beforeAll(useCpuBackend);

const S = 12;

/** A 5×5 kernel that moves content by (dx, dy): its one sits at (2 − dy, 2 − dx). */
function shiftKernel(dx: number, dy: number): tf.Tensor4D {
  const k = new Float32Array(25);
  k[(2 - dy) * 5 + (2 - dx)] = 1;
  return tf.tensor4d(k, [1, 5, 5, 1]);
}

/** Masks [1, S, S, 2]: background weight `keep`, the one kernel 1 − keep. */
function masks(keep: number): tf.Tensor4D {
  return tf.concat([tf.fill([1, S, S, 1], keep), tf.fill([1, S, S, 1], 1 - keep)], 3) as tf.Tensor4D;
}

describe('designated-pixel propagation', () => {
  it('a one-hot moved by a pure shift kernel moves by the shift, step after step, and stays normalised', () => {
    let maps = tf.tensor4d(oneHotPixelMaps([{ x: 3, y: 4 }, { x: 7, y: 2 }], S), [1, S, S, 2]);
    const kernel = shiftKernel(1, 2);
    const m = masks(0);
    for (let t = 1; t <= 3; t++) {
      const next = propagatePixelMaps(maps, kernel, m);
      maps.dispose();
      maps = next;
      const values = maps.dataSync() as Float32Array;
      const [p0, p1] = expectedPixels(values, S, 2);
      expect(p0).toEqual({ x: 3 + t, y: 4 + 2 * t });
      expect(p1).toEqual({ x: 7 + t, y: 2 + 2 * t });
      for (let d = 0; d < 2; d++) {
        let sum = 0;
        for (let i = d; i < values.length; i += 2) sum += values[i];
        expect(sum).toBeCloseTo(1, 6);
      }
      expect(values[((4 + 2 * t) * S + 3 + t) * 2]).toBeCloseTo(1, 6);
    }
    tf.dispose([maps, kernel, m]);
  });

  it('the background mask keeps its share of the mass in place', () => {
    tf.tidy(() => {
      const maps = tf.tensor4d(oneHotPixelMaps([{ x: 5, y: 5 }], S), [1, S, S, 1]);
      const values = propagatePixelMaps(maps, shiftKernel(-2, 0), masks(0.25)).dataSync();
      expect(values[5 * S + 5]).toBeCloseTo(0.25, 6);
      expect(values[5 * S + 3]).toBeCloseTo(0.75, 6);
    });
  });

  it('renormalises mass pushed partly over the border', () => {
    tf.tidy(() => {
      const maps = tf.tensor4d(oneHotPixelMaps([{ x: 0, y: 6 }], S), [1, S, S, 1]);
      // Half the mass moves left off the frame; the rest stays and is renormalised to 1.
      const values = propagatePixelMaps(maps, shiftKernel(-1, 0), masks(0.5)).dataSync();
      expect(values[6 * S]).toBeCloseTo(1, 6);
    });
  });

  it('rejects pixels outside the frame, naming them', () => {
    expect(() => oneHotPixelMaps([{ x: 12, y: 0 }], S)).toThrow(/designated pixel 0: \(12, 0\)/);
  });

  it('spreads a fractional point bilinearly: unit mass, mean exactly the point; integer points are one-hot', () => {
    const points = [{ x: 3.25, y: 7.5 }, { x: 11, y: 0 }, { x: 4, y: 4 }];
    const maps = pointPixelMaps(points, S);
    const mass = [0, 0, 0];
    maps.forEach((v, i) => (mass[i % 3] += v));
    mass.forEach((m) => expect(m).toBeCloseTo(1, 6));
    expectedPixels(maps, S, 3).forEach((p, d) => {
      expect(p.x).toBeCloseTo(points[d].x, 6);
      expect(p.y).toBeCloseTo(points[d].y, 6);
    });
    expect(Array.from(pointPixelMaps([{ x: 4, y: 4 }], S))).toEqual(Array.from(oneHotPixelMaps([{ x: 4, y: 4 }], S)));
    expect(maps[(7 * S + 3) * 3]).toBeCloseTo(0.75 * 0.5, 6);
    expect(() => pointPixelMaps([{ x: 11.5, y: 0 }], S)).toThrow(/designated point 0: \(11.5, 0\)/);
  });
});
