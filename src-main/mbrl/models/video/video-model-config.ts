/**
 * Shape of a {@link VideoPredictionModel} (CDNA-style pixel-motion video prediction).
 *
 * Defaults are sized for a 2-core CPU on the wasm backend: 64×64 RGB frames, an encoder of widths
 * 8/16/32 at 1/2, 1/4 and 1/8 resolution, one convolutional GRU at 1/8 resolution (8×8), 4
 * transformation kernels of 5×5 (motions up to 2 px a step) and K + 1 compositing masks.
 * `pools: 2` keeps the third encoder stage and the GRU at 1/4 resolution instead (a finer bottleneck).
 */
export interface VideoModelConfig {
  /** S: frames are S×S pixels; a multiple of 2^pools (8 with the default 3 pools). */
  imageSize: number;
  /** C: colour channels of a frame (3 for RGB). */
  channels: number;
  /** A: action dimensions (tiled into the bottleneck at every step). */
  actDim: number;
  /** Encoder widths of the three stages (at S/2, S/4 and S/8 with 3 pools); the last is also the recurrent state's width. */
  widths: [number, number, number];
  /**
   * Encoder stages followed by a 2×2 average pool (1–3; default 3): the convolutional GRU runs at
   * S/2^pools. With 3 the bottleneck of a 32×32 frame is 4×4, coarser than the pushing task's block
   * (5 px) and pusher (2.6 px); 2 keeps it at 8×8 (S/4), so contact geometry survives the bottleneck.
   * Absent in models saved before the field existed: they are 3.
   */
  pools?: number;
  /** K: transformation kernels predicted per step. */
  kernels: number;
  /** k: kernel size (odd); motions up to (k − 1)/2 px per step can be expressed. */
  kernelSize: number;
  /**
   * How the K kernels are predicted (absent: 'softmax', as in models saved before the field existed):
   * - 'softmax': CDNA's free k×k kernels, a softmax over the k² weights each; any normalised
   *   kernel (a blur for uncertain motion), but a confident one saturates at a one-hot;
   * - 'shift': each kernel a sub-pixel translation (dx, dy) ∈ (−r, r)², r = (k − 1)/2, drawn as
   *   bilinear weights on the k×k grid. Why: on the pushing task the softmax kernels saturated at
   *   whole-pixel shifts, so the model moved the pusher 1 px a step where it moves ≈ 1.25 px (32 × 32)
   *   and its contacts came late; a shift's gradient never vanishes.
   */
  kernelKind?: KernelKind;
  /**
   * Temporal skip translations (absent: 0, as in models saved before the field existed): each
   * predicted frame may also take pixels from the last context frame translated by a shift the model
   * accumulates over the predicted steps (one shift per skip, a mask channel each). Why: appearance
   * moved step by step from the previous prediction is resampled at every step, so a small object
   * (the pusher, 2.6 px at 32 × 32) blurs away after ~10 sub-pixel steps; taken from the sharp
   * context frame it is resampled once (after the temporal skip connections of Ebert et al. 2017).
   */
  skips?: number;
  /** Ground-truth frames before the first prediction (the papers: 2). */
  context: number;
  /** Seeds the initial weights. */
  seed: number;
}

/** See {@link VideoModelConfig.kernelKind}. */
export type KernelKind = 'softmax' | 'shift';
export const KERNEL_KINDS: readonly KernelKind[] = ['softmax', 'shift'];

export const DEFAULT_VIDEO_MODEL: Omit<VideoModelConfig, 'actDim'> = {
  imageSize: 64,
  channels: 3,
  widths: [8, 16, 32],
  pools: 3,
  kernels: 4,
  kernelSize: 5,
  context: 2,
  seed: 0,
};

/** Throws an error naming the first invalid field of `config`. */
export function validateVideoModelConfig(config: VideoModelConfig): void {
  const positiveInt = (field: string, v: number) => {
    if (!Number.isInteger(v) || v < 1) throw new Error(`video model config: ${field} must be a positive integer, got ${v}`);
  };
  positiveInt('imageSize', config.imageSize);
  const pools = poolsOf(config);
  if (!Number.isInteger(pools) || pools < 1 || pools > 3) throw new Error(`video model config: pools must be 1, 2 or 3, got ${pools}`);
  if (config.imageSize % 2 ** pools !== 0) throw new Error(`video model config: imageSize must be a multiple of ${2 ** pools} (2^pools), got ${config.imageSize}`);
  positiveInt('channels', config.channels);
  positiveInt('actDim', config.actDim);
  if (!Array.isArray(config.widths) || config.widths.length !== 3) throw new Error('video model config: widths must list 3 encoder widths');
  config.widths.forEach((w, i) => positiveInt(`widths[${i}]`, w));
  positiveInt('kernels', config.kernels);
  positiveInt('kernelSize', config.kernelSize);
  if (config.kernelSize % 2 !== 1) throw new Error(`video model config: kernelSize must be odd, got ${config.kernelSize}`);
  if (!KERNEL_KINDS.includes(kernelKindOf(config))) throw new Error(`video model config: kernelKind must be one of ${KERNEL_KINDS.join(', ')}, got ${String(config.kernelKind)}`);
  const skips = skipsOf(config);
  if (!Number.isInteger(skips) || skips < 0 || skips > MAX_SKIPS) throw new Error(`video model config: skips must be an integer from 0 to ${MAX_SKIPS}, got ${String(config.skips)}`);
  positiveInt('context', config.context);
  if (!Number.isSafeInteger(config.seed)) throw new Error(`video model config: seed must be an integer, got ${config.seed}`);
}

/** The config's pooling stages (3 when absent, as in models saved before `pools` existed). */
export function poolsOf(config: Pick<VideoModelConfig, 'pools'>): number {
  return config.pools ?? 3;
}

/** Side of the recurrent state (the bottleneck): S / 2^pools. */
export function bottleneckSize(config: Pick<VideoModelConfig, 'imageSize' | 'pools'>): number {
  return config.imageSize / 2 ** poolsOf(config);
}

/** Most temporal skip translations a model may have (each costs a mask channel and two translations a step). */
export const MAX_SKIPS = 4;

/** The config's temporal skip translations (0 when absent, as in models saved before `skips` existed). */
export function skipsOf(config: Pick<VideoModelConfig, 'skips'>): number {
  return config.skips ?? 0;
}

/** The config's kernel kind ('softmax' when absent, as in models saved before `kernelKind` existed). */
export function kernelKindOf(config: Pick<VideoModelConfig, 'kernelKind'>): KernelKind {
  return config.kernelKind ?? 'softmax';
}
