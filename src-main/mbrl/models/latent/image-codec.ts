import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util';
import type { Activation } from '../mlp';
import { KeypointHead, type KeypointConfig } from './keypoint-head';
import { applyLinear, createLinear, patchConv, patchDeconv, type Linear } from './patch-conv';

/** Height, width, channels of an image; pixels are stored row-major, channels last (HWC). */
export type ImageShape = [number, number, number];

/** One patch-conv stage: kernel = stride = `patch`, `channels` filters. */
export interface PatchStage {
  patch: number;
  channels: number;
}

/**
 * Shape of a convolutional image encoder (and of its mirrored decoder): patch-conv stages from the
 * image side, then fully connected hidden layers. No stages = an MLP on the flattened image (the E2C
 * paper's planar nets).
 */
export interface ImageCodecConfig {
  imageShape: ImageShape;
  stages: PatchStage[];
  hidden: number[];
  activation: Activation;
  /**
   * Std of a fixed Gaussian blur (pixels) applied to the encoder's standardised input; 0 or absent: none.
   * Why: a small agent lights a handful of pixels, so a random encoder's code is a rough function of
   * where it is (neighbouring positions share few pixels) and the decoder gets no consistent gradient;
   * a blurred input makes the code a smooth function of position from the first step.
   */
  inputBlur?: number;
  /**
   * Encoder only: start with a spatial-softmax keypoint layer ({@link KeypointHead}) instead of
   * flattening the image; its 2·channels coordinates feed `keypoints.hidden` (default none), not
   * `hidden`. Cannot be combined with stages (the decoder stays the MLP of `hidden`).
   */
  keypoints?: KeypointConfig;
}

function activate(x: tf.Tensor, activation: Activation): tf.Tensor {
  if (activation === 'relu') return tf.relu(x);
  if (activation === 'tanh') return tf.tanh(x);
  return tf.mul(x, tf.sigmoid(x));
}

/** The grid after every stage: [h, w, channels] of the last stage (the image itself without stages). */
export function bottleneckShape(c: ImageCodecConfig): [number, number, number] {
  let [h, w, ch] = c.imageShape;
  for (const s of c.stages) {
    if (h % s.patch || w % s.patch) throw new Error(`image codec: ${h}×${w} is not divisible by patch ${s.patch}`);
    h /= s.patch;
    w /= s.patch;
    ch = s.channels;
  }
  return [h, w, ch];
}

/** Pixels per image, H·W·C. */
export function pixelCount(shape: ImageShape): number {
  return shape[0] * shape[1] * shape[2];
}

/** Named variables of a network part, in a fixed order (for saving). */
export interface NamedVariables {
  names: string[];
  variables: tf.Variable[];
}

function named(prefix: string, layers: Linear[]): NamedVariables {
  return {
    names: layers.flatMap((_, i) => [`${prefix}/${i}/kernel`, `${prefix}/${i}/bias`]),
    variables: layers.flatMap((l) => [l.kernel, l.bias]),
  };
}

/**
 * Image → vector: images [B, H·W·C] (values in [0, 1]) → [B, outDim]. Owns its variables.
 */
export class ImageEncoder {
  private readonly convs: Linear[];
  private readonly fcs: Linear[];
  /**
   * Per-pixel input standardisation (x − mean) / std, fitted on the training images (not trained).
   * Why: in rendered frames most pixels never change (background, static obstacles) and a small agent
   * moves a handful; standardising makes those few pixels the encoder's loudest input instead of a
   * 0.5 % ripple, which is what lets it find the agent at all (without it the codes collapse).
   */
  private readonly inputMean: tf.Variable;
  private readonly inputStd: tf.Variable;
  /** The blur's row and column matrices [H, H], [W, W] (constants; see {@link ImageCodecConfig.inputBlur}). */
  private readonly blur: { rows: tf.Tensor2D; cols: tf.Tensor2D } | null;
  private readonly keypoints: KeypointHead | null;

  constructor(readonly config: ImageCodecConfig, readonly outDim: number, seed: number) {
    if (config.keypoints && config.stages.length) throw new Error('image encoder: keypoints cannot be combined with stages');
    const P = pixelCount(config.imageShape);
    const sigma = config.inputBlur ?? 0;
    this.blur = sigma > 0 ? { rows: gaussianBlurMatrix(config.imageShape[0], sigma), cols: gaussianBlurMatrix(config.imageShape[1], sigma) } : null;
    this.inputMean = tf.tidy(() => tf.variable(tf.zeros([P]), false));
    this.inputStd = tf.tidy(() => tf.variable(tf.ones([P]), false));
    const rng = new Rng(seed);
    let ch = config.imageShape[2];
    this.convs = config.stages.map((s) => {
      const l = createLinear(s.patch * s.patch * ch, s.channels, rng);
      ch = s.channels;
      return l;
    });
    this.keypoints = config.keypoints ? new KeypointHead(config.keypoints, config.imageShape, rng) : null;
    const [h, w, c] = bottleneckShape(config);
    const hidden = config.keypoints ? (config.keypoints.hidden ?? []) : config.hidden;
    const widths = [this.keypoints ? this.keypoints.outDim : h * w * c, ...hidden, outDim];
    this.fcs = widths.slice(1).map((out, i) => createLinear(widths[i], out, rng, i === widths.length - 2 ? 0.1 : 1));
  }

  /** Sets the input standardisation: mean, std [H·W·C] in [0, 1] units (see {@link pixelStats}). */
  setInputStats(mean: Float32Array, std: Float32Array): void {
    tf.tidy(() => {
      this.inputMean.assign(tf.tensor1d(mean));
      this.inputStd.assign(tf.tensor1d(std));
    });
  }

  /**
   * Sets the output layer's bias of outputs [from, outDim) to `value`, e.g. a VAE encoder's
   * log-variance half, so that training starts from a chosen posterior width.
   */
  setOutputBias(from: number, value: number): void {
    const last = this.fcs[this.fcs.length - 1];
    tf.tidy(() => {
      const b = last.bias.dataSync().slice();
      b.fill(value, from);
      last.bias.assign(tf.tensor1d(b));
    });
  }

  /** images: [B, H·W·C] → [B, outDim] (the last layer linear). Call inside tf.tidy. */
  forward(images: tf.Tensor2D, training = false): tf.Tensor2D {
    const [H, W, C] = this.config.imageShape;
    const B = images.shape[0];
    const normalized = tf.div(tf.sub(images, this.inputMean), this.inputStd);
    let x = tf.reshape(normalized, [B, H, W, C]) as tf.Tensor4D;
    if (this.blur) x = blurImages(x, this.blur.rows, this.blur.cols);
    this.config.stages.forEach((s, i) => {
      x = activate(patchConv(x, this.convs[i], s.patch, training), this.config.activation) as tf.Tensor4D;
    });
    let h = this.keypoints ? this.keypoints.forward(x) : (tf.reshape(x, [B, -1]) as tf.Tensor2D);
    this.fcs.forEach((l, i) => {
      h = applyLinear(l, h, training);
      if (i < this.fcs.length - 1) h = activate(h, this.config.activation) as tf.Tensor2D;
    });
    return h;
  }

  /** Every variable, the input statistics included (for saving). */
  namedVariables(prefix: string): NamedVariables {
    const t = this.trainable(prefix);
    return { names: [...t.names, `${prefix}/input/mean`, `${prefix}/input/std`], variables: [...t.variables, this.inputMean, this.inputStd] };
  }

  /** The trained variables only. */
  trainable(prefix: string): NamedVariables {
    const a = named(`${prefix}/conv`, this.convs);
    const b = named(`${prefix}/fc`, this.fcs);
    const k = this.keypoints?.namedVariables(`${prefix}/keypoints`) ?? { names: [], variables: [] };
    return { names: [...a.names, ...k.names, ...b.names], variables: [...a.variables, ...k.variables, ...b.variables] };
  }

  dispose(): void {
    [...this.convs, ...this.fcs].forEach((l) => tf.dispose([l.kernel, l.bias]));
    tf.dispose([this.inputMean, this.inputStd]);
    this.keypoints?.dispose();
    if (this.blur) tf.dispose([this.blur.rows, this.blur.cols]);
  }
}

/**
 * Row-normalised Gaussian weights [n, n]: entry (i, j) ∝ exp(−(i − j)²/2σ²), each row summing to 1 (so
 * edges are not darkened). A separable blur is M_rows · X · M_colsᵀ per channel.
 */
export function gaussianBlurMatrix(n: number, sigma: number): tf.Tensor2D {
  const m = new Float32Array(n * n);
  for (let i = 0; i < n; i++) {
    let sum = 0;
    for (let j = 0; j < n; j++) sum += m[i * n + j] = Math.exp(-((i - j) ** 2) / (2 * sigma * sigma));
    for (let j = 0; j < n; j++) m[i * n + j] /= sum;
  }
  return tf.tensor2d(m, [n, n]);
}

/** Separable blur of x [B, H, W, C] with row and column weights rows [H, H], cols [W, W], as two 2-D matMuls. */
export function blurImages(x: tf.Tensor4D, rows: tf.Tensor2D, cols: tf.Tensor2D): tf.Tensor4D {
  const [B, H, W, C] = x.shape;
  // Along W: [B·H, W, C] → [B·H·C, W] · colsᵀ.
  const alongW = tf.matMul(tf.reshape(tf.transpose(x, [0, 1, 3, 2]), [B * H * C, W]), cols, false, true);
  const byW = tf.transpose(tf.reshape(alongW, [B, H, C, W]), [0, 1, 3, 2]); // [B, H, W, C]
  // Along H: [B, W, C, H] · rowsᵀ.
  const alongH = tf.matMul(tf.reshape(tf.transpose(byW, [0, 2, 3, 1]), [B * W * C, H]), rows, false, true);
  return tf.transpose(tf.reshape(alongH, [B, W, C, H]), [0, 3, 1, 2]) as tf.Tensor4D;
}

/**
 * Per-pixel mean and std (floored at `minStd`) of up to `maxRows` evenly spaced byte images [n, P],
 * in [0, 1] units: the statistics for {@link ImageEncoder.setInputStats}.
 */
export function pixelStats(images: Uint8Array, pixels: number, minStd = 0.05, maxRows = 4000): { mean: Float32Array; std: Float32Array } {
  const n = images.length / pixels;
  const rows = Math.min(n, maxRows);
  const sum = new Float64Array(pixels);
  const sq = new Float64Array(pixels);
  for (let i = 0; i < rows; i++) {
    const base = Math.floor((i * n) / rows) * pixels;
    for (let j = 0; j < pixels; j++) {
      const v = images[base + j] / 255;
      sum[j] += v;
      sq[j] += v * v;
    }
  }
  const mean = new Float32Array(pixels);
  const std = new Float32Array(pixels);
  for (let j = 0; j < pixels; j++) {
    mean[j] = sum[j] / rows;
    std[j] = Math.max(minStd, Math.sqrt(Math.max(0, sq[j] / rows - mean[j] * mean[j])));
  }
  return { mean, std };
}

/**
 * The logit of the mean image, clamped to [ε, 1 − ε]: [H·W·C] from a mean in [0, 1] (e.g. {@link pixelStats}'s).
 * As the decoder's output offset, sigmoid(offset) is the mean frame before any training.
 */
export function meanImageLogits(mean: Float32Array, eps = 0.01): Float32Array {
  return Float32Array.from(mean, (m) => {
    const p = Math.min(1 - eps, Math.max(eps, m));
    return Math.log(p / (1 - p));
  });
}

/**
 * Vector → image: z [B, inDim] → pixel logits [B, H·W·C] (sigmoid gives the image in [0, 1]). The
 * mirror of {@link ImageEncoder}: hidden layers, then patch deconvolutions back to the image size.
 */
export class ImageDecoder {
  private readonly fcs: Linear[];
  private readonly deconvs: Linear[];
  /**
   * A fixed per-pixel logit added to the output (not trained; zero unless set), e.g. the logit of the
   * training frames' mean image (see {@link meanImageLogits}). Why: in rendered frames the static scene
   * is nearly all of the likelihood; starting the decoder at the mean image leaves its weights only the
   * part that changes (a small agent), instead of spending the first thousands of steps on the
   * background and settling in the "draw the background, ignore the code" optimum.
   */
  private readonly outputOffset: tf.Variable;

  constructor(readonly config: ImageCodecConfig, readonly inDim: number, seed: number) {
    this.outputOffset = tf.tidy(() => tf.variable(tf.zeros([pixelCount(config.imageShape)]), false));
    const rng = new Rng(seed);
    const [h, w, c] = bottleneckShape(config);
    const widths = [inDim, ...[...config.hidden].reverse(), h * w * c];
    this.fcs = widths.slice(1).map((out, i) => createLinear(widths[i], out, rng));
    // Stages in reverse: stage i maps its channels back to p·p·(channels of the stage before it).
    const chans = [config.imageShape[2], ...config.stages.map((s) => s.channels)];
    this.deconvs = config.stages
      .map((s, i) => createLinear(chans[i + 1], s.patch * s.patch * chans[i], rng))
      .reverse();
  }

  /** Sets the fixed output offset: logits [H·W·C] (see {@link meanImageLogits}). */
  setOutputOffset(logits: Float32Array): void {
    tf.tidy(() => this.outputOffset.assign(tf.tensor1d(logits)));
  }

  /** z: [B, inDim] → logits [B, H·W·C]. Call inside tf.tidy. */
  forward(z: tf.Tensor2D, training = false): tf.Tensor2D {
    const B = z.shape[0];
    const stages = [...this.config.stages].reverse();
    let h = z;
    this.fcs.forEach((l, i) => {
      h = applyLinear(l, h, training);
      if (i < this.fcs.length - 1 || stages.length) h = activate(h, this.config.activation) as tf.Tensor2D;
    });
    if (!stages.length) return tf.add(h, this.outputOffset);
    const [bh, bw, bc] = bottleneckShape(this.config);
    let x = tf.reshape(h, [B, bh, bw, bc]) as tf.Tensor4D;
    stages.forEach((s, i) => {
      x = patchDeconv(x, this.deconvs[i], s.patch, training);
      if (i < stages.length - 1) x = activate(x, this.config.activation) as tf.Tensor4D;
    });
    return tf.add(tf.reshape(x, [B, -1]), this.outputOffset) as tf.Tensor2D;
  }

  /** Every variable, the fixed output offset included (for saving). */
  namedVariables(prefix: string): NamedVariables {
    const a = named(`${prefix}/fc`, this.fcs);
    const b = named(`${prefix}/deconv`, this.deconvs);
    return { names: [...a.names, ...b.names, `${prefix}/output/offset`], variables: [...a.variables, ...b.variables, this.outputOffset] };
  }

  dispose(): void {
    this.namedVariables('').variables.forEach((v) => v.dispose());
  }
}

/** A small MLP of {@link Linear} layers (hidden activations, linear output). */
export class SmallMlp {
  private readonly layers: Linear[];

  constructor(widths: number[], readonly activation: Activation, seed: number, outputGain = 1) {
    const rng = new Rng(seed);
    this.layers = widths.slice(1).map((out, i) => createLinear(widths[i], out, rng, i === widths.length - 2 ? outputGain : 1));
  }

  /** x: [B, in] → [B, out]. */
  forward(x: tf.Tensor2D, training = false): tf.Tensor2D {
    let h = x;
    this.layers.forEach((l, i) => {
      h = applyLinear(l, h, training);
      if (i < this.layers.length - 1) h = activate(h, this.activation) as tf.Tensor2D;
    });
    return h;
  }

  namedVariables(prefix: string): NamedVariables {
    return named(prefix, this.layers);
  }

  dispose(): void {
    this.layers.forEach((l) => {
      l.kernel.dispose();
      l.bias.dispose();
    });
  }
}
