import { describe, expect, it } from 'vitest';
import type { GeomDescription } from '../../../src-main/mbrl/env';
import { POSE_STRIDE } from '../../../src-main/mbrl/env';
import { Rasterizer, colorByte, frameHash, pixelsOfColor, sideCamera, topDownCamera, type PixelCameraSpec } from '../../../src-main/mbrl/render';

const RED: [number, number, number, number] = [1, 0, 0, 1];
const RED8: [number, number, number] = [255, 0, 0];
const BLUE: [number, number, number, number] = [0, 0, 1, 1];
const BLUE8: [number, number, number] = [0, 0, 255];

/** A geom on the world body (index 0) unless told otherwise. */
function geom(kind: GeomDescription['kind'], size: number[], pos: number[], rgba = RED, quat = [1, 0, 0, 0], body = 0): GeomDescription {
  return {
    body,
    kind,
    size: [size[0], size[1] ?? 0, size[2] ?? 0],
    pos: [pos[0], pos[1], pos[2]],
    quat: [quat[0], quat[1], quat[2], quat[3]],
    rgba,
  };
}

/** Identity poses for n bodies. */
function identityPoses(n: number): Float32Array {
  const p = new Float32Array(n * POSE_STRIDE);
  for (let b = 0; b < n; b++) p[b * POSE_STRIDE + 3] = 1;
  return p;
}

/** World (x, y) of the centre of output pixel [row, col] for a top-down camera at the origin. */
function pixelCentre(row: number, col: number, metresPerPx: number, size: number): [number, number] {
  return [(col + 0.5 - size / 2) * metresPerPx, (size / 2 - row - 0.5) * metresPerPx];
}

/** Every pixel [row, col] whose centre satisfies inside(x, y), in row-major order. */
function expectedPixels(size: number, metresPerPx: number, inside: (x: number, y: number) => boolean): [number, number][] {
  const out: [number, number][] = [];
  for (let r = 0; r < size; r++) {
    for (let c = 0; c < size; c++) {
      const [x, y] = pixelCentre(r, c, metresPerPx, size);
      if (inside(x, y)) out.push([r, c]);
    }
  }
  return out;
}

const TOP = topDownCamera(0, 0, 6.4); // 64 px over 6.4 m: 0.1 m per pixel

describe('Rasterizer', () => {
  it('draws a disc of a given radius at a given place: exactly the pixels whose centres it covers', () => {
    // A sphere of radius 1.03 m at (0.31, −0.52): centres never lie on its rim, so the set is exact.
    const r = new Rasterizer({ geoms: [geom('sphere', [1.03], [0.31, -0.52, 0])] }, TOP);
    const img = r.render(identityPoses(1));
    const got = pixelsOfColor(img, 64, RED8);
    const want = expectedPixels(64, 0.1, (x, y) => (x - 0.31) ** 2 + (y + 0.52) ** 2 < 1.03 ** 2);
    expect(got).toEqual(want);
    // About π r² / (0.1 m)² pixels, centred where the camera maps the sphere's centre.
    expect(Math.abs(got.length - (Math.PI * 1.03 ** 2) / 0.01)).toBeLessThan(20);
    const meanRow = got.reduce((s, p) => s + p[0], 0) / got.length + 0.5;
    const meanCol = got.reduce((s, p) => s + p[1], 0) / got.length + 0.5;
    const c = r.camera.project([0.31, -0.52, 0]);
    expect(Math.abs(meanCol - c.u)).toBeLessThan(0.25);
    expect(Math.abs(meanRow - c.v)).toBeLessThan(0.25);
    expect(c.u).toBeCloseTo(32 + 3.1, 9);
    expect(c.v).toBeCloseTo(32 + 5.2, 9);
    // Everything else is background.
    expect(pixelsOfColor(img, 64, [colorByte(0.72), colorByte(0.78), colorByte(0.86)]).length).toBe(64 * 64 - got.length);
  });

  it("draws a capsule as a stadium whose ends are the half-discs around its end points", () => {
    // Capsule along local z, turned to lie along world x: quaternion of +90° about y. Ends at x = −1.52
    // and x = 1.48 (half-length 1.5 about x = −0.02), y = 0.23, radius 0.41.
    const q = [Math.SQRT1_2, 0, Math.SQRT1_2, 0];
    const r = new Rasterizer({ geoms: [geom('capsule', [0.41, 1.5], [-0.02, 0.23, 0], RED, q)] }, TOP);
    const got = pixelsOfColor(r.render(identityPoses(1)), 64, RED8);
    const segDist2 = (x: number, y: number) => {
      const cx = Math.max(-1.52, Math.min(1.48, x));
      return (x - cx) ** 2 + (y - 0.23) ** 2;
    };
    expect(got).toEqual(expectedPixels(64, 0.1, (x, y) => segDist2(x, y) < 0.41 ** 2));
    // The ends: the leftmost and rightmost covered pixel centres lie within one pixel of end ± radius.
    const cols = got.map((p) => p[1]);
    const xLeft = pixelCentre(0, Math.min(...cols), 0.1, 64)[0];
    const xRight = pixelCentre(0, Math.max(...cols), 0.1, 64)[0];
    expect(xLeft).toBeGreaterThan(-1.52 - 0.41);
    expect(xLeft).toBeLessThan(-1.52 - 0.41 + 0.1);
    expect(xRight).toBeLessThan(1.48 + 0.41);
    expect(xRight).toBeGreaterThan(1.48 + 0.41 - 0.1);
    // At an end, the half-disc narrows: the column through the end point is as tall as the body, the
    // column 0.35 m beyond it much shorter.
    const colAt = (x: number) => Math.floor(x / 0.1 + 32);
    const height = (col: number) => got.filter((p) => p[1] === col).length;
    expect(height(colAt(1.48))).toBeGreaterThanOrEqual(8);
    expect(height(colAt(1.83))).toBeLessThanOrEqual(5);
  });

  it('draws a rotated box, a cylinder seen side-on and an ellipsoid with their exact outlines', () => {
    const yaw = Math.PI / 6; // 30° about z
    const q = [Math.cos(yaw / 2), 0, 0, Math.sin(yaw / 2)];
    const box = new Rasterizer({ geoms: [geom('box', [1.2, 0.61, 0.3], [0.13, 0.07, 0], RED, q)] }, TOP);
    const inBox = (x: number, y: number) => {
      const dx = x - 0.13;
      const dy = y - 0.07;
      const lx = Math.cos(yaw) * dx + Math.sin(yaw) * dy;
      const ly = -Math.sin(yaw) * dx + Math.cos(yaw) * dy;
      return Math.abs(lx) < 1.2 && Math.abs(ly) < 0.61;
    };
    expect(pixelsOfColor(box.render(identityPoses(1)), 64, RED8)).toEqual(expectedPixels(64, 0.1, inBox));

    // A side camera sees an upright cylinder (axis z) as a rectangle 2r wide and 2h tall.
    const side = new Rasterizer({ geoms: [geom('cylinder', [0.52, 1.01], [0.33, 0, 0.12])] }, sideCamera(0, 0, 6.4));
    const inRect = (x: number, z: number) => Math.abs(x - 0.33) < 0.52 && Math.abs(z - 0.12) < 1.01;
    expect(pixelsOfColor(side.render(identityPoses(1)), 64, RED8)).toEqual(expectedPixels(64, 0.1, inRect));

    const ell = new Rasterizer({ geoms: [geom('ellipsoid', [1.51, 0.72, 0.4], [0.02, -0.03, 0])] }, TOP);
    const inEll = (x: number, y: number) => ((x - 0.02) / 1.51) ** 2 + ((y + 0.03) / 0.72) ** 2 < 1;
    expect(pixelsOfColor(ell.render(identityPoses(1)), 64, RED8)).toEqual(expectedPixels(64, 0.1, inEll));
  });

  it('keeps the nearest geom where geoms overlap (depth buffer), whatever their order', () => {
    // A blue sphere above a red floor-level box, top-down: blue wins where both are.
    const lower = geom('box', [2, 2, 0.1], [0, 0, 0], RED);
    const upper = geom('sphere', [0.5], [0, 0, 1], BLUE);
    for (const geoms of [[lower, upper], [upper, lower]]) {
      const img = new Rasterizer({ geoms }, TOP).render(identityPoses(1));
      const blue = pixelsOfColor(img, 64, BLUE8);
      expect(blue).toEqual(expectedPixels(64, 0.1, (x, y) => x * x + y * y < 0.25));
      expect(pixelsOfColor(img, 64, RED8).length).toBe(40 * 40 - blue.length);
    }
  });

  it('places geoms by their body poses (position and quaternion)', () => {
    // Geom at +0.5 m along its body's x; the body at (1, −1, 0) turned 90° about z: the geom lands at
    // (1, −0.5).
    const scene = { geoms: [geom('sphere', [0.3], [0.5, 0, 0], RED, [1, 0, 0, 0], 1)] };
    const poses = identityPoses(2);
    poses.set([1, -1, 0, Math.SQRT1_2, 0, 0, Math.SQRT1_2], POSE_STRIDE);
    const got = pixelsOfColor(new Rasterizer(scene, TOP).render(poses), 64, RED8);
    expect(got).toEqual(expectedPixels(64, 0.1, (x, y) => (x - 1) ** 2 + (y + 0.5) ** 2 < 0.09));
    expect(() => new Rasterizer(scene, TOP).render(identityPoses(1))).toThrow(/poses cover 1 bodies, the scene needs 2/);
  });

  it('hides the geoms of hidden bodies and those with alpha 0; draws an unbounded plane everywhere below', () => {
    const scene = {
      geoms: [geom('plane', [0, 0, 1], [0, 0, 0], BLUE), geom('sphere', [0.5], [0, 0, 0.5], RED, [1, 0, 0, 0], 1), geom('sphere', [2], [0, 0, 0.5], [0, 1, 0, 0])],
    };
    const poses = identityPoses(2);
    const shown = new Rasterizer(scene, TOP).render(poses);
    expect(pixelsOfColor(shown, 64, RED8).length).toBeGreaterThan(50);
    expect(pixelsOfColor(shown, 64, BLUE8).length + pixelsOfColor(shown, 64, RED8).length).toBe(64 * 64);
    const hidden = new Rasterizer(scene, TOP, { hiddenBodies: [1] }).render(poses);
    expect(pixelsOfColor(hidden, 64, BLUE8).length).toBe(64 * 64);
    // The plane is one-sided: from below it is not there.
    const below: PixelCameraSpec = { projection: 'orthographic', eye: [0, 0, -5], target: [0, 0, 0], up: [0, 1, 0], viewHeight: 6.4 };
    expect(pixelsOfColor(new Rasterizer({ geoms: [scene.geoms[0]] }, below).render(poses), 64, BLUE8)).toEqual([]);
  });

  it('renders the same bytes every time (fixed hash), and at other sizes and sample counts', () => {
    const scene = {
      geoms: [
        geom('plane', [3, 3, 0.1], [0, 0, 0], [0.8, 0.8, 0.8, 1]),
        geom('capsule', [0.1, 1], [0.2, 0.3, 0.2], [0.9, 0.6, 0.2, 1], [0.9, 0.1, 0.3, 0.2]),
        geom('box', [0.4, 0.3, 0.2], [-1, -0.8, 0.2], [0.2, 0.4, 0.8, 1], [0.96, 0, 0, 0.28]),
        geom('cylinder', [0.3, 0.2], [1.2, -1, 0.2], [0.3, 0.7, 0.3, 1]),
        geom('ellipsoid', [0.5, 0.3, 0.2], [-1, 1, 0.3], [0.7, 0.2, 0.6, 1]),
      ],
    };
    const persp: PixelCameraSpec = { projection: 'perspective', eye: [0, -4, 3], target: [0, 0, 0], up: [0, 0, 1], fovyDeg: 60 };
    const poses = identityPoses(1);
    const a = new Rasterizer(scene, persp, { shading: 'lambert', supersample: 2 });
    const first = a.render(poses);
    const again = a.render(poses);
    expect(again).toEqual(first);
    expect(new Rasterizer(scene, persp, { shading: 'lambert', supersample: 2 }).render(poses)).toEqual(first);
    // Pinned: any change to the arithmetic shows up here (update deliberately, with a reason).
    expect(frameHash(first)).toMatchInlineSnapshot(`"14731711"`);
    const small = new Rasterizer(scene, persp, { width: 40, height: 30 }).render(poses);
    expect(small.length).toBe(40 * 30 * 3);
    const batch = a.renderMany(Float32Array.of(...poses, ...poses), 1);
    expect(batch.subarray(64 * 64 * 3)).toEqual(first);
  });

  it('supersampling blends edge pixels; minRadiusPx keeps a thin rod visible', () => {
    const thin = { geoms: [geom('capsule', [0.02, 1], [0.0, 0.0, 0], RED, [Math.SQRT1_2, 0, Math.SQRT1_2, 0])] };
    // 0.04 m wide at 0.1 m per pixel between pixel centres: invisible at one sample per pixel...
    expect(pixelsOfColor(new Rasterizer(thin, TOP).render(identityPoses(1)), 64, RED8)).toEqual([]);
    // ...a faint line with 4 × 4 samples...
    const aa = new Rasterizer(thin, TOP, { supersample: 4, background: [0, 0, 0] }).render(identityPoses(1));
    expect(aa.some((v, i) => i % 3 === 0 && v > 0 && v < 255)).toBe(true);
    // ...and a solid line one pixel wide or more with minRadiusPx.
    const wide = pixelsOfColor(new Rasterizer(thin, TOP, { minRadiusPx: 0.75 }).render(identityPoses(1)), 64, RED8);
    expect(wide.length).toBeGreaterThanOrEqual(20);
  });

  it('refuses bad options clearly', () => {
    expect(() => new Rasterizer({ geoms: [] }, TOP, { supersample: 0 })).toThrow(/supersample/);
    expect(() => new Rasterizer({ geoms: [] }, { ...TOP, viewHeight: 0 })).toThrow(/viewHeight/);
    expect(() => new Rasterizer({ geoms: [] }, TOP, { width: 0 })).toThrow(/image size/);
    expect(() => new Rasterizer({ geoms: [] }, TOP).render(new Float32Array(7), new Uint8Array(5))).toThrow(/expected 12288/);
  });
});
