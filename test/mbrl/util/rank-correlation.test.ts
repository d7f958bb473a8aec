import { describe, expect, it } from 'vitest';
import { ranks, spearman } from '../../../src-main/mbrl/util';

describe('ranks', () => {
  it('ranks from 0, ties sharing their mean rank', () => {
    expect(ranks([30, 10, 20])).toEqual([2, 0, 1]);
    expect(ranks([5, 1, 5, 5, 0])).toEqual([3, 1, 3, 3, 0]);
  });
});

describe('spearman', () => {
  it('is 1 for any increasing relation, −1 for a decreasing one', () => {
    const x = [1, 2, 3, 4, 5, 6];
    expect(spearman(x, x.map((v) => v ** 3 + 7))).toBeCloseTo(1, 12);
    expect(spearman(x, x.map((v) => -Math.exp(v)))).toBeCloseTo(-1, 12);
  });

  it('matches the hand value with ties (Pearson of the mid-ranks)', () => {
    // ranks a: [0, 1.5, 1.5, 3], b: [0, 2, 1, 3]; centred: [−1.5, 0, 0, 1.5] and [−1.5, 0.5, −0.5, 1.5]
    // → cov 4.5, var 4.5 and 5 → 4.5 / √22.5.
    expect(spearman([1, 2, 2, 3], [10, 30, 20, 40])).toBeCloseTo(4.5 / Math.sqrt(22.5), 12);
  });

  it('is NaN for a constant sample and refuses samples of different lengths', () => {
    expect(spearman([1, 1, 1], [1, 2, 3])).toBeNaN();
    expect(spearman([1], [2])).toBeNaN();
    expect(() => spearman([1, 2], [1])).toThrow(/2 and 1 values/);
  });
});
