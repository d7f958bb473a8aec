/**
 * Shape of a {@link VideoPredictionModel} (CDNA-style pixel-motion video prediction).
 *
 * Defaults are sized for a 2-core CPU on the wasm backend: 64×64 RGB frames, an encoder of widths
 * 8/16/32 at 1/2, 1/4 and 1/8 resolution, one convolutional GRU at 1/8 resolution (8×8), 4
 * transformation kernels of 5×5 (motions up to 2 px a step) and K + 1 compositing masks.
 */
export interface VideoModelConfig {
  /** S: frames are S×S pixels; a multiple of 8. */
  imageSize: number;
  /** C: colour channels of a frame (3 for RGB). */
  channels: number;
  /** A: action dimensions (tiled into the bottleneck at every step). */
  actDim: number;
  /** Encoder widths at S/2, S/4 and S/8; the last is also the recurrent state's width. */
  widths: [number, number, number];
  /** K: transformation kernels predicted per step. */
  kernels: number;
  /** k: kernel size (odd); motions up to (k − 1)/2 px per step can be expressed. */
  kernelSize: number;
  /** Ground-truth frames before the first prediction (the papers: 2). */
  context: number;
  /** Seeds the initial weights. */
  seed: number;
}

export const DEFAULT_VIDEO_MODEL: Omit<VideoModelConfig, 'actDim'> = {
  imageSize: 64,
  channels: 3,
  widths: [8, 16, 32],
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
  if (config.imageSize % 8 !== 0) throw new Error(`video model config: imageSize must be a multiple of 8, got ${config.imageSize}`);
  positiveInt('channels', config.channels);
  positiveInt('actDim', config.actDim);
  if (!Array.isArray(config.widths) || config.widths.length !== 3) throw new Error('video model config: widths must list 3 encoder widths');
  config.widths.forEach((w, i) => positiveInt(`widths[${i}]`, w));
  positiveInt('kernels', config.kernels);
  positiveInt('kernelSize', config.kernelSize);
  if (config.kernelSize % 2 !== 1) throw new Error(`video model config: kernelSize must be odd, got ${config.kernelSize}`);
  positiveInt('context', config.context);
  if (!Number.isSafeInteger(config.seed)) throw new Error(`video model config: seed must be an integer, got ${config.seed}`);
}
