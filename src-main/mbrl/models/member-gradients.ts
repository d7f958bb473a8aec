import * as tf from '@tensorflow/tfjs-core';
import type { LogVarBounds } from './gaussian-head';
import { BOUNDS_PENALTY, type Member } from './member';
import type { Activation } from './mlp';

/**
 * A member's training loss and its gradients, written out by hand (backpropagation without tfjs's
 * autodiff tape). Same value and gradients as `tf.variableGrads(() => memberLoss(…))`
 * (test/mbrl/models/member-gradients.test.ts), in far fewer kernels — which is what a training step
 * costs on the wasm backend besides its matMuls (bench/README.md, "Training"):
 * - no tape: no copies of saved tensors, no Identity/Cast kernels from generic op gradients, no
 *   gradient accumulation Adds;
 * - one fused matMul + bias per layer forward; the activation's derivative in 3–4 elementwise ops;
 * - bias gradients as a matMul of a ones row with dz, ~20× faster on wasm than a sum over axis 0;
 * - explicit transposes before each backward matMul (wasm runs transposed-operand matMuls 10–15×
 *   slower), no input gradient for the first layer.
 */
export interface MemberLossGradients {
  /** The loss (as memberLoss: MSE, or Gaussian NLL + bounds penalty, plus weight decay), a scalar. */
  loss: tf.Scalar;
  /** d loss / d variable, in memberVariables order (kernel, bias per layer, then max, min bounds). */
  grads: tf.Tensor[];
}

/**
 * x: [B, in] (normalized inputs), y: [B, D] (normalized targets) → loss and gradients. Caller owns the
 * results (call inside tf.tidy and keep what it needs).
 */
export function memberLossGradients(member: Member, x: tf.Tensor2D, y: tf.Tensor2D, weightDecay: number): MemberLossGradients {
  const { kernels, biases, config } = member.mlp;
  const last = kernels.length - 1;
  const rows = x.shape[0];
  // Forward, keeping each layer's input and its activation's derivative factor.
  const layerInputs: tf.Tensor2D[] = [];
  const derivatives: tf.Tensor2D[] = [];
  let h = x;
  for (let l = 0; l < last; l++) {
    layerInputs.push(h);
    const z = tf.fused.matMul({ a: h, b: kernels[l], bias: biases[l] }) as tf.Tensor2D;
    const { value, derivative } = activationWithDerivative(z, config.activation);
    derivatives.push(derivative);
    h = value;
  }
  layerInputs.push(h);
  const out = tf.fused.matMul({ a: h, b: kernels[last], bias: biases[last] }) as tf.Tensor2D;
  const head = member.bounds ? gaussianHead(out, y, member.bounds) : mseHead(out, y);

  // Backward.
  const ones = tf.ones([1, rows]) as tf.Tensor2D;
  const kernelGrads: tf.Tensor[] = [];
  const biasGrads: tf.Tensor[] = [];
  let dz = head.dOut;
  for (let l = last; l >= 0; l--) {
    let dW = tf.matMul(tf.transpose(layerInputs[l]), dz) as tf.Tensor2D;
    if (weightDecay > 0) dW = tf.add(dW, tf.mul(kernels[l], 2 * weightDecay));
    kernelGrads[l] = dW;
    biasGrads[l] = tf.reshape(tf.matMul(ones, dz), [dz.shape[1]]);
    if (l > 0) dz = tf.mul(tf.matMul(dz, tf.transpose(kernels[l])), derivatives[l - 1]);
  }
  let loss = head.loss;
  if (weightDecay > 0) loss = tf.add(loss, tf.mul(squaredNorm(kernels), weightDecay));
  const grads = kernelGrads.flatMap((dW, l) => [dW, biasGrads[l]]);
  return { loss, grads: [...grads, ...head.boundGrads] };
}

/**
 * Σ‖W‖² over kernels, a scalar. (Not as a matMul of W's row view by its column view: the wasm
 * backend caches its matMul operator by the right operand's data id, which a reshape shares, and the
 * same kernel as a [200, 200] right operand then runs out of bounds.)
 */
function squaredNorm(kernels: readonly tf.Tensor2D[]): tf.Scalar {
  return tf.addN(kernels.map((k) => tf.sum(tf.square(k)))) as tf.Scalar;
}

/** The hidden nonlinearity and f′(z) expressed through its value (so nothing more need be kept). */
function activationWithDerivative(z: tf.Tensor2D, activation: Activation): { value: tf.Tensor2D; derivative: tf.Tensor2D } {
  switch (activation) {
    case 'swish': {
      // h = z·σ(z);  h′ = σ + z·σ·(1 − σ) = σ + h − h·σ.
      const s = tf.sigmoid(z);
      const value = tf.mul(z, s) as tf.Tensor2D;
      return { value, derivative: tf.sub(tf.add(s, value), tf.mul(value, s)) as tf.Tensor2D };
    }
    case 'relu':
      return { value: tf.relu(z), derivative: tf.step(z) };
    case 'tanh': {
      const value = tf.tanh(z);
      return { value, derivative: tf.sub(1, tf.square(value)) as tf.Tensor2D };
    }
  }
}

interface Head {
  loss: tf.Scalar;
  /** d loss / d out: [B, outputDim]. */
  dOut: tf.Tensor2D;
  /** Gradients of the head's own variables (the log-variance bounds: max, min), else none. */
  boundGrads: tf.Tensor[];
}

/** Mean squared error over the batch and dimensions. */
function mseHead(out: tf.Tensor2D, y: tf.Tensor2D): Head {
  const diff = tf.sub(out, y);
  return { loss: tf.mean(tf.square(diff)), dOut: tf.mul(diff, 2 / diff.size), boundGrads: [] };
}

/**
 * Gaussian NLL (gaussianNll: mean over batch and dimensions of (μ − y)²·e^(−lv) + lv) of the softly
 * bounded log-variance (LogVarBounds.apply), plus the bounds penalty. With e₁ = max − raw,
 * u = max − softplus(e₁), e₂ = u − min, lv = min + softplus(e₂):
 * ∂lv/∂raw = σ(e₂)·σ(e₁), ∂lv/∂max = σ(e₂)·(1 − σ(e₁)), ∂lv/∂min = 1 − σ(e₂).
 */
function gaussianHead(out: tf.Tensor2D, y: tf.Tensor2D, bounds: LogVarBounds): Head {
  const D = y.shape[1];
  const mean = tf.slice(out, [0, 0], [-1, D]);
  const raw = tf.slice(out, [0, D], [-1, D]);
  const e1 = tf.sub(bounds.max, raw);
  const e2 = tf.sub(tf.sub(bounds.max, tf.softplus(e1)), bounds.min);
  const logVar = tf.add(bounds.min, tf.softplus(e2));
  const s1 = tf.sigmoid(e1);
  const s2 = tf.sigmoid(e2);
  const diff = tf.sub(mean, y);
  const invVar = tf.exp(tf.neg(logVar));
  const weighted = tf.mul(tf.square(diff), invVar);
  const c = 1 / y.size;
  const nll = tf.mean(tf.add(weighted, logVar)) as tf.Scalar;
  const loss = tf.add(nll, tf.mul(BOUNDS_PENALTY, tf.sub(tf.sum(bounds.max), tf.sum(bounds.min)))) as tf.Scalar;
  // d loss / d lv per element, then through the bounds.
  const dLogVar = tf.mul(tf.sub(1, weighted), c);
  const dViaE2 = tf.mul(dLogVar, s2);
  const dRaw = tf.mul(dViaE2, s1);
  const dMean = tf.mul(tf.mul(diff, invVar), 2 * c);
  const ones = tf.ones([1, y.shape[0]]) as tf.Tensor2D;
  const columnSums = (t: tf.Tensor) => tf.reshape(tf.matMul(ones, t as tf.Tensor2D), [D]);
  const dMax = tf.add(columnSums(tf.sub(dViaE2, dRaw)), BOUNDS_PENALTY);
  const dMin = tf.sub(columnSums(tf.sub(dLogVar, dViaE2)), BOUNDS_PENALTY);
  return { loss, dOut: tf.concat([dMean, dRaw], 1) as tf.Tensor2D, boundGrads: [dMax, dMin] };
}
