import { describe, expect, it } from 'vitest';
import { PixelCamera, sideCamera, topDownCamera, type PixelCameraSpec } from '../../../src-main/mbrl/render';
import { Rng } from '../../../src-main/mbrl/util';

describe('PixelCamera', () => {
  it('maps world points to pixels and back on a plane (top-down, side and perspective cameras)', () => {
    const cameras: [PixelCameraSpec, number[], number[]][] = [
      [topDownCamera(0.1, -0.2, 0.8), [0, 0, 0.03], [0, 0, 1]],
      [sideCamera(0, 1.2, 1.3), [0, 0, 0], [0, 1, 0]],
      [{ projection: 'perspective', eye: [0.3, -1.5, 1.2], target: [0, 0, 0], up: [0, 0, 1], fovyDeg: 50 }, [0, 0, 0], [0, 0, 1]],
    ];
    const rng = new Rng(1);
    for (const [spec, point, normal] of cameras) {
      const cam = new PixelCamera(spec, 64, 48);
      for (let i = 0; i < 50; i++) {
        const u = rng.uniform(0, 64);
        const v = rng.uniform(0, 48);
        const w = cam.unproject(u, v, point, normal);
        expect(w).not.toBeNull();
        // On the plane...
        const off = (w![0] - point[0]) * normal[0] + (w![1] - point[1]) * normal[1] + (w![2] - point[2]) * normal[2];
        expect(Math.abs(off)).toBeLessThan(1e-9);
        // ...and projecting it back lands on the same image point.
        const p = cam.project(w!);
        expect(p.u).toBeCloseTo(u, 9);
        expect(p.v).toBeCloseTo(v, 9);
        expect(p.depth).toBeGreaterThan(0);
      }
    }
  });

  it('puts world +x to the right and +y up in top-down images, pixel centres at +0.5', () => {
    const cam = new PixelCamera(topDownCamera(0, 0, 0.8), 64, 64); // 0.0125 m per pixel
    expect(cam.scale).toBeCloseTo(0.0125, 12);
    expect(cam.pixelOf([0.0001, 0.0001, 0])).toEqual([31, 32]);
    expect(cam.pixelOf([-0.0001, -0.0001, 0])).toEqual([32, 31]);
    expect(cam.pixelOf([0.39, 0.39, 0])).toEqual([0, 63]);
    expect(cam.pixelOf([0.41, 0, 0])).toBeNull();
    // Pixel [row, col] → world and back, every pixel.
    for (let row = 0; row < 64; row++) {
      for (let col = 0; col < 64; col++) {
        const w = cam.pixelToWorldOnZ(row, col, 0.03)!;
        expect(w[0]).toBeCloseTo((col + 0.5 - 32) * 0.0125, 12);
        expect(w[1]).toBeCloseTo((32 - row - 0.5) * 0.0125, 12);
        expect(cam.pixelOf(w)).toEqual([row, col]);
      }
    }
    // A side camera: +x right, +z up.
    const side = new PixelCamera(sideCamera(0, 1, 2), 64, 64);
    expect(side.pixelOf([0.5, 0, 1.5])).toEqual([16, 48]);
  });

  it('keeps its field of view when resized and refuses degenerate cameras', () => {
    const cam = new PixelCamera(topDownCamera(0, 0, 2), 40, 40);
    const big = cam.resized(80, 80);
    const p = cam.project([0.3, -0.7, 0]);
    const q = big.project([0.3, -0.7, 0]);
    expect(q.u).toBeCloseTo(2 * p.u, 12);
    expect(q.v).toBeCloseTo(2 * p.v, 12);
    expect(() => new PixelCamera({ ...topDownCamera(0, 0, 1), up: [0, 0, 1] }, 8, 8)).toThrow(/parallel/);
    expect(() => new PixelCamera({ ...topDownCamera(0, 0, 1), target: [0, 0, 10] }, 8, 8)).toThrow(/coincide/);
    expect(() => new PixelCamera({ projection: 'perspective', eye: [0, 0, 1], target: [0, 0, 0], up: [0, 1, 0] }, 8, 8)).toThrow(/fovyDeg/);
    expect(cam.unproject(1, 1, [0, 0, 0], [1, 0, 0])).toBeNull(); // rays parallel to the plane
  });
});
