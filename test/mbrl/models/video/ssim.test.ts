import { describe, expect, it } from 'vitest';
import { ssim } from '../../../../src-main/mbrl/models/video/ssim';
import { Rng } from '../../../../src-main/mbrl/util';

const S = 16;
const random = (seed: number) => {
  const rng = new Rng(seed);
  return Float32Array.from({ length: S * S * 3 }, () => rng.nextFloat());
};

describe('ssim', () => {
  it('is 1 for identical images and symmetric', () => {
    const a = random(1);
    const b = random(2);
    expect(ssim(a, a, S, S, 3)).toBeCloseTo(1, 10);
    expect(ssim(a, b, S, S, 3)).toBeCloseTo(ssim(b, a, S, S, 3), 12);
  });

  it('equals the luminance term (2μaμb + C1)/(μa² + μb² + C1) for two flat images', () => {
    const a = new Float32Array(S * S * 3).fill(0.25);
    const b = new Float32Array(S * S * 3).fill(0.75);
    const C1 = 0.01 ** 2;
    expect(ssim(a, b, S, S, 3)).toBeCloseTo((2 * 0.25 * 0.75 + C1) / (0.25 ** 2 + 0.75 ** 2 + C1), 6);
  });

  it('falls as noise grows', () => {
    const a = random(3);
    const noisy = (amount: number) => {
      const rng = new Rng(4);
      return a.map((v) => v + amount * (rng.nextFloat() - 0.5));
    };
    const s1 = ssim(a, noisy(0.1), S, S, 3);
    const s2 = ssim(a, noisy(0.5), S, S, 3);
    expect(s1).toBeLessThan(1);
    expect(s2).toBeLessThan(s1);
  });

  it('rejects images of the wrong size', () => {
    expect(() => ssim(new Float32Array(10), new Float32Array(10), S, S, 3)).toThrow(/16×16×3/);
    expect(() => ssim(new Float32Array(8 * 8), new Float32Array(8 * 8), 8, 8, 1)).toThrow(/at least 11×11/);
  });
});
