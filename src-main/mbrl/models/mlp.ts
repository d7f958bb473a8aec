import * as tf from '@tensorflow/tfjs-core';
import { Rng } from '../util';
import { dense } from './dense';

/** Hidden-layer nonlinearity. */
export type Activation = 'relu' | 'swish' | 'tanh';

/** Shape of an MLP: input width, hidden widths, output width. */
export interface MlpConfig {
  inputDim: number;
  hidden: number[];
  outputDim: number;
  activation: Activation;
}

function activate(x: tf.Tensor2D, activation: Activation): tf.Tensor2D {
  switch (activation) {
    case 'relu':
      return tf.relu(x);
    case 'tanh':
      return tf.tanh(x);
    case 'swish':
      return tf.mul(x, tf.sigmoid(x));
  }
}

/**
 * A multilayer perceptron held as tf.Variables: kernels W_l [in, out] and biases b_l [out].
 * Functional (no tfjs-layers model) so planning can run plain 2-D matMuls, the fastest layout here.
 * The MLP owns its variables: call dispose().
 */
export class Mlp {
  private constructor(readonly config: MlpConfig, readonly kernels: tf.Variable<tf.Rank.R2>[], readonly biases: tf.Variable<tf.Rank.R1>[]) {}

  /** Layer widths from input to output. */
  static widths(config: MlpConfig): number[] {
    return [config.inputDim, ...config.hidden, config.outputDim];
  }

  /** He-normal kernels and zero biases, drawn from our seeded Rng so every backend starts equal. */
  static create(config: MlpConfig, seed: number): Mlp {
    const rng = new Rng(seed);
    const w = Mlp.widths(config);
    const kernels: tf.Variable<tf.Rank.R2>[] = [];
    const biases: tf.Variable<tf.Rank.R1>[] = [];
    for (let l = 0; l < w.length - 1; l++) {
      const values = new Float32Array(w[l] * w[l + 1]);
      const scale = Math.sqrt(2 / w[l]);
      for (let i = 0; i < values.length; i++) values[i] = rng.normal() * scale;
      // tf.variable copies its initial value: make the temporaries inside tidy so they are freed.
      kernels.push(tf.tidy(() => tf.variable(tf.tensor2d(values, [w[l], w[l + 1]]))));
      biases.push(tf.tidy(() => tf.variable(tf.zeros([w[l + 1]]))));
    }
    return new Mlp(config, kernels, biases);
  }

  /** Rebuilds an MLP from arrays in the order of {@link weights}. */
  static fromWeights(config: MlpConfig, values: Float32Array[]): Mlp {
    const w = Mlp.widths(config);
    const layers = w.length - 1;
    if (values.length !== 2 * layers) throw new Error(`mlp: expected ${2 * layers} weight arrays, got ${values.length}`);
    const kernels: tf.Variable<tf.Rank.R2>[] = [];
    const biases: tf.Variable<tf.Rank.R1>[] = [];
    for (let l = 0; l < layers; l++) {
      kernels.push(tf.tidy(() => tf.variable(tf.tensor2d(values[2 * l], [w[l], w[l + 1]]))));
      biases.push(tf.tidy(() => tf.variable(tf.tensor1d(values[2 * l + 1]))));
    }
    return new Mlp(config, kernels, biases);
  }

  /** All trainable variables, kernel then bias per layer. */
  get variables(): tf.Variable[] {
    return this.kernels.flatMap((k, l) => [k, this.biases[l]]);
  }

  /**
   * x: [B, inputDim] → [B, outputDim]. Caller owns the result (use inside tf.tidy).
   * `training` routes layers through {@link dense}, whose gradient is faster on wasm; inference
   * uses plain ops (no gradient bookkeeping).
   */
  forward(x: tf.Tensor2D, training = false): tf.Tensor2D {
    let h = x;
    const last = this.kernels.length - 1;
    for (let l = 0; l <= last; l++) {
      const z = training ? dense(h, this.kernels[l], this.biases[l]) : (tf.add(tf.matMul(h, this.kernels[l]), this.biases[l]) as tf.Tensor2D);
      h = l < last ? activate(z, this.config.activation) : z;
    }
    return h;
  }

  /** Σ‖W_l‖² over kernels (biases are not decayed), a scalar. */
  kernelSquaredNorm(): tf.Scalar {
    return tf.tidy(() => tf.addN(this.kernels.map((k) => tf.sum(tf.square(k)))) as tf.Scalar);
  }

  /** Copies of the weights as arrays, in {@link variables} order. */
  async weights(): Promise<Float32Array[]> {
    return Promise.all(this.variables.map(async (v) => (await v.data()) as Float32Array));
  }

  dispose(): void {
    this.variables.forEach((v) => v.dispose());
  }
}
