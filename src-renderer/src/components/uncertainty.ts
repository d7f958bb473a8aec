import type { ChartSeries, ReferenceLine, ScatterSeries } from './chart';
import { COLORS, memberColor } from './palette';
import type { CalibrationPoint } from '../stores/experiment-series';
import type { ModelDiagnostics } from '../stores/experiments';

/**
 * Plot data of the Model uncertainty panel, from `model/diagnostics` and `calibration` records
 * (plain functions, tested on their own).
 */

/** Coverage of a calibrated Gaussian: the shares of outcomes within 1σ and 2σ of the mean. */
export const NOMINAL_1SIGMA = 0.683;
export const NOMINAL_2SIGMA = 0.954;

export const COVERAGE_LINES: readonly ReferenceLine[] = [
  { y: NOMINAL_1SIGMA, label: '0.683', color: COLORS.within1 },
  { y: NOMINAL_2SIGMA, label: '0.954', color: COLORS.within2 },
];

/** Held-out transitions in a diagnostics snapshot (n), bounded by what its arrays hold. */
export function heldOutCount(d: ModelDiagnostics): number {
  const D = Math.max(1, d.obsDim);
  const members = Math.max(1, d.members);
  return Math.max(0, Math.min(Math.floor(d.heldOutTruth.length / D), Math.floor(d.heldOutPredicted.length / (members * D))));
}

/** Steps of the one-step band trajectory (T), bounded by what its arrays hold. */
export function trajectoryLength(d: ModelDiagnostics): number {
  const D = Math.max(1, d.obsDim);
  return Math.floor(Math.min(d.trajectoryTruth.length, d.trajectoryMean.length, d.trajectoryStd.length) / D);
}

/**
 * Predicted against true on held-out transitions for observation dimension `dim`: one series per
 * (elite) member, n points each, in the member's colour (as its 3D ghost).
 */
export function scatterSeries(d: ModelDiagnostics, dim: number): ScatterSeries[] {
  const D = d.obsDim;
  if (dim < 0 || dim >= D) return [];
  const n = heldOutCount(d);
  const truth = new Float32Array(n);
  for (let i = 0; i < n; i++) truth[i] = d.heldOutTruth[i * D + dim];
  return Array.from({ length: d.members }, (_, m) => {
    const y = new Float32Array(n);
    const base = m * n * D;
    for (let i = 0; i < n; i++) y[i] = d.heldOutPredicted[base + i * D + dim];
    return { id: `member-${m}`, label: d.members > 1 ? `member ${m + 1}` : 'model', color: memberColor(m, d.members), x: truth, y };
  });
}

/**
 * The one-step prediction of dimension `dim` along the newest episode: the truth, the predicted
 * mean with a ± 1σ band, and a fainter ± 2σ band. x is the step. Legends are left to the panel
 * (one key for all the small charts).
 */
export function bandSeries(d: ModelDiagnostics, dim: number): ChartSeries[] {
  const D = d.obsDim;
  if (dim < 0 || dim >= D) return [];
  const T = trajectoryLength(d);
  const truth: Array<[number, number]> = [];
  const mean: Array<[number, number]> = [];
  const band1: Array<[number, number]> = [];
  const band2: Array<[number, number]> = [];
  for (let t = 0; t < T; t++) {
    const mu = d.trajectoryMean[t * D + dim];
    const sd = d.trajectoryStd[t * D + dim];
    truth.push([t + 1, d.trajectoryTruth[t * D + dim]]);
    mean.push([t + 1, mu]);
    band1.push([mu - sd, mu + sd]);
    band2.push([mu - 2 * sd, mu + 2 * sd]);
  }
  return [
    { id: 'band2', label: '± 2σ', color: COLORS.predicted, points: mean, band: band2, bandOpacity: 0.1, line: false, dots: false, legend: false },
    { id: 'mean', label: 'predicted mean ± σ', color: COLORS.predicted, points: mean, band: band1, bandOpacity: 0.24, width: 1.25, dots: false, legend: false },
    { id: 'truth', label: 'true next state', color: COLORS.truth, points: truth, width: 1.25, dots: false, legend: false },
  ];
}

/** 1σ and 2σ coverage per fit (x = fit number from 1); fits without a spread are left out. */
export function coverageSeries(points: readonly CalibrationPoint[]): ChartSeries[] {
  const of = (pick: (c: CalibrationPoint) => number | null) =>
    points.filter((c) => pick(c) !== null).map((c) => [c.fit + 1, pick(c)!] as const);
  return [
    { id: 'within1', label: 'within 1σ', color: COLORS.within1, points: of((c) => c.within1), dots: true },
    { id: 'within2', label: 'within 2σ', color: COLORS.within2, points: of((c) => c.within2), dots: true },
  ];
}

/** Held-out NLL per fit (x = fit number from 1). */
export function nllSeries(points: readonly CalibrationPoint[]): ChartSeries[] {
  return [{ id: 'nll', label: 'NLL per dimension', color: COLORS.nll, points: points.filter((c) => c.nll !== null).map((c) => [c.fit + 1, c.nll!] as const), dots: true, legend: false }];
}

/**
 * A word on the 1σ coverage: intervals too narrow (overconfident) or too wide (underconfident) when
 * it is off the nominal 0.683 by more than `tolerance`.
 */
export function calibrationVerdict(within1: number | null, tolerance = 0.08): 'overconfident' | 'underconfident' | 'calibrated' | null {
  if (within1 === null || !Number.isFinite(within1)) return null;
  if (within1 < NOMINAL_1SIGMA - tolerance) return 'overconfident';
  if (within1 > NOMINAL_1SIGMA + tolerance) return 'underconfident';
  return 'calibrated';
}
