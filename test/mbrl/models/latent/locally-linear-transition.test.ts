import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { E2cModel, LocallyLinearTransition, transitionKl } from '../../../../src-main/mbrl/models/latent';
import { Rng } from '../../../../src-main/mbrl/util';
import { useWasmBackend } from './latent-test-setup';

beforeAll(useWasmBackend);

const d = 3;
const actDim = 2;

function randomCodes(rows: number, seed: number): Float32Array {
  const rng = new Rng(seed);
  return Float32Array.from({ length: rows * d }, () => rng.normal());
}

describe('LocallyLinearTransition', () => {
  it("A(z) equals I + v rᵀ, and the transition is A z + B a + o (checked in plain float64 math)", () => {
    // Random, non-trivial weights: a fresh net's output gain is small, so scale the codes up.
    const t = new LocallyLinearTransition(d, actDim, [16], 'relu', 7);
    const rows = 4;
    const z = randomCodes(rows, 1).map((v) => 5 * v);
    const a = Float32Array.from({ length: rows * actDim }, (_, i) => Math.sin(i + 1));
    const [v, r, B, o, A, next] = tf.tidy(() => {
      const zt = tf.tensor2d(z, [rows, d]);
      const p = t.parts(zt);
      return [p.v, p.r, p.B, p.o, LocallyLinearTransition.matrixA(p), LocallyLinearTransition.apply(p, zt, tf.tensor2d(a, [rows, actDim]))].map((x) => x.dataSync());
    });
    for (let b = 0; b < rows; b++) {
      for (let i = 0; i < d; i++) {
        let expected = 0;
        for (let j = 0; j < d; j++) {
          const aij = (i === j ? 1 : 0) + v[b * d + i] * r[b * d + j];
          expect(A[b * d * d + i * d + j]).toBeCloseTo(aij, 5);
          expected += aij * z[b * d + j];
        }
        for (let k = 0; k < actDim; k++) expected += B[(b * d + i) * actDim + k] * a[b * actDim + k];
        expected += o[b * d + i];
        expect(next[b * d + i]).toBeCloseTo(expected, 4);
      }
    }
    // v and r are not trivially zero, so the check above says something.
    expect(Math.max(...Array.from(v).map(Math.abs))).toBeGreaterThan(1e-3);
    t.dispose();
  });

  it("E2C's linearize gives the same A, B, o as its step uses", () => {
    const model = E2cModel.create({ imageShape: [4, 4, 1], actDim, latentDim: d, stages: [], hidden: [8], transitionHidden: [16], activation: 'relu', weights: { reconstruction: 1, nextReconstruction: 1, kl: 1, consistency: 1 }, seed: 3 });
    const z = randomCodes(2, 2).map((x) => 4 * x);
    const a = Float32Array.of(0.3, -0.7, 1, 0.2);
    const { A, B, o } = model.linearize(z, 2);
    const next = tf.tidy(() => model.step(tf.tensor2d(z, [2, d]), tf.tensor2d(a, [2, actDim]))).dataSync();
    for (let b = 0; b < 2; b++) {
      for (let i = 0; i < d; i++) {
        let s = o[b * d + i];
        for (let j = 0; j < d; j++) s += A[b * d * d + i * d + j] * z[b * d + j];
        for (let k = 0; k < actDim; k++) s += B[(b * d + i) * actDim + k] * a[b * actDim + k];
        expect(next[b * d + i]).toBeCloseTo(s, 4);
      }
    }
    model.dispose();
  });

  it('the consistency KL matches the closed form with the full covariance A Σ Aᵀ, and is 0 for equal distributions', () => {
    // d = 2 by hand: v, r, Σ₁, μ̂, μ₂, Σ₂ chosen; KL computed with explicit 2×2 inverse and determinant.
    const v = [0.5, -0.3];
    const r = [0.2, 0.8];
    const var1 = [0.4, 1.5];
    const muHat = [0.1, -0.2];
    const mu2 = [0.3, 0.4];
    const var2 = [0.9, 0.6];
    const A = [1 + v[0] * r[0], v[0] * r[1], v[1] * r[0], 1 + v[1] * r[1]];
    const C = [0, 0, 0, 0]; // A Σ₁ Aᵀ
    for (let i = 0; i < 2; i++) for (let j = 0; j < 2; j++) for (let k = 0; k < 2; k++) C[i * 2 + j] += A[i * 2 + k] * var1[k] * A[j * 2 + k];
    const detC = C[0] * C[3] - C[1] * C[2];
    const trace = C[0] / var2[0] + C[3] / var2[1];
    const maha = (mu2[0] - muHat[0]) ** 2 / var2[0] + (mu2[1] - muHat[1]) ** 2 / var2[1];
    const expected = 0.5 * (trace + maha - 2 + Math.log(var2[0] * var2[1]) - Math.log(detC));
    const got = tf.tidy(() => {
      const parts = { v: tf.tensor2d([v]), r: tf.tensor2d([r]), B: tf.zeros([1, 2, 1]) as tf.Tensor3D, o: tf.zeros([1, 2]) as tf.Tensor2D };
      return transitionKl(parts, tf.tensor2d([muHat]), tf.log(tf.tensor2d([var1])) as tf.Tensor2D, tf.tensor2d([mu2]), tf.log(tf.tensor2d([var2])) as tf.Tensor2D);
    });
    expect(got.dataSync()[0]).toBeCloseTo(expected, 4);
    got.dispose();
    const zero = tf.tidy(() => {
      const parts = { v: tf.zeros([1, 2]) as tf.Tensor2D, r: tf.zeros([1, 2]) as tf.Tensor2D, B: tf.zeros([1, 2, 1]) as tf.Tensor3D, o: tf.zeros([1, 2]) as tf.Tensor2D };
      const mu = tf.tensor2d([[0.3, -1]]);
      const lv = tf.tensor2d([[-1, 0.5]]);
      return transitionKl(parts, mu, lv, mu, lv);
    });
    expect(Math.abs(zero.dataSync()[0])).toBeLessThan(1e-5);
    zero.dispose();
  });
});
