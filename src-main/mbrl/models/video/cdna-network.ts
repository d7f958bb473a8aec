import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../../util';
import { dense } from '../dense';
import { conv2dSame, conv2dSameFlipped, conv2dSameNoBias, downsample2, upsample2 } from './conv2d';
import type { ConvKernelCache } from './conv-kernel-cache';
import { bottleneckSize, kernelKindOf, poolsOf, skipsOf, type VideoModelConfig } from './video-model-config';

/** What the network predicts for one step: how to move the previous frame's pixels. */
export interface StepPrediction {
  /** K normalised transformation kernels per sample: [B, k, k, K], each k×k slice sums to 1. */
  kernels: tf.Tensor4D;
  /**
   * Compositing masks of the previous frame: [B, S, S, K+1]; channel 0 = keep in place, 1…K = the
   * kernels. Together with skipMasks a softmax over K + 1 + J channels per pixel.
   */
  masks: tf.Tensor4D;
  /**
   * With J = skips > 0: the temporal skips' masks [B, S, S, J] (the rest of the softmax), and how far
   * each skip's translation moves this step, skipSteps: [B, J, 2] as (dx, dy) px; else both null.
   */
  skipMasks: tf.Tensor4D | null;
  skipSteps: tf.Tensor3D | null;
  /** The convolutional GRU's new state: [B, S/2^pools, S/2^pools, widths[2]]. */
  hidden: tf.Tensor4D;
}

/** Names and shapes of the network's variables, in save order. */
export function cdnaVariableShapes(c: VideoModelConfig): [string, number[]][] {
  const [c1, c2, c3] = c.widths;
  const C = c.channels;
  const K = c.kernels;
  const sb = bottleneckSize(c);
  const gruIn = c3 + c.actDim + c3;
  const kernelOutputs = K * kernelParameters(c);
  const J = skipsOf(c);
  const conv = (name: string, k: number, cin: number, cout: number): [string, number[]][] => [
    [`${name}/w`, [k, k, cin, cout]],
    [`${name}/b`, [cout]],
  ];
  return [
    ...conv('enc1', 3, C, c1),
    ...conv('enc2', 3, c1, c2),
    ...conv('enc3', 3, c2, c3),
    ...conv('gru_gates', 3, gruIn, 2 * c3),
    ...conv('gru_candidate', 3, gruIn, c3),
    ['kernels/w', [sb * sb * c3, kernelOutputs]],
    ['kernels/b', [kernelOutputs]],
    ...conv('dec3', 3, c3 + c2, c2),
    ...conv('dec2', 3, c2 + c1, c1),
    ...conv('masks', 3, c1 + C, K + 1 + J),
    ...(J > 0
      ? ([
          ['skips/w', [sb * sb * c3, 2 * J]],
          ['skips/wa', [c.actDim, 2 * J]],
          ['skips/b', [2 * J]],
        ] as [string, number[]][])
      : []),
  ];
}

/**
 * The CDNA predictor's network (Finn, Goodfellow & Levine 2016), sized for a CPU:
 * - encoder: three 3×3 conv + ReLU stages, the first `pools` (default 3) each followed by a 2×2
 *   average pool (S → S/2 → S/4 → S/8; with pools 2 the third stage stays at S/4);
 * - one convolutional GRU at S/2^pools whose input is the bottleneck with the action tiled over it. Why a
 *   GRU at the bottleneck rather than the paper's seven conv-LSTMs: at 8×8 a GRU (two convolutions,
 *   no cell state) costs ~4 MMAC a frame; the recurrence must carry velocity from the context
 *   frames, and the encoder's skip connections carry the spatial detail the masks need;
 * - kernel head: the GRU state flattened → dense → K·k² → softmax per kernel (normalised kernels);
 * - decoder: nearest-neighbour upsampling (where the skip is finer) + skip connections + 3×3 convs
 *   to K + 1 mask logits at full resolution → softmax over masks.
 * Weights are tf.Variables (functional, like Mlp) so planning runs plain ops.
 */
/** Outputs of the kernel head per kernel: k² weights ('softmax') or a shift (dx, dy) ('shift'). */
function kernelParameters(c: VideoModelConfig): number {
  return kernelKindOf(c) === 'shift' ? 2 : c.kernelSize * c.kernelSize;
}

/**
 * Shift kernels: (dx, dy) = r · tanh(z) per kernel, r = (k − 1)/2, drawn as bilinear weights on the
 * k×k grid (tent(i − (r + d)) with tent(u) = max(0, 1 − |u|), separable in x and y): each kernel
 * sums to 1 and moves an image by (dx, dy) px (the sign convention is whatever training makes of it).
 * z: [B, K·2] (dx, dy per kernel) → [B, k, k, K].
 */
export function shiftKernels(z: tf.Tensor2D, kernelSize: number): tf.Tensor4D {
  // No tidy here: step() runs inside the caller's tidy, and under a gradient tape.
  const [B, twoK] = z.shape;
  const K = twoK / 2;
  const r = (kernelSize - 1) / 2;
  const centre = tf.add(tf.mul(tf.tanh(tf.reshape(z, [B, K, 2])), r), r); // [B, K, 2] in grid units
  const grid = tf.range(0, kernelSize, 1, 'float32');
  // Tent weights along each axis: [B, K, 2, k].
  const weights = tf.relu(tf.sub(1, tf.abs(tf.sub(tf.reshape(grid, [1, 1, 1, kernelSize]), tf.reshape(centre, [B, K, 2, 1])))));
  const wx = tf.reshape(tf.slice(weights, [0, 0, 0, 0], [B, K, 1, kernelSize]), [B, K, 1, kernelSize]);
  const wy = tf.reshape(tf.slice(weights, [0, 0, 1, 0], [B, K, 1, kernelSize]), [B, K, kernelSize, 1]);
  return tf.transpose(tf.mul(wy, wx), [0, 2, 3, 1]) as tf.Tensor4D;
}

/**
 * softmax([a, b]) over the last axis, returned as its two parts, without concatenating or slicing.
 * a: [B, S, S, n], b: [B, S, S, m] → [B, S, S, n], [B, S, S, m].
 */
function jointSoftmax(a: tf.Tensor4D, b: tf.Tensor4D): [tf.Tensor4D, tf.Tensor4D] {
  const top = tf.maximum(tf.max(a, 3, true), tf.max(b, 3, true));
  const ea = tf.exp(tf.sub(a, top));
  const eb = tf.exp(tf.sub(b, top));
  const total = tf.add(tf.sum(ea, 3, true), tf.sum(eb, 3, true));
  return [tf.div(ea, total) as tf.Tensor4D, tf.div(eb, total) as tf.Tensor4D];
}

/** Initial logit of the background (keep in place) mask: softmax weight ≈ 0.83 against 4 kernels at 0. */
const BACKGROUND_MASK_BIAS = 3;

export class CdnaNetwork {
  private constructor(readonly config: VideoModelConfig, private readonly vars: Map<string, tf.Variable>) {}

  /**
   * He-normal kernels from our seeded Rng, zero biases except the background mask's: the model
   * starts close to copy-last-frame through the background mask, with uniform (not identity)
   * transformation kernels. Why: started as identity kernels (or with uniform masks), every kernel
   * collapses to identity within ~10 steps on the pushing task (static edges outnumber moving
   * pixels), the softmaxes saturate and the model is stuck at copy-last-frame.
   */
  static create(config: VideoModelConfig): CdnaNetwork {
    const rng = new Rng(config.seed);
    const values = cdnaVariableShapes(config).map(([name, shape]) => {
      const size = shape.reduce((a, b) => a * b, 1);
      const v = new Float32Array(size);
      if (name.endsWith('/w')) {
        const fanIn = size / shape[shape.length - 1];
        // The heads start small: kernels near uniform, skip steps near zero.
        const scale = Math.sqrt(2 / fanIn) * (name === 'kernels/w' || name.startsWith('skips/') ? 0.1 : 1);
        for (let i = 0; i < size; i++) v[i] = rng.normal() * scale;
      } else if (name === 'masks/b') {
        v[0] = BACKGROUND_MASK_BIAS;
      } else if (name === 'kernels/b' && kernelKindOf(config) === 'shift') {
        // Shift kernels start 1 px apart in K directions, so the masks have distinct motions to pick
        // from at once (all at zero, each would get the same gradient).
        const r = (config.kernelSize - 1) / 2;
        const start = Math.min(1, r / 2); // px (half the reach for 3×3 kernels)
        for (let j = 0; j < config.kernels; j++) {
          const angle = (2 * Math.PI * j) / config.kernels;
          v[2 * j] = Math.atanh((start * Math.cos(angle)) / r);
          v[2 * j + 1] = Math.atanh((start * Math.sin(angle)) / r);
        }
      }
      return v;
    });
    return CdnaNetwork.fromArrays(config, values);
  }

  /** Rebuilds a network from arrays in the order of {@link cdnaVariableShapes}. */
  static fromArrays(config: VideoModelConfig, values: Float32Array[]): CdnaNetwork {
    const shapes = cdnaVariableShapes(config);
    if (values.length !== shapes.length) throw new Error(`video model: expected ${shapes.length} weight arrays, got ${values.length}`);
    const vars = new Map<string, tf.Variable>();
    shapes.forEach(([name, shape], i) => {
      const size = shape.reduce((a, b) => a * b, 1);
      if (values[i].length !== size) throw new Error(`video model: weight ${name} has ${values[i].length} values, expected ${size} (shape [${shape}])`);
      vars.set(name, tf.tidy(() => tf.variable(tf.tensor(values[i], shape), true, undefined)));
    });
    return new CdnaNetwork(config, vars);
  }

  /** Variables in save order, with their names. */
  get namedVariables(): { name: string; tensor: tf.Variable }[] {
    return [...this.vars].map(([name, tensor]) => ({ name, tensor }));
  }

  get variables(): tf.Variable[] {
    return [...this.vars.values()];
  }

  /** A zero recurrent state for a batch of B: [B, S/2^pools, S/2^pools, widths[2]]. */
  zeroState(batch: number): tf.Tensor4D {
    const sb = bottleneckSize(this.config);
    return tf.zeros([batch, sb, sb, this.config.widths[2]]);
  }

  /**
   * One step: from the current frame [B, S, S, C] (values in [0, 1]), the action taken from it
   * [B, A] and the recurrent state, the kernels and masks that turn this frame into the next.
   * Caller owns the results (use inside tf.tidy). Under a gradient, `cache` shares the weights' slices
   * and flipped kernels across the frames of one gradient computation (see {@link ConvKernelCache}).
   */
  step(frame: tf.Tensor4D, action: tf.Tensor2D, hidden: tf.Tensor4D, cache?: ConvKernelCache): StepPrediction {
    const c = this.config;
    const B = frame.shape[0];
    const conv = (name: string, ...parts: tf.Tensor4D[]) => this.conv(name, parts, undefined, cache);
    const pools = poolsOf(c);
    // Stage i (1-based) halves the resolution when i ≤ pools; upsampling back mirrors it.
    const down = (stage: number, t: tf.Tensor4D) => (stage <= pools ? downsample2(t) : t);
    const up = (stage: number, t: tf.Tensor4D) => (stage <= pools ? upsample2(t) : t);
    const x = tf.sub(frame, 0.5) as tf.Tensor4D;
    const e1 = down(1, tf.relu(conv('enc1', x)));
    const e2 = down(2, tf.relu(conv('enc2', e1)));
    const e3 = down(3, tf.relu(conv('enc3', e2)));
    const sb = bottleneckSize(c);
    const c3 = c.widths[2];
    const tiled = tf.mul(tf.reshape(action, [B, 1, 1, c.actDim]), tf.ones([1, sb, sb, 1])) as tf.Tensor4D;
    // Convolutional GRU: z, r = σ(conv[x, a, h]); h̃ = tanh(conv[x, a, r·h]); h′ = (1 − z)·h + z·h̃.
    const z = tf.sigmoid(this.conv('gru_gates', [e3, tiled, hidden], [0, c3], cache));
    const r = tf.sigmoid(this.conv('gru_gates', [e3, tiled, hidden], [c3, c3], cache));
    const candidate = tf.tanh(conv('gru_candidate', e3, tiled, tf.mul(r, hidden) as tf.Tensor4D));
    const h = tf.add(tf.mul(tf.sub(1, z), hidden), tf.mul(z, candidate)) as tf.Tensor4D;

    const k = c.kernelSize;
    const logits = dense(tf.reshape(h, [B, sb * sb * c3]) as tf.Tensor2D, this.v('kernels/w') as tf.Tensor2D, this.v('kernels/b') as tf.Tensor1D);
    const kernels =
      kernelKindOf(c) === 'shift'
        ? shiftKernels(logits, k)
        : (tf.transpose(tf.reshape(tf.softmax(tf.reshape(logits, [B, c.kernels, k * k])), [B, c.kernels, k, k]), [0, 2, 3, 1]) as tf.Tensor4D);

    const d3 = tf.relu(conv('dec3', up(3, h), e2));
    const d2 = tf.relu(conv('dec2', up(2, d3), e1));
    const maskInputs = [up(1, d2) as tf.Tensor4D, x];
    const J = skipsOf(c);
    if (J === 0) return { kernels, masks: tf.softmax(this.conv('masks', maskInputs)) as tf.Tensor4D, hidden: h, skipMasks: null, skipSteps: null };
    // The previous frame's and the skips' mask logits from the weight's two column ranges, and one
    // softmax over both: slicing a [B, S, S, K+1+J] activation instead cost more than the whole
    // translation on wasm.
    const K1 = c.kernels + 1;
    const [masks, skipMasks] = jointSoftmax(this.conv('masks', maskInputs, [0, K1], cache), this.conv('masks', maskInputs, [K1, J], cache));
    return { kernels, masks, hidden: h, skipMasks, skipSteps: this.skipSteps(h, action) };
  }

  /**
   * The skips' moves this step, r · tanh(W·[h, a] + b) with r = (k − 1)/2 px (a kernel's reach):
   * the action enters directly as well as through the GRU, because the pusher's image motion is
   * nearly a linear function of it. Only for a network with skips. h: [B, sb, sb, c3], action: [B, A] → [B, J, 2].
   */
  private skipSteps(h: tf.Tensor4D, action: tf.Tensor2D): tf.Tensor3D {
    const J = skipsOf(this.config);
    const B = h.shape[0];
    const fromState = dense(tf.reshape(h, [B, -1]) as tf.Tensor2D, this.v('skips/w') as tf.Tensor2D, this.v('skips/b') as tf.Tensor1D);
    const z = tf.add(fromState, tf.matMul(action, this.v('skips/wa') as tf.Tensor2D));
    return tf.reshape(tf.mul(tf.tanh(z), (this.config.kernelSize - 1) / 2), [B, J, 2]) as tf.Tensor3D;
  }

  dispose(): void {
    this.vars.forEach((v) => v.dispose());
  }

  /**
   * The 3×3 convolution `name` over the channel concatenation of `parts`, computed as a sum of
   * convolutions of each part with its slice of the kernel: the same result without concat and
   * split (the gradient of concat), which cost ~15 % of a training step on wasm. `outputs`
   * [start, count] takes a slice of the output channels (the GRU's z and r without a split).
   */
  private conv(name: string, parts: tf.Tensor4D[], outputs?: [number, number], cache?: ConvKernelCache): tf.Tensor4D {
    const w = this.v(`${name}/w`) as tf.Tensor4D;
    const b = this.v(`${name}/b`) as tf.Tensor1D;
    const [o0, count] = outputs ?? [0, w.shape[3]];
    const cutBias = () => tf.slice(b, [o0], [count]) as tf.Tensor1D;
    const bias = !outputs ? b : cache ? cache.slice(`${name}/b:${o0}:${count}`, cutBias) : cutBias();
    let offset = 0;
    let out: tf.Tensor4D | null = null;
    for (const part of parts) {
      const cin = part.shape[3];
      const key = `${name}:${offset}:${cin}:${o0}:${count}`;
      const whole = parts.length === 1 && !outputs;
      const start = offset;
      const cut = () => tf.slice(w, [0, 0, start, o0], [-1, -1, cin, count]) as tf.Tensor4D;
      const wPart = whole ? w : cache ? cache.slice(key, cut) : cut();
      offset += cin;
      // Only the first part adds the bias: the others would add zeros and take a zero bias's gradient.
      const partBias: tf.Tensor1D | null = out ? null : bias;
      const y: tf.Tensor4D = cache ? conv2dSameFlipped(part, wPart, partBias, cache.flipped(key, wPart)) : partBias ? conv2dSame(part, wPart, partBias) : conv2dSameNoBias(part, wPart);
      out = out ? (tf.add(out, y) as tf.Tensor4D) : y;
    }
    return out!;
  }

  private v(name: string): tf.Variable {
    const found = this.vars.get(name);
    if (!found) throw new Error(`video model: no variable ${name}`);
    return found;
  }
}
