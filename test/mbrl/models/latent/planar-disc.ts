import type { ImageTransitions, LatentWorldModelConfig } from '../../../../src-main/mbrl/models/latent';
import { Rng } from '../../../../src-main/mbrl/util';

/**
 * A synthetic planar system for latent-model tests (the E2C "planar" idea without obstacles): a
 * bright disc at position (x, y) ∈ [−1, 1]² on an S×S grey image; action a ∈ [−1, 1]² moves it by
 * `gain`·a, clamped to the square. Reward −‖p′‖ of the position reached (be at the centre).
 */
export interface PlanarDisc {
  size: number;
  radius: number;
  gain: number;
}

export const DISC: PlanarDisc = { size: 16, radius: 2.2, gain: 0.25 };

/** A small lecture model for the disc's 16×16 frames (no conv stages: the tests stay fast); tests override what they study. */
export const DISC_LECTURE_MODEL: LatentWorldModelConfig = {
  kind: 'deterministic',
  imageShape: [DISC.size, DISC.size, 1],
  actDim: 2,
  latentDim: 4,
  stages: [],
  hidden: [64],
  dynamicsHidden: [32],
  rewardHidden: [32],
  activation: 'relu',
  weights: { dynamics: 1, reconstruction: 1, reward: 1, kl: 1 },
  seed: 0,
};

/** The image of the disc at (x, y): [S·S] bytes, anti-aliased edge (1 px ramp). */
export function renderDisc(x: number, y: number, sys: PlanarDisc = DISC): Uint8Array {
  const S = sys.size;
  const img = new Uint8Array(S * S);
  // Centre in pixel units: x → column, y → row (up), inside a margin so the disc stays whole.
  const margin = sys.radius + 0.5;
  const cx = margin + ((x + 1) / 2) * (S - 2 * margin);
  const cy = margin + ((1 - y) / 2) * (S - 2 * margin);
  for (let r = 0; r < S; r++) {
    for (let c = 0; c < S; c++) {
      const d = Math.hypot(c + 0.5 - cx, r + 0.5 - cy);
      const v = Math.max(0, Math.min(1, sys.radius + 0.5 - d));
      img[r * S + c] = Math.round(255 * v);
    }
  }
  return img;
}

/** The disc's next position under action a. */
export function moveDisc(p: [number, number], a: [number, number], sys: PlanarDisc = DISC): [number, number] {
  const clamp = (v: number) => Math.max(-1, Math.min(1, v));
  return [clamp(p[0] + sys.gain * a[0]), clamp(p[1] + sys.gain * a[1])];
}

/** n transitions from uniformly random positions and actions, with the true positions for evaluation. */
export function discTransitions(n: number, seed: number, sys: PlanarDisc = DISC): ImageTransitions & { pos: Float32Array } {
  const rng = new Rng(seed);
  const P = sys.size * sys.size;
  const obs = new Uint8Array(n * P);
  const nextObs = new Uint8Array(n * P);
  const act = new Float32Array(n * 2);
  const reward = new Float32Array(n);
  const pos = new Float32Array(n * 2);
  for (let i = 0; i < n; i++) {
    const p: [number, number] = [rng.uniform(-1, 1), rng.uniform(-1, 1)];
    const a: [number, number] = [rng.uniform(-1, 1), rng.uniform(-1, 1)];
    const q = moveDisc(p, a, sys);
    obs.set(renderDisc(p[0], p[1], sys), i * P);
    nextObs.set(renderDisc(q[0], q[1], sys), i * P);
    act.set(a, i * 2);
    pos.set(p, i * 2);
    // The reward of the position reached, as the tasks report it (r_t scores s_{t+1}).
    reward[i] = -Math.hypot(q[0], q[1]);
  }
  return { size: n, imageShape: [sys.size, sys.size, 1], actDim: 2, obs, act, reward, nextObs, pos };
}

/** Spearman rank correlation of two equally long samples (average ranks for ties). */
export function spearman(a: ArrayLike<number>, b: ArrayLike<number>): number {
  const ranks = (v: ArrayLike<number>) => {
    const idx = Array.from({ length: v.length }, (_, i) => i).sort((i, j) => v[i] - v[j]);
    const r = new Float64Array(v.length);
    for (let i = 0; i < idx.length; ) {
      let j = i;
      while (j + 1 < idx.length && v[idx[j + 1]] === v[idx[i]]) j++;
      for (let k = i; k <= j; k++) r[idx[k]] = (i + j) / 2;
      i = j + 1;
    }
    return r;
  };
  const ra = ranks(a);
  const rb = ranks(b);
  const n = ra.length;
  const mean = (n - 1) / 2;
  let num = 0;
  let da = 0;
  let db = 0;
  for (let i = 0; i < n; i++) {
    num += (ra[i] - mean) * (rb[i] - mean);
    da += (ra[i] - mean) ** 2;
    db += (rb[i] - mean) ** 2;
  }
  return num / Math.sqrt(da * db);
}

/** Pairwise Euclidean distances of n points of dimension d: [n(n−1)/2]. */
export function pairwiseDistances(points: ArrayLike<number>, d: number): Float64Array {
  const n = points.length / d;
  const out = new Float64Array((n * (n - 1)) / 2);
  let k = 0;
  for (let i = 0; i < n; i++) {
    for (let j = i + 1; j < n; j++) {
      let s = 0;
      for (let c = 0; c < d; c++) s += (points[i * d + c] - points[j * d + c]) ** 2;
      out[k++] = Math.sqrt(s);
    }
  }
  return out;
}
