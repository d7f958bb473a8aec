import { describe, expect, it } from 'vitest';
import { quantile } from '../../../src-main/mbrl/util';

describe('quantile', () => {
  it('interpolates linearly between sorted values and is NaN for no values', () => {
    expect(quantile([1, 2, 3, 4, 5], 0.5)).toBe(3);
    expect(quantile([0, 10], 0.25)).toBe(2.5);
    expect(quantile([7], 0.9)).toBe(7);
    expect(quantile([1, 2, 4], 1)).toBe(4);
    expect(quantile([], 0.5)).toBeNaN();
  });
});
