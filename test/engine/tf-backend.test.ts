import * as tf from '@tensorflow/tfjs-core';
import { describe, expect, it } from 'vitest';
import { chooseBackend, describeBackend } from '../../src-main/engine/tf-backend';

describe('tfjs backend choice', () => {
  it('takes the fastest that loads and says why faster ones were passed over', async () => {
    const report = await chooseBackend();
    expect(tf.getBackend()).toBe(report.backend);
    if (report.backend !== 'tensorflow') {
      // Here (no libtensorflow): both native packages are passed over with a reason each.
      expect(report.attempts[0]).toMatch(/^tfjs-node-gpu: (not installed|installed without its native library)/);
      expect(report.attempts[1]).toMatch(/^tfjs-node: (not installed|installed without its native library)/);
      expect(describeBackend(report)).toMatch(/^(wasm|cpu) \(tfjs-node-gpu: /);
    }
    expect(tf.sum(tf.ones([3])).dataSync()[0]).toBe(3);
  });

  it('a forced backend is used, or fails with the reason', async () => {
    expect((await chooseBackend('cpu')).backend).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    const native = await chooseBackend('tfjs-node').catch((e: Error) => e);
    if (native instanceof Error) expect(native.message).toMatch(/no TensorFlow.js backend could be loaded \(tfjs-node: /);
  });
});
