import { Rng } from '../../util';

/** One recorded episode of frames and the actions between them. */
export interface FrameEpisode {
  /** Frames [T + 1, S, S, C] row-major, bytes 0–255 (as cameras and datasets store them). */
  frames: Uint8Array;
  /** Actions [T, A]: actions[t] was taken at frames[t] and led to frames[t + 1]. */
  actions: Float32Array;
  /**
   * Where one point glued to the moving object is in each frame: [T + 1, 2] as (x, y), pixel-index
   * coordinates of the S×S frame (a pixel's centre is an integer); known only where a simulator gave the
   * object's pose (the pushing task's block centre), absent for recorded data. What the tracking term of
   * training ({@link VideoFitOptions.trackWeight}) makes the predicted motion follow.
   */
  points?: Float32Array;
}

/** Frame geometry shared by a set of episodes. */
export interface FrameShape {
  size: number;
  channels: number;
  actDim: number;
}

/** Number of actions T of an episode; checks that frames and actions agree. */
export function episodeLength(episode: FrameEpisode, shape: FrameShape, index = 0): number {
  const frameSize = shape.size * shape.size * shape.channels;
  if (episode.frames.length % frameSize !== 0) throw new Error(`episode ${index}: frames has ${episode.frames.length} bytes, not a multiple of one ${shape.size}×${shape.size}×${shape.channels} frame`);
  if (episode.actions.length % shape.actDim !== 0) throw new Error(`episode ${index}: actions has ${episode.actions.length} values, not a multiple of actDim ${shape.actDim}`);
  const T = episode.actions.length / shape.actDim;
  if (episode.frames.length / frameSize !== T + 1) throw new Error(`episode ${index}: ${episode.frames.length / frameSize} frames for ${T} actions (expected one more frame than actions)`);
  if (episode.points && episode.points.length !== 2 * (T + 1)) throw new Error(`episode ${index}: points has ${episode.points.length} values for ${T + 1} frames (expected an (x, y) per frame)`);
  return T;
}

/** A minibatch of windows: frames [B, L, S, S, C] in [0, 1] and actions [B, L − 1, A]. */
export interface WindowBatch {
  frames: Float32Array;
  actions: Float32Array;
  batch: number;
  length: number;
  /** The tracked object point in each frame: [B, L, 2] as (x, y) px; present when every episode has {@link FrameEpisode.points}. */
  points?: Float32Array;
}

/**
 * Draws windows of `length` consecutive frames (and the length − 1 actions between them) from
 * episodes, uniformly over all start positions. Episodes shorter than the window are skipped.
 */
export class WindowSampler {
  private readonly starts: [number, number][] = [];
  /** True when every episode carries tracked points, so that windows carry them too. */
  readonly hasPoints: boolean;

  constructor(private readonly episodes: readonly FrameEpisode[], private readonly shape: FrameShape, readonly length: number) {
    episodes.forEach((e, i) => {
      const T = episodeLength(e, shape, i);
      for (let s = 0; s + length - 1 <= T; s++) this.starts.push([i, s]);
    });
    if (this.starts.length === 0) throw new Error(`no episode has the ${length} frames a training window needs`);
    this.hasPoints = episodes.every((e) => e.points !== undefined);
  }

  /** Number of distinct windows. */
  get count(): number {
    return this.starts.length;
  }

  /** Window j (0 ≤ j < count) into the batch arrays at row b. */
  private copy(j: number, b: number, out: WindowBatch): void {
    const { size, channels, actDim } = this.shape;
    const frameSize = size * size * channels;
    const [e, s] = this.starts[j];
    const ep = this.episodes[e];
    const L = this.length;
    const src = ep.frames.subarray(s * frameSize, (s + L) * frameSize);
    const dst = b * L * frameSize;
    for (let i = 0; i < src.length; i++) out.frames[dst + i] = src[i] / 255;
    out.actions.set(ep.actions.subarray(s * actDim, (s + L - 1) * actDim), b * (L - 1) * actDim);
    if (out.points) out.points.set(ep.points!.subarray(2 * s, 2 * (s + L)), 2 * b * L);
  }

  /** Windows by index (e.g. a fixed validation set). */
  take(indices: readonly number[]): WindowBatch {
    const out = this.alloc(indices.length);
    indices.forEach((j, b) => this.copy(j, b, out));
    return out;
  }

  /** B windows drawn uniformly at random. */
  sample(batch: number, rng: Rng): WindowBatch {
    const out = this.alloc(batch);
    for (let b = 0; b < batch; b++) this.copy(Math.floor(rng.nextFloat() * this.starts.length), b, out);
    return out;
  }

  private alloc(batch: number): WindowBatch {
    const { size, channels, actDim } = this.shape;
    const L = this.length;
    const out: WindowBatch = { frames: new Float32Array(batch * L * size * size * channels), actions: new Float32Array(batch * (L - 1) * actDim), batch, length: L };
    if (this.hasPoints) out.points = new Float32Array(batch * L * 2);
    return out;
  }
}
