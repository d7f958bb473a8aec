import * as tf from '@tensorflow/tfjs-core';

/** Adam's settings; the defaults are tf.train.adam's (ε 1e-7 as tfjs). */
export interface AdamSettings {
  learningRate: number;
  beta1?: number;
  beta2?: number;
  epsilon?: number;
}

/** Backends whose tensors live in this thread's memory, so reading a gradient is a copy, not a transfer. */
const HOST_MEMORY_BACKENDS = new Set(['wasm', 'cpu']);

/**
 * Adam over a fixed list of variables, the update of tf.train.adam:
 *   m ← β₁m + (1 − β₁)g,  v ← β₂v + (1 − β₂)g²,  θ ← θ − lr · (m / (1 − β₁ᵗ)) / (√(v / (1 − β₂ᵗ)) + ε).
 * On host-memory backends (wasm, cpu) the update runs as one JavaScript loop per variable over
 * Float32Arrays (m, v and a copy of θ kept here) and θ is uploaded once: tfjs's Adam is ~14
 * elementwise kernels per variable, and wasm's elementwise kernels are slow (no SIMD, ~5 ns an
 * element), so a step of the 5-member ensemble spent ~15–30 ms in them against ~8–13 ms here.
 * Elsewhere (GPU, tfjs-node) it is tf.train.adam itself.
 * Only this optimizer may change the variables while it is in use (it keeps their values on the host).
 */
export class AdamStep {
  private readonly host: HostAdam | null;
  private readonly tensorAdam: tf.AdamOptimizer | null;

  constructor(private readonly variables: readonly tf.Variable[], settings: AdamSettings) {
    const beta1 = settings.beta1 ?? 0.9;
    const beta2 = settings.beta2 ?? 0.999;
    const epsilon = settings.epsilon ?? 1e-7;
    if (HOST_MEMORY_BACKENDS.has(tf.getBackend())) {
      this.host = new HostAdam(variables, settings.learningRate, beta1, beta2, epsilon);
      this.tensorAdam = null;
    } else {
      this.host = null;
      this.tensorAdam = tf.train.adam(settings.learningRate, beta1, beta2, epsilon);
    }
  }

  /** One update from gradients in the order of the variables (the caller keeps ownership of them). */
  apply(grads: readonly tf.Tensor[]): void {
    if (grads.length !== this.variables.length) throw new Error(`adam: ${grads.length} gradients for ${this.variables.length} variables`);
    if (this.host) this.host.apply(grads);
    else this.tensorAdam!.applyGradients(this.variables.map((v, i) => ({ name: v.name, tensor: grads[i] })));
  }

  dispose(): void {
    this.tensorAdam?.dispose();
  }
}

/** Adam's state on the host: per variable m, v and the current values. */
class HostAdam {
  private readonly m: Float32Array[];
  private readonly v: Float32Array[];
  private readonly values: Float32Array[];
  private t = 0;

  constructor(private readonly variables: readonly tf.Variable[], private readonly lr: number, private readonly beta1: number, private readonly beta2: number, private readonly epsilon: number) {
    this.m = variables.map((x) => new Float32Array(x.size));
    this.v = variables.map((x) => new Float32Array(x.size));
    // A copy: the cpu backend's dataSync hands out the tensor's own array.
    this.values = variables.map((x) => (x.dataSync() as Float32Array).slice());
  }

  apply(grads: readonly tf.Tensor[]): void {
    this.t++;
    const { beta1, beta2, epsilon } = this;
    const a1 = 1 - beta1;
    const a2 = 1 - beta2;
    // lr·(m/c₁)/(√(v/c₂) + ε) = step·m/(√v + ε√c₂) with step = lr·√c₂/c₁: one division less an element.
    const c1 = 1 - beta1 ** this.t;
    const c2 = 1 - beta2 ** this.t;
    const step = (this.lr * Math.sqrt(c2)) / c1;
    const eps = epsilon * Math.sqrt(c2);
    // wasm copies an uploaded array into its heap, so θ can be updated in place; the cpu backend
    // keeps the array it is given as the tensor's data, so there each step needs a new one.
    const inPlace = tf.getBackend() === 'wasm';
    this.variables.forEach((variable, k) => {
      const g = grads[k].dataSync() as Float32Array;
      const m = this.m[k];
      const v = this.v[k];
      const old = this.values[k];
      const next = inPlace ? old : new Float32Array(old.length);
      for (let i = 0; i < next.length; i++) {
        const gi = g[i];
        const mi = (m[i] = beta1 * m[i] + a1 * gi);
        const vi = (v[i] = beta2 * v[i] + a2 * gi * gi);
        next[i] = old[i] - (step * mi) / (Math.sqrt(vi) + eps);
      }
      tf.tidy(() => variable.assign(tf.tensor(next, variable.shape, 'float32')));
      this.values[k] = next;
    });
  }
}
