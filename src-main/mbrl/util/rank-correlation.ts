/**
 * Ranks of `values` (0 = smallest), ties sharing their mean rank.
 * Written here rather than taken from a statistics package: it is a dozen lines, and the project has
 * no statistics dependency to add it to.
 */
export function ranks(values: readonly number[]): number[] {
  const order = values.map((v, i) => [v, i] as const).sort((a, b) => a[0] - b[0]);
  const out = new Array<number>(values.length);
  for (let k = 0; k < order.length; ) {
    let end = k;
    while (end + 1 < order.length && order[end + 1][0] === order[k][0]) end++;
    for (let j = k; j <= end; j++) out[order[j][1]] = (k + end) / 2;
    k = end + 1;
  }
  return out;
}

/**
 * Spearman's rank correlation of two equally long samples: the Pearson correlation of their ranks, in
 * [−1, 1]; NaN when either sample is constant or there are fewer than two values.
 * @throws RangeError when the lengths differ.
 */
export function spearman(a: readonly number[], b: readonly number[]): number {
  if (a.length !== b.length) throw new RangeError(`spearman: samples of ${a.length} and ${b.length} values`);
  const [ra, rb] = [ranks(a), ranks(b)];
  const mean = (r: number[]) => r.reduce((s, x) => s + x, 0) / r.length;
  const [ma, mb] = [mean(ra), mean(rb)];
  let cov = 0;
  let va = 0;
  let vb = 0;
  for (let i = 0; i < ra.length; i++) {
    cov += (ra[i] - ma) * (rb[i] - mb);
    va += (ra[i] - ma) ** 2;
    vb += (rb[i] - mb) ** 2;
  }
  return ra.length < 2 || va === 0 || vb === 0 ? NaN : cov / Math.sqrt(va * vb);
}
