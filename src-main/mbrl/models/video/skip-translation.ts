import * as tf from '@tensorflow/tfjs-core';
import type { StepPrediction } from './cdna-network';
import { transformImages } from './cdna-transform';

/**
 * Bilinear translation matrices: A[n, i, i′] = max(0, 1 − |i′ − i + d_n|), so (A · v)[i] is v sampled
 * at i − d_n (content moved by +d_n px, zero outside). shifts: [N] px → [N, S, S].
 */
function translationMatrices(shifts: tf.Tensor1D, size: number): tf.Tensor3D {
  const index = tf.range(0, size, 1, 'float32');
  const offset = tf.sub(tf.reshape(index, [1, 1, size]), tf.reshape(index, [1, size, 1])); // i′ − i
  return tf.relu(tf.sub(1, tf.abs(tf.add(offset, tf.reshape(shifts, [-1, 1, 1]))))) as tf.Tensor3D;
}

/**
 * Each image translated by each of its J shifts, bilinearly, zero outside the image:
 * out[b, j, y, x, c] = images[b or 0] sampled at (x − dx, y − dy). Differentiable in both arguments.
 * Why matrices and not CDNA's kernels: the shifts accumulate over a rollout (the pusher travels
 * ~30 px in 24 steps at 32 × 32), far beyond a k×k kernel; two small matrix products per image are
 * cheap at the model's frame sizes. One image shared by the whole batch (a planner's candidates all
 * start from the same frame) takes its first product as one plain 2-D matMul, which wasm runs far
 * faster than the batched one.
 * images: [B or 1, S, S, C], shifts: [B, J, 2] as (dx, dy) in px → [B, J, S, S, C].
 */
export function translateImages(images: tf.Tensor4D, shifts: tf.Tensor3D): tf.Tensor5D {
  const [Bi, S, , C] = images.shape;
  const [B, J] = shifts.shape;
  if (Bi !== 1 && Bi !== B) throw new Error(`translateImages: ${Bi} images for ${B} shifts; give 1 or ${B}`);
  const dx = tf.reshape(tf.slice(shifts, [0, 0, 0], [B, J, 1]), [B * J]) as tf.Tensor1D;
  const dy = tf.reshape(tf.slice(shifts, [0, 0, 1], [B, J, 1]), [B * J]) as tf.Tensor1D;
  if (Bi === 1) {
    // Columns first, all samples at once: [B·J·S, S] · [S, S·C] with x moved to the rows of the image.
    const byColumn = tf.reshape(tf.transpose(tf.reshape(images, [S, S, C]), [1, 0, 2]), [S, S * C]);
    const cols = tf.matMul(tf.reshape(translationMatrices(dx, S), [B * J * S, S]), byColumn as tf.Tensor2D);
    // [B·J, x, y, C] → rows of each sample: [B·J, y, x·C], then the per-sample row matrices.
    const perSample = tf.reshape(tf.transpose(tf.reshape(cols, [B * J, S, S, C]), [0, 2, 1, 3]), [B * J, S, S * C]);
    return tf.reshape(tf.matMul(translationMatrices(dy, S), perSample as tf.Tensor3D), [B, J, S, S, C]) as tf.Tensor5D;
  }
  // Rows: all J row matrices of a sample stacked, times that sample's image: [B, J·S, S·C].
  const rows = tf.matMul(tf.reshape(translationMatrices(dy, S), [B, J * S, S]), tf.reshape(images, [B, S, S * C]));
  // Columns: bring x to the rows, multiply, and put it back.
  const byColumn = tf.reshape(tf.transpose(tf.reshape(rows, [B * J, S, S, C]), [0, 2, 1, 3]), [B * J, S, S * C]);
  const moved = tf.matMul(translationMatrices(dx, S), byColumn as tf.Tensor3D);
  return tf.reshape(tf.transpose(tf.reshape(moved, [B * J, S, S, C]), [0, 2, 1, 3]), [B, J, S, S, C]) as tf.Tensor5D;
}

/** What the temporal skips take pixels from (see {@link VideoModelConfig.skips}). */
export interface SkipSource {
  /** The last context frame (or the designated pixels' maps on it): [B or 1, S, S, C]. */
  first: tf.Tensor4D;
  /** Each skip's shift accumulated since that frame: [B, J, 2] as (dx, dy) in px. */
  offsets: tf.Tensor3D;
}

/**
 * The next frame (or pixel maps) of one predicted step: CDNA's composite of the previous frame
 * under the K kernels and the keep-in-place mask, plus, with skips, the skip source's first frame
 * translated by each skip's offset under the skip masks.
 * previous: [B, S, S, C]; step: kernels [B, k, k, K], masks [B, S, S, K + 1], skipMasks [B, S, S, J]
 * (null without skips) → [B, S, S, C].
 */
export function composeStep(previous: tf.Tensor4D, step: Pick<StepPrediction, 'kernels' | 'masks' | 'skipMasks'>, skip: SkipSource | null): tf.Tensor4D {
  const fromPrevious = transformImages(previous, step.kernels, step.masks);
  if (!skip || !step.skipMasks) return fromPrevious;
  const [B, S, , J] = step.skipMasks.shape;
  const skipMasks = tf.reshape(J === 1 ? step.skipMasks : tf.transpose(step.skipMasks, [0, 3, 1, 2]), [B, J, S, S, 1]);
  return tf.add(fromPrevious, tf.sum(tf.mul(translateImages(skip.first, skip.offsets), skipMasks), 1)) as tf.Tensor4D;
}
