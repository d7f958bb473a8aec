import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-layers';
import { beforeAll, describe, expect, it } from 'vitest';
import { ConvKernelCache } from '../../../../src-main/mbrl/models/video/conv-kernel-cache';
import { sequenceLoss, VideoPredictionModel } from '../../../../src-main/mbrl/models/video';
import { useCpuBackend } from '../../tf-setup';

beforeAll(useCpuBackend);

describe('ConvKernelCache', () => {
  it('makes each slice once, keeps flipped kernels past a tidy, and frees them on dispose', () => {
    const cache = new ConvKernelCache();
    const w = tf.randomNormal([3, 3, 4, 2], 0, 1, 'float32', 1) as tf.Tensor4D;
    let made = 0;
    tf.tidy(() => {
      const a = cache.slice('w:0', () => (made++, tf.slice(w, [0, 0, 0, 0], [-1, -1, 2, -1]) as tf.Tensor4D));
      const b = cache.slice('w:0', () => (made++, tf.slice(w, [0, 0, 0, 0], [-1, -1, 2, -1]) as tf.Tensor4D));
      expect(b).toBe(a);
      expect(cache.flipped('w:0', a)).toBe(cache.flipped('w:0', a));
    });
    expect(made).toBe(1);
    const before = tf.memory().numTensors;
    const kept = cache.flipped('w:0', w);
    expect(kept.isDisposed).toBe(false);
    expect(tf.memory().numTensors).toBe(before);
    cache.dispose();
    expect(kept.isDisposed).toBe(true);
    w.dispose();
  });

  it('gives a video model the same loss and gradients as without it, with tensors flat', () => {
    const model = VideoPredictionModel.create({ imageSize: 16, channels: 3, actDim: 2, widths: [4, 8, 8], kernels: 3, kernelSize: 5, kernelKind: 'shift', skips: 1, context: 2, seed: 3 });
    const T = 6;
    const B = 3;
    const frames = Array.from({ length: T }, (_, t) => tf.randomUniform([B, 16, 16, 3], 0, 1, 'float32', 10 + t) as tf.Tensor4D);
    const actions = Array.from({ length: T - 1 }, (_, t) => tf.randomUniform([B, 2], -1, 1, 'float32', 20 + t) as tf.Tensor2D);
    const truth = Array.from({ length: T - 1 }, (_, t) => Array.from({ length: B }, (_, b) => t < 1 || b === 0));
    const grads = (cache?: ConvKernelCache) => {
      const { value, grads } = tf.variableGrads(() => sequenceLoss(model, frames, actions, truth, { skipAlignWeight: 0.1, cache }), model.variables);
      cache?.dispose();
      return { value, grads };
    };
    const plain = grads();
    const start = tf.memory().numTensors;
    const cached = grads(new ConvKernelCache());
    expect(cached.value.dataSync()[0]).toBeCloseTo(plain.value.dataSync()[0], 6);
    for (const v of model.variables) {
      const a = plain.grads[v.name].dataSync();
      const b = cached.grads[v.name].dataSync();
      const scale = Math.max(1e-6, ...Array.from(a, Math.abs));
      a.forEach((x, i) => expect(Math.abs(x - b[i]) / scale).toBeLessThan(1e-4));
    }
    // Only the loss and one gradient per variable outlive the computation.
    expect(tf.memory().numTensors).toBe(start + 1 + model.variables.length);
    tf.dispose([plain.value, cached.value, ...Object.values(plain.grads), ...Object.values(cached.grads), ...frames, ...actions]);
    model.dispose();
  });
});
