import * as tf from '@tensorflow/tfjs-core';
import type { StepPrediction } from './cdna-network';
import { normalizeMaps, pointPixelMaps, type Pixel } from './pixel-distribution';
import { composeStep, type SkipSource } from './skip-translation';

/**
 * The tracking term of video training ({@link VideoFitOptions.trackWeight}) over one batch of windows:
 * the tracked point's map P ([B, S, S, 1]), put at the true point of frame `start` (the last context
 * frame) and moved by each predicted step exactly as a rollout moves a designated pixel's distribution;
 * {@link advance} returns the step's mean expected distance to the true point of the frame it
 * predicts, px. points: [B, L, 2] as (x, y) px of the S×S frame. Built inside the loss's gradient
 * scope: its tensors are that scope's.
 */
export class PointTrack {
  private maps: tf.Tensor4D;
  private readonly first: tf.Tensor4D;

  constructor(private readonly points: Float32Array | undefined, private readonly B: number, private readonly L: number, private readonly S: number, start: number) {
    if (!points) throw new Error('video model: trackWeight needs the tracked object point of each training frame (episodes with points: a simulator task, not recorded data)');
    if (points.length !== B * L * 2) throw new Error(`video model: ${points.length} point values for ${B} windows of ${L} frames (expected ${B * L * 2})`);
    const maps = new Float32Array(B * S * S);
    for (let b = 0; b < B; b++) maps.set(pointPixelMaps([this.pointAt(b, start)], S), b * S * S);
    this.first = this.maps = tf.tensor4d(maps, [B, S, S, 1]);
  }

  /** Moves P by `step` (with the skips' translation of the first map when the model has skips); → the mean expected distance to frame `frame`'s points. */
  advance(step: StepPrediction, skip: SkipSource | null, frame: number): tf.Scalar {
    this.maps = normalizeMaps(composeStep(this.maps, step, skip && step.skipMasks ? { first: this.first, offsets: skip.offsets } : null));
    const { B, S } = this;
    const distances = new Float32Array(B * S * S);
    for (let b = 0; b < B; b++) {
      const p = this.pointAt(b, frame);
      for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) distances[(b * S + y) * S + x] = Math.hypot(x - p.x, y - p.y);
    }
    return tf.div(tf.sum(tf.mul(this.maps, tf.tensor4d(distances, [B, S, S, 1]))), B) as tf.Scalar;
  }

  /** Window b's point in frame t, clamped into the frame (an object partly out of view keeps its nearest pixel). */
  private pointAt(b: number, t: number): Pixel {
    const i = 2 * (b * this.L + t);
    const clamp = (v: number) => Math.min(this.S - 1, Math.max(0, v));
    return { x: clamp(this.points![i]), y: clamp(this.points![i + 1]) };
  }
}
