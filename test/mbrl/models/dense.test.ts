import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { dense } from '../../../src-main/mbrl/models/dense';
import { useCpuBackend } from '../tf-setup';

beforeAll(useCpuBackend);

describe('dense (custom gradient)', () => {
  it('has the same value and gradients as x·W + b', () => {
    const x = tf.randomNormal([7, 5], 0, 1, 'float32', 1) as tf.Tensor2D;
    const w = tf.variable(tf.randomNormal([5, 3], 0, 1, 'float32', 2)) as tf.Variable<tf.Rank.R2>;
    const b = tf.variable(tf.randomNormal([3], 0, 1, 'float32', 3)) as tf.Variable<tf.Rank.R1>;
    const loss = (f: () => tf.Tensor) => () => tf.sum(tf.square(f())) as tf.Scalar;
    const builtin = tf.variableGrads(loss(() => tf.add(tf.matMul(x, w), b)), [w, b]);
    const custom = tf.variableGrads(loss(() => dense(x, w, b)), [w, b]);
    expect(custom.value.dataSync()[0]).toBeCloseTo(builtin.value.dataSync()[0], 3);
    for (const name of Object.keys(builtin.grads)) {
      const a = builtin.grads[name].dataSync();
      const c = custom.grads[name].dataSync();
      a.forEach((v, i) => expect(c[i]).toBeCloseTo(v, 3));
    }
    // The input's gradient too (the layer below depends on it).
    const dx = tf.grad((xi: tf.Tensor) => tf.sum(tf.square(dense(xi as tf.Tensor2D, w, b))))(x).dataSync();
    const dxRef = tf.grad((xi: tf.Tensor) => tf.sum(tf.square(tf.add(tf.matMul(xi as tf.Tensor2D, w), b))))(x).dataSync();
    dxRef.forEach((v, i) => expect(dx[i]).toBeCloseTo(v, 3));
  });
});
