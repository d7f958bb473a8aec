/** Colours of the experiment plots, shared so a thing has one colour everywhere. */
export const COLORS = {
  random: '#8d98a8',
  mpc: '#5ab0ff',
  train: '#5ab0ff',
  val: '#f0b454',
  planMs: '#3ecf8e',
  rmse: '#c792ea',
} as const;

/** One colour per algorithm, for the lecture comparison and the runs overlay. */
export const ALGORITHM_COLORS: Record<string, string> = {
  random: '#8d98a8',
  'v0.5': '#f0b454',
  'v1.0': '#c792ea',
  'v1.5': '#5ab0ff',
};

/** Distinct colours for overlaid runs. */
export const RUN_PALETTE = ['#5ab0ff', '#f0b454', '#3ecf8e', '#c792ea', '#f06a6a', '#4dd0e1', '#ffd166', '#a3be8c'];
