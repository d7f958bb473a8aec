import * as tf from '@tensorflow/tfjs-core';
import type { Activation } from '../mlp';
import { SmallMlp, type NamedVariables } from './image-codec';

/** The transition's parameters at a batch of codes: v, r, o: [B, dz]; B: [B, dz, A]. */
export interface TransitionParts {
  v: tf.Tensor2D;
  r: tf.Tensor2D;
  B: tf.Tensor3D;
  o: tf.Tensor2D;
}

/**
 * E2C's locally linear transition z' = A(z̄) z + B(z̄) a + o(z̄) with A = I + v rᵀ: a network h(z̄)
 * gives v, r, B and o, so A is a rank-one perturbation of the identity (2·dz numbers instead of dz²)
 * and its determinant is 1 + rᵀv. Nothing here forms A unless asked: A z = z + v (rᵀz).
 */
export class LocallyLinearTransition {
  private readonly net: SmallMlp;

  constructor(readonly latentDim: number, readonly actDim: number, hidden: number[], activation: Activation, seed: number) {
    const d = latentDim;
    // Small output gain: A starts near I and B, o near 0, so the initial transition is gentle.
    this.net = new SmallMlp([d, ...hidden, 3 * d + d * actDim], activation, seed, 0.1);
  }

  /** v, r, B, o at codes zBar: [B, dz]. */
  parts(zBar: tf.Tensor2D, training = false): TransitionParts {
    const d = this.latentDim;
    const A = this.actDim;
    const h = this.net.forward(zBar, training);
    const n = zBar.shape[0];
    return {
      v: tf.slice(h, [0, 0], [-1, d]) as tf.Tensor2D,
      r: tf.slice(h, [0, d], [-1, d]) as tf.Tensor2D,
      o: tf.slice(h, [0, 2 * d], [-1, d]) as tf.Tensor2D,
      B: tf.reshape(tf.slice(h, [0, 3 * d], [-1, d * A]), [n, d, A]) as tf.Tensor3D,
    };
  }

  /** A = I + v rᵀ: [B, dz, dz]. */
  static matrixA(p: TransitionParts): tf.Tensor3D {
    const d = p.v.shape[1];
    return tf.add(tf.eye(d), tf.mul(tf.expandDims(p.v, 2), tf.expandDims(p.r, 1))) as tf.Tensor3D;
  }

  /** A x for x: [B, dz] without forming A: x + v (rᵀx). */
  static applyA(p: TransitionParts, x: tf.Tensor2D): tf.Tensor2D {
    return tf.add(x, tf.mul(p.v, tf.sum(tf.mul(p.r, x), 1, true))) as tf.Tensor2D;
  }

  /** A z + B a + o for z: [B, dz], a: [B, A]. */
  static apply(p: TransitionParts, z: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D {
    const Ba = tf.sum(tf.mul(p.B, tf.expandDims(a, 1)), 2) as tf.Tensor2D;
    return tf.add(tf.add(LocallyLinearTransition.applyA(p, z), Ba), p.o) as tf.Tensor2D;
  }

  namedVariables(prefix: string): NamedVariables {
    return this.net.namedVariables(prefix);
  }

  dispose(): void {
    this.net.dispose();
  }
}

/**
 * KL(N(μ̂, A Σ Aᵀ) ‖ N(μ₂, diag σ₂²)) per row, mean over rows: E2C's consistency term between the
 * transition's predicted distribution and the encoding of o_{t+1}. Σ = diag e^{logVar1}.
 * Uses det A = 1 + rᵀv and tr(Σ₂⁻¹ A Σ Aᵀ) = Σᵢ σ₂ᵢ⁻² Σⱼ Aᵢⱼ² σ₁ⱼ².
 */
export function transitionKl(p: TransitionParts, muHat: tf.Tensor2D, logVar1: tf.Tensor2D, mu2: tf.Tensor2D, logVar2: tf.Tensor2D): tf.Scalar {
  const d = muHat.shape[1];
  const A = LocallyLinearTransition.matrixA(p);
  const var1 = tf.exp(logVar1);
  const inv2 = tf.exp(tf.neg(logVar2));
  const covDiag = tf.sum(tf.mul(tf.square(A), tf.expandDims(var1, 1)), 2); // (A Σ Aᵀ)ᵢᵢ: [B, dz]
  const trace = tf.sum(tf.mul(covDiag, inv2), 1);
  const maha = tf.sum(tf.mul(tf.square(tf.sub(mu2, muHat)), inv2), 1);
  const detA = tf.add(1, tf.sum(tf.mul(p.r, p.v), 1));
  const logDetC1 = tf.add(tf.mul(2, tf.log(tf.add(tf.abs(detA), 1e-6))), tf.sum(logVar1, 1));
  const logDet2 = tf.sum(logVar2, 1);
  return tf.mean(tf.mul(0.5, tf.add(tf.sub(tf.add(trace, maha), d), tf.sub(logDet2, logDetC1))));
}
