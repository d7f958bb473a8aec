import type { Pixel } from '../models/video';

/** Sizes of the registration search; defaults scale with the frame. */
export interface RegistrationTrackerOptions {
  /** Half-size of the patch around each designated point that is matched, px (default ⌈S/16⌉ + 1: 3 px at 32, 5 at 64). */
  patchRadius?: number;
  /** Largest motion searched between two consecutive frames, px (default ⌈S/8⌉). */
  searchRadius?: number;
  /** Largest rotation searched between two consecutive frames, degrees (default 20; 0 = translation only). */
  maxTurnDegrees?: number;
}

/** A tracked point's pose: position (pixel-index coordinates) and the patch's rotation since the first frame (radians, image axes). */
interface PointPose {
  x: number;
  y: number;
  angle: number;
}

/**
 * Follows designated points through real frames by registering each new frame against the first
 * (as visual foresight's closed-loop version does, Ebert et al. 2018, "Robustness via Retrying", there
 * with a learned registration network; here by template matching, which needs no training): the patch
 * around each point in the first frame is the template; in each new frame the tracker searches
 * translations (and small rotations) of it around the point's last pose for the least
 * Gaussian-weighted squared difference, coarse to fine down to ¼ px. Matching against the first
 * frame, not the previous one, keeps errors from adding up over an episode.
 *
 * Why not the model's own predicted motion (the papers' open-loop update): a video model that
 * under-predicts a push leaves the belief behind the real object, and every plan after that starts
 * from the wrong place. Why not optical flow between consecutive frames: its small errors add up
 * as drift, which registration against a fixed template does not have.
 */
export class FrameRegistrationTracker {
  private readonly templates: Float32Array[];
  private readonly weights: Float32Array;
  private readonly offsets: Float32Array;
  private poses: PointPose[];
  private readonly searchRadius: number;
  private readonly maxTurn: number;
  /** Scratch for one bilinear sample: [C]. */
  private readonly sample: Float32Array;

  /**
   * @param first the first frame: [S, S, C] row-major, any value range (the same in every frame).
   * @param points the designated points on it (pixel-index coordinates, fractional allowed).
   */
  constructor(
    first: Float32Array,
    points: readonly Pixel[],
    private readonly size: number,
    private readonly channels: number,
    options: RegistrationTrackerOptions = {},
  ) {
    if (first.length !== size * size * channels) throw new Error(`registration tracker: the first frame has ${first.length} values, expected ${size}×${size}×${channels}`);
    if (points.length === 0) throw new Error('registration tracker: no points to track');
    if (size < 2) throw new Error(`registration tracker: frame size ${size} is below 2`);
    this.sample = new Float32Array(channels);
    const r = options.patchRadius ?? Math.ceil(size / 16) + 1;
    this.searchRadius = options.searchRadius ?? Math.ceil(size / 8);
    this.maxTurn = ((options.maxTurnDegrees ?? 20) * Math.PI) / 180;
    const side = 2 * r + 1;
    this.offsets = new Float32Array(side * side * 2);
    this.weights = new Float32Array(side * side);
    for (let i = 0, dy = -r; dy <= r; dy++) {
      for (let dx = -r; dx <= r; dx++, i++) {
        this.offsets[2 * i] = dx;
        this.offsets[2 * i + 1] = dy;
        // Centre pixels count most: the border of the patch is where occluders (the pusher) enter first.
        this.weights[i] = Math.exp(-(dx * dx + dy * dy) / (2 * r * r));
      }
    }
    this.poses = points.map((p, d) => {
      if (!(p.x >= 0 && p.y >= 0 && p.x <= size - 1 && p.y <= size - 1)) throw new Error(`registration tracker: point ${d} (${p.x}, ${p.y}) is not inside the ${size}×${size} frame`);
      return { x: p.x, y: p.y, angle: 0 };
    });
    this.templates = this.poses.map((pose) => this.samplePatch(first, pose));
  }

  /** The points' current positions (pixel-index coordinates). */
  get points(): Pixel[] {
    return this.poses.map(({ x, y }) => ({ x, y }));
  }

  /**
   * Finds the points in the next real frame ([S, S, C], same layout and range as the first) and
   * returns their positions, kept inside the frame.
   */
  track(frame: Float32Array): Pixel[] {
    if (frame.length !== this.size * this.size * this.channels) {
      throw new Error(`registration tracker: frame has ${frame.length} values, expected ${this.size}×${this.size}×${this.channels}`);
    }
    this.poses = this.poses.map((pose, d) => this.register(frame, this.templates[d], pose));
    return this.points;
  }

  private register(frame: Float32Array, template: Float32Array, from: PointPose): PointPose {
    const turns = this.maxTurn > 0 ? [-1, -0.5, 0, 0.5, 1].map((k) => k * this.maxTurn) : [0];
    let best = { ...from };
    let bestCost = Infinity;
    const consider = (x: number, y: number, angle: number) => {
      const pose = { x: this.clamp(x), y: this.clamp(y), angle };
      const cost = this.mismatch(frame, template, pose, bestCost);
      if (cost < bestCost) {
        bestCost = cost;
        best = pose;
      }
    };
    // Coarse: whole pixels over the search window, at a few rotations.
    const R = this.searchRadius;
    for (const turn of turns) for (let dy = -R; dy <= R; dy++) for (let dx = -R; dx <= R; dx++) consider(from.x + dx, from.y + dy, from.angle + turn);
    // Fine: halve the step around the best pose down to ¼ px (and a few degrees).
    let turnStep = this.maxTurn / 4;
    for (const step of [0.5, 0.25]) {
      const centre = best;
      for (const k of this.maxTurn > 0 ? [-1, 0, 1] : [0]) for (let sy = -1; sy <= 1; sy++) for (let sx = -1; sx <= 1; sx++) consider(centre.x + sx * step, centre.y + sy * step, centre.angle + k * turnStep);
      turnStep /= 2;
    }
    return best;
  }

  /** Weighted squared difference between the template and the frame's patch at `pose`; stops early past `bound`. */
  private mismatch(frame: Float32Array, template: Float32Array, pose: PointPose, bound: number): number {
    const C = this.channels;
    const cos = Math.cos(pose.angle);
    const sin = Math.sin(pose.angle);
    const sample = this.sample;
    let cost = 0;
    for (let i = 0; i < this.weights.length; i++) {
      const dx = this.offsets[2 * i];
      const dy = this.offsets[2 * i + 1];
      this.bilinear(frame, pose.x + cos * dx - sin * dy, pose.y + sin * dx + cos * dy, sample);
      let d2 = 0;
      for (let c = 0; c < C; c++) {
        const e = sample[c] - template[i * C + c];
        d2 += e * e;
      }
      cost += this.weights[i] * d2;
      if (cost >= bound) return cost;
    }
    return cost;
  }

  private samplePatch(frame: Float32Array, pose: PointPose): Float32Array {
    const C = this.channels;
    const patch = new Float32Array(this.weights.length * C);
    const sample = new Float32Array(C);
    for (let i = 0; i < this.weights.length; i++) {
      this.bilinear(frame, pose.x + this.offsets[2 * i], pose.y + this.offsets[2 * i + 1], sample);
      patch.set(sample, i * C);
    }
    return patch;
  }

  /** Bilinear sample at (x, y), edge pixels repeated outside the frame; writes C values into out. */
  private bilinear(frame: Float32Array, x: number, y: number, out: Float32Array): void {
    const S = this.size;
    const C = this.channels;
    const cx = Math.min(S - 1, Math.max(0, x));
    const cy = Math.min(S - 1, Math.max(0, y));
    const x0 = Math.min(S - 2, Math.floor(cx));
    const y0 = Math.min(S - 2, Math.floor(cy));
    const fx = cx - x0;
    const fy = cy - y0;
    const a = (y0 * S + x0) * C;
    const b = a + C;
    const c0 = a + S * C;
    const d = c0 + C;
    for (let c = 0; c < C; c++) {
      out[c] = (1 - fy) * ((1 - fx) * frame[a + c] + fx * frame[b + c]) + fy * ((1 - fx) * frame[c0 + c] + fx * frame[d + c]);
    }
  }

  private clamp(v: number): number {
    return Math.min(this.size - 1, Math.max(0, v));
  }
}
