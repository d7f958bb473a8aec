import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { depthToSpace, patchConv, patchDeconv, spaceToDepth } from '../../../../src-main/mbrl/models/latent';
import { createLinear } from '../../../../src-main/mbrl/models/latent/patch-conv';
import { Rng } from '../../../../src-main/mbrl/util';
import { useWasmBackend } from './latent-test-setup';

beforeAll(useWasmBackend);

describe('patch convolutions', () => {
  it('spaceToDepth gathers each p×p patch row-major, channels last, and depthToSpace undoes it', () => {
    const x = tf.tensor4d(Float32Array.from({ length: 4 * 4 * 2 }, (_, i) => i), [1, 4, 4, 2]);
    const y = spaceToDepth(x, 2);
    expect(y.shape).toEqual([1, 2, 2, 8]);
    // Top-left patch: pixels (0,0), (0,1), (1,0), (1,1), two channels each.
    expect(Array.from(y.dataSync().slice(0, 8))).toEqual([0, 1, 2, 3, 8, 9, 10, 11]);
    expect(Array.from(depthToSpace(y, 2).dataSync())).toEqual(Array.from(x.dataSync()));
    tf.dispose([x, y]);
  });

  it('a patch conv equals tf.conv2d with kernel = stride = p, valid padding', () => {
    const rng = new Rng(1);
    const layer = createLinear(2 * 2 * 3, 5, rng);
    const x = tf.randomNormal([2, 6, 8, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
    const ours = patchConv(x, layer, 2, false);
    const kernel = tf.reshape(layer.kernel, [2, 2, 3, 5]) as tf.Tensor4D;
    const ref = tf.add(tf.conv2d(x, kernel, 2, 'valid'), layer.bias);
    expect(ours.shape).toEqual([2, 3, 4, 5]);
    expect(tf.max(tf.abs(tf.sub(ours, ref))).dataSync()[0]).toBeLessThan(1e-4);
    // Training path (custom-gradient dense) computes the same values.
    expect(tf.max(tf.abs(tf.sub(patchConv(x, layer, 2, true), ref))).dataSync()[0]).toBeLessThan(1e-4);
    tf.dispose([x, ours, kernel, ref, layer.kernel, layer.bias]);
  });

  it('a patch deconv equals tf.conv2dTranspose with kernel = stride = p, and gradients flow to its weights', () => {
    const rng = new Rng(2);
    const layer = createLinear(4, 2 * 2 * 3, rng);
    const x = tf.randomNormal([1, 3, 3, 4], 0, 1, 'float32', 5) as tf.Tensor4D;
    const ours = patchDeconv(x, layer, 2, false);
    // conv2dTranspose's filter is [p, p, out, in]: our kernel [in, p·p·out] reshaped and transposed.
    const filter = tf.transpose(tf.reshape(layer.kernel, [4, 2, 2, 3]), [1, 2, 3, 0]) as tf.Tensor4D;
    const bias = tf.tile(tf.reshape(layer.bias, [2, 2, 3]), [3, 3, 1]);
    const ref = tf.add(tf.conv2dTranspose(x, filter, [1, 6, 6, 3], 2, 'valid'), bias);
    expect(tf.max(tf.abs(tf.sub(ours, ref))).dataSync()[0]).toBeLessThan(1e-4);
    const grads = tf.variableGrads(() => tf.sum(tf.square(patchDeconv(x, layer, 2, true))) as tf.Scalar, [layer.kernel, layer.bias]);
    for (const g of Object.values(grads.grads)) expect(tf.sum(tf.abs(g)).dataSync()[0]).toBeGreaterThan(0);
    tf.dispose([x, ours, filter, bias, ref, grads.value, ...Object.values(grads.grads), layer.kernel, layer.bias]);
  });
});
