/** Data and scale helpers of LineChart.vue and ScatterChart.vue (plain TypeScript, tested on their own). */

/** One line (and/or dots) of a chart. */
export interface ChartSeries {
  id: string;
  label: string;
  /** Any CSS colour. */
  color: string;
  /** [x, y] points; non-finite values (and y ≤ 0 on a log axis) are skipped. */
  points: ReadonlyArray<readonly [number, number]>;
  dashed?: boolean;
  /** Draw a dot at each point (default: only when the series is short). */
  dots?: boolean;
  /** Draw the connecting line (default true). */
  line?: boolean;
  /** Stroke opacity 0…1 (default 1): fade older fits, highlight the latest. */
  opacity?: number;
  /** Stroke width in px (default 1.75). */
  width?: number;
  /** Listed in the legend (default true). */
  legend?: boolean;
  /**
   * A shaded band around the line: [lower, upper] for each point (same order as `points`), e.g.
   * mean ± std. Drawn in the series' colour at `bandOpacity`; included in the axis range.
   */
  band?: ReadonlyArray<readonly [number, number]>;
  /** Fill opacity of the band (default 0.2). */
  bandOpacity?: number;
}

/** One colour of points of a ScatterChart: x[i] against y[i]. */
export interface ScatterSeries {
  id: string;
  label: string;
  /** Any CSS colour. */
  color: string;
  x: ArrayLike<number>;
  y: ArrayLike<number>;
}

/** One entry of a chart's legend (a ChartSeries or ScatterSeries will do). */
export interface LegendEntry {
  id: string;
  label: string;
  color: string;
  dashed?: boolean;
  opacity?: number;
}

/** Where the plot area lies in a chart's SVG, px. */
export interface PlotBox {
  left: number;
  top: number;
  width: number;
  height: number;
}

/** Calls `f` with each point (x[i], y[i]) of a scatter series where both are finite. */
export function eachFinitePoint(s: ScatterSeries, f: (x: number, y: number) => void): void {
  const n = Math.min(s.x.length, s.y.length);
  for (let i = 0; i < n; i++) {
    const x = s.x[i];
    const y = s.y[i];
    if (Number.isFinite(x) && Number.isFinite(y)) f(x, y);
  }
}

/** A horizontal reference line, e.g. the 0.683 a calibrated 1σ coverage should reach. */
export interface ReferenceLine {
  y: number;
  label?: string;
  /** Any CSS colour (default: the dim text colour). */
  color?: string;
}

/**
 * The closed SVG path of a band: along the upper edge, back along the lower. Points whose x, lower
 * or upper cannot be drawn are skipped; fewer than two usable points give ''.
 */
export function bandPath(
  points: ReadonlyArray<readonly [number, number]>,
  band: ReadonlyArray<readonly [number, number]>,
  sx: (x: number) => number,
  sy: (y: number) => number,
  logY = false,
): string {
  const rows: Array<[number, number, number]> = [];
  for (let i = 0; i < Math.min(points.length, band.length); i++) {
    const x = points[i][0];
    const [lo, hi] = band[i];
    if (usable(x, lo, logY) && usable(x, hi, logY)) rows.push([sx(x), sy(lo), sy(hi)]);
  }
  if (rows.length < 2) return '';
  const upper = rows.map(([px, , hy], i) => `${i ? 'L' : 'M'}${px.toFixed(1)},${hy.toFixed(1)}`).join('');
  const lower = rows.reverse().map(([px, ly]) => `L${px.toFixed(1)},${ly.toFixed(1)}`).join('');
  return `${upper}${lower}Z`;
}

/** "Nice" tick values (1, 2, 2.5, 5 × 10^k) covering [min, max], about `count` of them. */
export function niceTicks(min: number, max: number, count = 5): number[] {
  if (!Number.isFinite(min) || !Number.isFinite(max)) return [];
  if (max < min) [min, max] = [max, min];
  if (max === min) {
    const pad = Math.abs(min) > 0 ? Math.abs(min) * 0.5 : 1;
    min -= pad;
    max += pad;
  }
  const raw = (max - min) / Math.max(1, count);
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * mag).find((s) => s >= raw) ?? 10 * mag;
  const first = Math.ceil(min / step - 1e-9) * step;
  const ticks: number[] = [];
  for (let v = first; v <= max + step * 1e-9; v += step) ticks.push(Math.abs(v) < step * 1e-9 ? 0 : +v.toPrecision(12));
  return ticks;
}

/** {@link niceTicks} inside [min, max] only, about `count` of them. */
export function ticksWithin(min: number, max: number, count: number): number[] {
  return niceTicks(min, max, count).filter((t) => t >= min - 1e-9 && t <= max + 1e-9);
}

/** Left margin of a plot: room for the longest of these y tick labels. */
export function tickMargin(ticks: readonly number[]): number {
  return Math.max(28, 8 + 6.2 * Math.max(0, ...ticks.map((t) => formatTick(t).length)));
}

/** Ticks of a log10 axis over [min, max] (both > 0): powers of ten, with 2 and 5 when they are few. */
export function logTicks(min: number, max: number): number[] {
  if (!(min > 0) || !(max > 0)) return [];
  const lo = Math.floor(Math.log10(min));
  const hi = Math.ceil(Math.log10(max));
  const decades = hi - lo;
  const mantissas = decades <= 2 ? [1, 2, 5] : [1];
  const every = Math.max(1, Math.ceil(decades / 6));
  const ticks: number[] = [];
  for (let e = lo; e <= hi; e += mantissas.length === 1 ? every : 1) {
    for (const m of mantissas) {
      const v = +(m * 10 ** e).toPrecision(12);
      if (v >= min * 0.999 && v <= max * 1.001) ticks.push(v);
    }
  }
  return ticks;
}

const STEPS_125 = [1, 2, 5, 10];

/**
 * Bounds of a log axis widened to the 1-2-5 values around [min, max] (both > 0), so the axis always
 * has at least two labelled ticks.
 */
export function logBounds(min: number, max: number): [number, number] {
  const down = (v: number) => {
    const e = 10 ** Math.floor(Math.log10(v));
    return [...STEPS_125].reverse().map((m) => m * e).find((t) => t <= v * (1 + 1e-9)) ?? e;
  };
  const up = (v: number) => {
    const e = 10 ** Math.floor(Math.log10(v));
    return STEPS_125.map((m) => m * e).find((t) => t >= v * (1 - 1e-9)) ?? 10 * e;
  };
  const lo = down(min);
  let hi = up(max);
  if (hi <= lo) hi = up(lo * 1.01);
  return [+lo.toPrecision(12), +hi.toPrecision(12)];
}

/** The extent of the series' finite points: [xMin, xMax, yMin, yMax], or null when there are none. */
export function extent(series: readonly ChartSeries[], logY = false): [number, number, number, number] | null {
  let x0 = Infinity, x1 = -Infinity, y0 = Infinity, y1 = -Infinity;
  for (const s of series) {
    for (const [x, y] of s.points) {
      if (!usable(x, y, logY)) continue;
      x0 = Math.min(x0, x);
      x1 = Math.max(x1, x);
      y0 = Math.min(y0, y);
      y1 = Math.max(y1, y);
    }
    const band = s.band ?? [];
    for (let i = 0; i < Math.min(band.length, s.points.length); i++) {
      const x = s.points[i][0];
      for (const y of band[i]) {
        if (!usable(x, y, logY)) continue;
        y0 = Math.min(y0, y);
        y1 = Math.max(y1, y);
      }
    }
  }
  return x0 <= x1 ? [x0, x1, y0, y1] : null;
}

/** Whether a point can be drawn on the axes. */
export function usable(x: number, y: number, logY: boolean): boolean {
  return Number.isFinite(x) && Number.isFinite(y) && (!logY || y > 0);
}

/** Short tick label: 1.2k, 0.05, 1e-4. */
export function formatTick(v: number): string {
  const a = Math.abs(v);
  if (a === 0) return '0';
  if (a >= 1e6) return `${+(v / 1e6).toPrecision(3)}M`;
  if (a >= 1e4) return `${+(v / 1e3).toPrecision(4)}k`;
  if (a < 1e-3) return Number(v.toPrecision(2)).toExponential();
  return String(+v.toPrecision(6));
}

/** Seconds as m:ss (or h:mm:ss past an hour). */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h > 0 ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}
