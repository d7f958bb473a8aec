import { describe, expect, it } from 'vitest';
import { codesTo3d, fitPca, projectPca } from '../../../src-main/mbrl/util/pca';
import { Rng } from '../../../src-main/mbrl/util/rng';

/** n codes in 5-D: variance 9, 4, 1 along three known orthonormal directions, tiny noise elsewhere. */
function anisotropic(n: number): { codes: Float64Array; dirs: number[][] } {
  const s = Math.SQRT1_2;
  const dirs = [
    [s, s, 0, 0, 0],
    [0, 0, 1, 0, 0],
    [s, -s, 0, 0, 0],
  ];
  const rng = new Rng(3);
  const codes = new Float64Array(n * 5);
  for (let i = 0; i < n; i++) {
    const w = [3 * rng.normal(), 2 * rng.normal(), rng.normal()];
    for (let j = 0; j < 5; j++) {
      codes[i * 5 + j] = 10 + 0.01 * rng.normal() + w[0] * dirs[0][j] + w[1] * dirs[1][j] + w[2] * dirs[2][j];
    }
  }
  return { codes, dirs };
}

describe('PCA', () => {
  it('finds the known axes in order of variance, with their variances', () => {
    const { codes, dirs } = anisotropic(4000);
    const p = fitPca(codes, 4000, 5);
    for (let c = 0; c < 3; c++) {
      const axis = Array.from(p.axes.slice(c * 5, c * 5 + 5));
      const dot = axis.reduce((s, a, j) => s + a * dirs[c][j], 0);
      expect(Math.abs(dot)).toBeGreaterThan(0.999);
    }
    expect(p.variance[0]).toBeCloseTo(9, 0);
    expect(p.variance[1]).toBeCloseTo(4, 0);
    expect(p.variance[2]).toBeCloseTo(1, 0);
    expect(p.explained[0] + p.explained[1] + p.explained[2]).toBeGreaterThan(0.999);
    expect(p.mean[3]).toBeCloseTo(10, 2);
  });

  it('projects centred codes onto the axes and keeps ≤3-D codes as they are', () => {
    const { codes } = anisotropic(500);
    const p = fitPca(codes, 500, 5);
    const xyz = projectPca(p, codes, 500);
    let mean0 = 0;
    for (let i = 0; i < 500; i++) mean0 += xyz[i * 3] / 500;
    expect(Math.abs(mean0)).toBeLessThan(1e-4);
    expect(Array.from(codesTo3d([1, 2, 3, 4], 2, 2))).toEqual([1, 2, 0, 3, 4, 0]);
  });

  it('refuses wrong shapes and non-finite codes', () => {
    expect(() => fitPca([1, 2, 3], 2, 2)).toThrow(/expected 2×2/);
    expect(() => fitPca([1, Number.NaN, 3, 4], 2, 2)).toThrow(/code 0 dimension 1 is NaN/);
  });
});
