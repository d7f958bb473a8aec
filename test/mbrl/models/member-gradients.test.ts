import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { LogVarBounds, Mlp, type Activation } from '../../../src-main/mbrl/models';
import { memberLoss, memberVariables, type Member } from '../../../src-main/mbrl/models/member';
import { memberLossGradients } from '../../../src-main/mbrl/models/member-gradients';
import { useCpuBackend } from '../tf-setup';

beforeAll(useCpuBackend);

/** A small member with random weights and (when probabilistic) bounds away from their initial values. */
function smallMember(activation: Activation, probabilistic: boolean, seed: number): Member {
  const D = 3;
  const mlp = Mlp.create({ inputDim: 5, hidden: [7, 6], outputDim: probabilistic ? 2 * D : D, activation }, seed);
  // Non-zero biases, so their part of each layer is exercised too.
  mlp.biases.forEach((b, l) => b.assign(tf.randomNormal(b.shape, 0, 0.3, 'float32', seed + l)));
  const bounds = probabilistic ? LogVarBounds.fromArrays(Float32Array.of(0.5, 0.2, -0.1), Float32Array.of(-3, -2.5, -4)) : null;
  return { mlp, bounds };
}

function maxAbsDiff(a: ArrayLike<number>, b: ArrayLike<number>): number {
  let m = 0;
  for (let i = 0; i < a.length; i++) m = Math.max(m, Math.abs(a[i] - b[i]));
  return m;
}

describe('memberLossGradients (hand-written backpropagation)', () => {
  for (const activation of ['swish', 'relu', 'tanh'] as const) {
    for (const probabilistic of [false, true]) {
      it(`equals tf.variableGrads of memberLoss (${activation}, ${probabilistic ? 'probabilistic' : 'deterministic'}, weight decay)`, () => {
        const member = smallMember(activation, probabilistic, 3);
        const x = tf.randomNormal([9, 5], 0, 1, 'float32', 11) as tf.Tensor2D;
        // Targets far enough from the outputs that the variance term matters (raw log-variances hit both bounds' soft regions).
        const y = tf.randomNormal([9, 3], 0, 2, 'float32', 12) as tf.Tensor2D;
        const variables = memberVariables(member);
        const reference = tf.variableGrads(() => memberLoss(member, x, y, 0.01), variables);
        const ours = memberLossGradients(member, x, y, 0.01);
        expect(ours.grads.map((g) => g.shape)).toEqual(variables.map((v) => v.shape));
        const refLoss = reference.value.dataSync()[0];
        expect(Math.abs(ours.loss.dataSync()[0] - refLoss)).toBeLessThan(1e-5 * Math.max(1, Math.abs(refLoss)));
        variables.forEach((v, i) => {
          const want = reference.grads[v.name].dataSync();
          const scale = Math.max(1e-3, ...Array.from(want, Math.abs));
          // float32 rounding of different but equivalent expressions: relative to the largest entry.
          expect(maxAbsDiff(ours.grads[i].dataSync(), want) / scale).toBeLessThan(2e-5);
        });
        // Not vacuous: every variable gets a gradient that is not all zeros.
        for (const g of ours.grads) expect(maxAbsDiff(g.dataSync(), new Float32Array(g.size))).toBeGreaterThan(0);
        tf.dispose([x, y, reference.value, ...Object.values(reference.grads), ours.loss, ...ours.grads]);
        member.mlp.dispose();
        member.bounds?.dispose();
      });
    }
  }

  it('without weight decay the loss is the plain data term', () => {
    const member = smallMember('swish', true, 5);
    const x = tf.randomNormal([4, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
    const y = tf.randomNormal([4, 3], 0, 1, 'float32', 2) as tf.Tensor2D;
    const a = memberLoss(member, x, y, 0).dataSync()[0];
    const b = memberLossGradients(member, x, y, 0).loss.dataSync()[0];
    expect(Math.abs(a - b)).toBeLessThan(1e-5 * Math.max(1, Math.abs(a)));
    member.mlp.dispose();
    member.bounds?.dispose();
  });
});
