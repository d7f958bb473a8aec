import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { BACKEND_PREFERENCE, chooseBackend, describeBackend } from '../../src-main/engine/tf-backend';

/** The real loaders on this machine (fake loaders: test/engine/backend/choose.test.ts). */
describe('tfjs backend choice (real loaders)', () => {
  it('prefers CUDA, then WebGPU, then native CPU, then wasm, then cpu', () => {
    expect(BACKEND_PREFERENCE).toEqual(['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu']);
  });

  it('takes the first that loads and says why earlier ones were passed over', async () => {
    const report = await chooseBackend();
    expect(tf.getBackend()).toBe(report.backend);
    expect(report.source).toBe('preference');
    if (report.provider === 'wasm') {
      // Here (no libtensorflow, no GPU): every faster backend is passed over with a reason.
      expect(report.attempts.slice(0, 3).map((a) => a.split(':')[0])).toEqual(['tfjs-node-gpu', 'webgpu', 'tfjs-node']);
      expect(report.attempts[1]).toMatch(/^webgpu: used only when asked for by name/);
      expect(report.device).toMatch(/^wasm \((SIMD|no SIMD), \d+ threads?\)$/);
      expect(describeBackend(report)).toMatch(/^wasm: wasm \(.*\) \(tfjs-node-gpu: /);
    }
    expect(tf.sum(tf.ones([3])).dataSync()[0]).toBe(3);
  });

  it('a forced backend is used, or fails with the reason', async () => {
    const cpu = await chooseBackend('cpu');
    expect(cpu).toMatchObject({ backend: 'cpu', provider: 'cpu', source: 'override', device: 'JavaScript (1 thread)' });
    expect(tf.getBackend()).toBe('cpu');
    const native = await chooseBackend('tfjs-node').catch((e: Error) => e);
    if (native instanceof Error) expect(native.message).toMatch(/no TensorFlow.js backend could be loaded \(tfjs-node: /);
    // Loading again (the engine switching back) works.
    expect((await chooseBackend('wasm')).backend).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
  });
});
