// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import * as THREE from 'three';
import { CLOUD_HALF_EXTENT, LatentCloud, finiteRange } from '../../src-renderer/src/scene/latent-cloud';
import { colormap, colormapCss } from '../../src-renderer/src/scene/colormap';

/** n codes on a line along x from −10 to 10 (code units), y = z = 0. */
function lineCodes(n: number): Float32Array {
  const xyz = new Float32Array(3 * n);
  for (let i = 0; i < n; i++) xyz[3 * i] = -10 + (20 * i) / (n - 1);
  return xyz;
}

describe('colormap (viridis)', () => {
  it('runs from dark blue through teal to yellow and clamps outside [0, 1]', () => {
    const [r0, g0, b0] = colormap(0);
    const [r1, g1, b1] = colormap(1);
    expect(b0).toBeGreaterThan(r0);
    expect(b0).toBeGreaterThan(g0);
    expect(r1).toBeGreaterThan(b1);
    expect(g1).toBeGreaterThan(b1);
    expect(colormap(-3)).toEqual(colormap(0));
    expect(colormap(7)).toEqual(colormap(1));
    expect(colormap(Number.NaN)).toEqual(colormap(0));
    expect(colormapCss(1)).toBe('rgb(253, 231, 37)');
  });
});

describe('LatentCloud', () => {
  it('fits any code scale into the cube and colours points by their values', () => {
    const cloud = new LatentCloud();
    const values = new Float32Array([0, 0.5, 1]);
    cloud.setPoints(lineCodes(3), values);
    const points = cloud.root.getObjectByName('codes') as THREE.Points;
    const pos = points.geometry.getAttribute('position');
    expect(cloud.size).toBe(3);
    expect(pos.getX(0)).toBeCloseTo(-CLOUD_HALF_EXTENT);
    expect(pos.getX(2)).toBeCloseTo(CLOUD_HALF_EXTENT);
    expect(pos.getY(1)).toBeCloseTo(0);
    const color = points.geometry.getAttribute('color');
    expect([color.getX(0), color.getY(0), color.getZ(0)]).toEqual(colormap(0).map((c) => expect.closeTo(c, 5)));
    expect([color.getX(2), color.getY(2), color.getZ(2)]).toEqual(colormap(1).map((c) => expect.closeTo(c, 5)));
    cloud.dispose();
  });

  it('refuses colour values that do not match the points', () => {
    const cloud = new LatentCloud();
    expect(() => cloud.setPoints(lineCodes(4), new Float32Array(3))).toThrow(/4 points but 3 colour values/);
    cloud.dispose();
  });

  it('picks the point under a ray and marks it', () => {
    const cloud = new LatentCloud();
    cloud.setPoints(lineCodes(5), new Float32Array([0, 1, 2, 3, 4]));
    cloud.root.updateMatrixWorld(true);
    // Straight down onto the last point (world x = +1, y = 0, z = 1.2).
    const ray = new THREE.Raycaster(new THREE.Vector3(1, 0, 5), new THREE.Vector3(0, 0, -1));
    expect(cloud.pick(ray)).toBe(4);
    const miss = new THREE.Raycaster(new THREE.Vector3(0.25, 0.8, 5), new THREE.Vector3(0, 0, -1));
    expect(cloud.pick(miss)).toBeNull();
    cloud.highlight(4);
    const marker = cloud.root.children.find((c) => c instanceof THREE.Mesh) as THREE.Mesh;
    expect(marker.visible).toBe(true);
    expect(marker.position.x).toBeCloseTo(1);
    cloud.highlight(null);
    expect(marker.visible).toBe(false);
    cloud.dispose();
  });

  it('draws paths in the same frame as the points, and hides one that is too short', () => {
    const cloud = new LatentCloud();
    cloud.setPoints(lineCodes(3), new Float32Array(3));
    cloud.setPath('executed', new Float32Array([-10, 0, 0, 10, 0, 0]));
    const line = cloud.root.getObjectByName('path-executed') as THREE.Line;
    expect(line.visible).toBe(true);
    expect(line.geometry.getAttribute('position').getX(1)).toBeCloseTo(CLOUD_HALF_EXTENT);
    cloud.setPath('executed', new Float32Array(0));
    expect(line.visible).toBe(false);
    cloud.dispose();
  });

  it('ignores non-finite values when choosing the colour range', () => {
    expect(finiteRange([Number.NaN, 2, -1, Infinity])).toEqual([-1, 2]);
    expect(finiteRange([])).toEqual([0, 1]);
  });
});
