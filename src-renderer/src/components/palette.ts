/** Colours of the experiment plots, shared so a thing has one colour everywhere. */
export const COLORS = {
  random: '#8d98a8',
  mpc: '#5ab0ff',
  train: '#5ab0ff',
  val: '#f0b454',
  planMs: '#3ecf8e',
  rmse: '#c792ea',
  /** The real system (as the amber real path in 3D). */
  truth: '#ffc36b',
  /** The model's predicted mean and its ± std bands (as the ghost). */
  predicted: '#9fd8ff',
  within1: '#5ab0ff',
  within2: '#c792ea',
  nll: '#3ecf8e',
} as const;

/** One colour per algorithm, for the lecture comparison and the runs overlay. */
export const ALGORITHM_COLORS: Record<string, string> = {
  random: '#8d98a8',
  'v0.5': '#f0b454',
  'v1.0': '#c792ea',
  'v1.5': '#5ab0ff',
};

/** One colour per comparison variant (by its id): the lecture's algorithms, then D, DE and PE. */
export const COMPARISON_COLORS: Record<string, string> = {
  ...ALGORITHM_COLORS,
  D: '#8d98a8',
  DE: '#f0b454',
  PE: '#3ecf8e',
};

/** Distinct colours for overlaid runs. */
export const RUN_PALETTE = ['#5ab0ff', '#f0b454', '#3ecf8e', '#c792ea', '#f06a6a', '#4dd0e1', '#ffd166', '#a3be8c'];

/** The ghost's colour for a single model (light blue), as in the 3D legend. */
export const GHOST_COLOR = '#9fd8ff';

/** HSL (h in degrees, s and l in 0…1) as #rrggbb. */
function hslHex(h: number, s: number, l: number): string {
  const a = s * Math.min(l, 1 - l);
  const f = (n: number) => {
    const k = (n + h / 30) % 12;
    const c = l - a * Math.max(-1, Math.min(k - 3, 9 - k, 1));
    return Math.round(255 * c).toString(16).padStart(2, '0');
  };
  return `#${f(0)}${f(8)}${f(4)}`;
}

/**
 * Colour of ensemble member `i` of `m`: the ghost's light blue for a single model, otherwise tints
 * spread from teal to violet, so members read apart in the 3D ghosts and in the scatter alike.
 */
export function memberColor(i: number, m: number): string {
  if (m <= 1) return GHOST_COLOR;
  return hslHex(170 + (140 * i) / (m - 1), 0.8, 0.7);
}
