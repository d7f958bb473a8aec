import * as tf from '@tensorflow/tfjs-core';

/** Serialized form of a {@link Normalizer}. */
export interface NormalizerJson {
  mean: number[];
  std: number[];
}

/**
 * Per-dimension standardization x ↦ (x − mean) / std, fitted on data. Dimensions with (near) zero
 * spread keep std = 1 so they pass through instead of blowing up.
 */
export class Normalizer {
  // Cached constant tensors (planning calls normalize thousands of times); freed by dispose().
  private meanT: tf.Tensor1D | null = null;
  private stdT: tf.Tensor1D | null = null;

  /** mean, std: [D]. */
  constructor(readonly mean: Float32Array, readonly std: Float32Array) {
    if (mean.length !== std.length) throw new Error(`normalizer: mean has ${mean.length} dims, std ${std.length}`);
  }

  /** The identity for D dimensions. */
  static identity(dim: number): Normalizer {
    return new Normalizer(new Float32Array(dim), new Float32Array(dim).fill(1));
  }

  /** Fits on rows of `data`: [n, dim] row-major. Uses float64 accumulation for accuracy. */
  static fit(data: Float32Array, dim: number): Normalizer {
    const n = data.length / dim;
    if (!Number.isInteger(n) || n < 1) throw new Error(`normalizer: ${data.length} values do not make rows of ${dim}`);
    const mean = new Float64Array(dim);
    for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) mean[j] += data[i * dim + j];
    for (let j = 0; j < dim; j++) mean[j] /= n;
    const variance = new Float64Array(dim);
    for (let i = 0; i < n; i++) for (let j = 0; j < dim; j++) variance[j] += (data[i * dim + j] - mean[j]) ** 2;
    const std = new Float32Array(dim);
    for (let j = 0; j < dim; j++) {
      const s = Math.sqrt(variance[j] / n);
      std[j] = s > 1e-6 ? s : 1;
    }
    return new Normalizer(Float32Array.from(mean), std);
  }

  get dim(): number {
    return this.mean.length;
  }

  /** x: [B, D] → (x − mean) / std. */
  normalize(x: tf.Tensor2D): tf.Tensor2D {
    const [mean, std] = this.tensors();
    return tf.tidy(() => tf.div(tf.sub(x, mean), std));
  }

  /** z: [B, D] → z · std + mean. */
  denormalize(z: tf.Tensor2D): tf.Tensor2D {
    const [mean, std] = this.tensors();
    return tf.tidy(() => tf.add(tf.mul(z, std), mean));
  }

  /** Normalizes row-major data [n, D] on the CPU. */
  normalizeArray(data: Float32Array): Float32Array {
    const D = this.dim;
    const out = new Float32Array(data.length);
    for (let i = 0; i < data.length; i++) out[i] = (data[i] - this.mean[i % D]) / this.std[i % D];
    return out;
  }

  /** Frees the cached tensors. The normalizer stays usable (they are re-made on demand). */
  dispose(): void {
    this.meanT?.dispose();
    this.stdT?.dispose();
    this.meanT = this.stdT = null;
  }

  private tensors(): [tf.Tensor1D, tf.Tensor1D] {
    if (!this.meanT || !this.stdT) {
      this.meanT = tf.keep(tf.tensor1d(this.mean));
      this.stdT = tf.keep(tf.tensor1d(this.std));
    }
    return [this.meanT, this.stdT];
  }

  toJSON(): NormalizerJson {
    return { mean: Array.from(this.mean), std: Array.from(this.std) };
  }

  static fromJSON(json: NormalizerJson): Normalizer {
    return new Normalizer(Float32Array.from(json.mean), Float32Array.from(json.std));
  }
}
