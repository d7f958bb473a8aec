/**
 * The shape of one benchmark number and small timing helpers shared by the benchmarks in bench/.
 * `mbrl-lab bench --json` prints each result as one JSON object a line, with exactly these keys.
 */

/**
 * One benchmark result. `reference` and `ratio` are present where a reference implementation was
 * measured in the same run. Convention: ratio > 1 means we are faster than the reference, whatever
 * the unit: for times (unit "ms") ratio = reference / value, for rates (unit ".../s") value / reference.
 */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  reference?: number;
  ratio?: number;
}

/** True for units where smaller is better (times, memory); false for rates. */
export function lowerIsBetter(unit: string): boolean {
  return unit === 'ms' || unit === 's' || unit === 'MB';
}

/**
 * Adds a reference value and the ratio by the convention of {@link BenchResult} (> 1: we are faster).
 * Without a reference (undefined, or not a positive finite number) the result is returned unchanged.
 */
export function withReference(result: BenchResult, reference: number | undefined): BenchResult {
  if (reference === undefined || !(reference > 0) || !Number.isFinite(reference)) return result;
  const ratio = lowerIsBetter(result.unit) ? reference / result.value : result.value / reference;
  return { ...result, reference, ratio };
}

/** The median of a non-empty list. */
export function median(values: number[]): number {
  if (values.length === 0) throw new Error('median of nothing');
  const s = [...values].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}
