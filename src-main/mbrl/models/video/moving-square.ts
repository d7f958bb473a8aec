import { Rng } from '../../util';
import type { FrameEpisode } from './frame-episodes';

/** Settings of the moving-square sequences. */
export interface MovingSquareSpec {
  /** Frame size S (S×S pixels). */
  size: number;
  /** Colour channels C; the square's colour is (1, 0.6, 0.3, …) cycled. */
  channels: number;
  /** Side of the square, px. */
  side: number;
  /** Pixels moved per unit of action along x and y. */
  pxPerAction: number;
  episodes: number;
  /** Actions per episode. */
  steps: number;
  seed: number;
}

/**
 * Coverage of the square [x0, x0 + side)×[y0, y0 + side) over each pixel, so sub-pixel motion shows
 * (antialiased) instead of being rounded away. → [S, S, C] bytes.
 */
export function renderSquare(x0: number, y0: number, spec: Pick<MovingSquareSpec, 'size' | 'channels' | 'side'>): Uint8Array {
  const { size: S, channels: C, side } = spec;
  const out = new Uint8Array(S * S * C);
  const overlap = (p: number, lo: number) => Math.max(0, Math.min(p + 1, lo + side) - Math.max(p, lo));
  const colour = [1, 0.6, 0.3];
  for (let y = 0; y < S; y++) {
    const oy = overlap(y, y0);
    if (oy === 0) continue;
    for (let x = 0; x < S; x++) {
      const a = oy * overlap(x, x0);
      for (let c = 0; c < C; c++) out[(y * S + x) * C + c] = Math.round(255 * a * colour[c % 3]);
    }
  }
  return out;
}

/**
 * A synthetic dataset whose dynamics are known exactly: a square on a black frame moved by the
 * action (a ∈ [−1, 1]², Δ = a · pxPerAction px), stopped by the frame's border. Used to check that a
 * video model learns action-conditioned motion (better than copying the last frame). Each episode's
 * `points` are the square's centre in every frame (pixel-index coordinates).
 */
export function movingSquareEpisodes(spec: MovingSquareSpec): FrameEpisode[] {
  const rng = new Rng(spec.seed);
  const frameSize = spec.size * spec.size * spec.channels;
  const max = spec.size - spec.side;
  return Array.from({ length: spec.episodes }, () => {
    let x = rng.uniform(0, max);
    let y = rng.uniform(0, max);
    const frames = new Uint8Array((spec.steps + 1) * frameSize);
    const actions = new Float32Array(spec.steps * 2);
    const points = new Float32Array((spec.steps + 1) * 2);
    // The square covers [x, x + side) in continuous coordinates, where pixel i's centre is i + 0.5.
    const centre = (t: number) => points.set([x + spec.side / 2 - 0.5, y + spec.side / 2 - 0.5], 2 * t);
    frames.set(renderSquare(x, y, spec), 0);
    centre(0);
    for (let t = 0; t < spec.steps; t++) {
      const ax = rng.uniform(-1, 1);
      const ay = rng.uniform(-1, 1);
      actions[2 * t] = ax;
      actions[2 * t + 1] = ay;
      x = Math.min(max, Math.max(0, x + ax * spec.pxPerAction));
      y = Math.min(max, Math.max(0, y + ay * spec.pxPerAction));
      frames.set(renderSquare(x, y, spec), (t + 1) * frameSize);
      centre(t + 1);
    }
    return { frames, actions, points };
  });
}
