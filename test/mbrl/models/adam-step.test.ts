import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { AdamStep } from '../../../src-main/mbrl/models';
import { useCpuBackend } from '../tf-setup';

beforeAll(useCpuBackend);
afterAll(useCpuBackend);

/** Runs `steps` updates with fixed pseudo-random gradients; returns the variables' final values. */
function run(update: (vars: tf.Variable[], grads: tf.Tensor[]) => void, steps: number): Float32Array[] {
  const vars = [tf.variable(tf.randomNormal([6, 5], 0, 1, 'float32', 1)), tf.variable(tf.randomNormal([5], 0, 1, 'float32', 2))];
  for (let t = 0; t < steps; t++) {
    const grads = vars.map((v, i) => tf.randomNormal(v.shape, 0, 1 + t, 'float32', 10 * t + i + 1));
    update(vars, grads);
    tf.dispose(grads);
  }
  const out = vars.map((v) => v.dataSync().slice() as Float32Array);
  tf.dispose(vars);
  return out;
}

function expectClose(a: Float32Array[], b: Float32Array[], tol: number): void {
  a.forEach((arr, k) => arr.forEach((x, i) => expect(Math.abs(x - b[k][i])).toBeLessThan(tol)));
}

describe('AdamStep', () => {
  const settings = { learningRate: 0.01 };
  const reference = (steps: number) => {
    const adam = tf.train.adam(0.01, 0.9, 0.999, 1e-7);
    const out = run((vars, grads) => adam.applyGradients(vars.map((v, i) => ({ name: v.name, tensor: grads[i] }))), steps);
    adam.dispose();
    return out;
  };
  const ours = (steps: number) => {
    let adam: AdamStep | null = null;
    const out = run((vars, grads) => {
      adam ??= new AdamStep(vars, settings);
      adam.apply(grads);
    }, steps);
    adam!.dispose();
    return out;
  };

  it('updates on the host (cpu backend) as tf.train.adam does', () => {
    const want = reference(7);
    expectClose(ours(7), want, 2e-6);
    // Not vacuous: the variables moved by about lr per step.
    const start = run(() => {}, 0);
    expect(Math.abs(want[0][0] - start[0][0])).toBeGreaterThan(0.03);
  });

  it('falls back to tf.train.adam itself on a backend without host memory', async () => {
    // 'cpu' registered under another name stands in for a GPU backend (AdamStep decides by name).
    const cpuFactory = tf.findBackendFactory('cpu')!;
    tf.registerBackend('device-stand-in', cpuFactory);
    tf.copyRegisteredKernels('cpu', 'device-stand-in');
    await tf.setBackend('device-stand-in');
    try {
      expect(ours(5)).toEqual(reference(5));
    } finally {
      await tf.setBackend('cpu');
      tf.removeBackend('device-stand-in');
    }
  });

  it('refuses a gradient list of the wrong length', () => {
    const v = tf.variable(tf.zeros([2]));
    const adam = new AdamStep([v], settings);
    expect(() => adam.apply([])).toThrow(/0 gradients for 1 variables/);
    adam.dispose();
    v.dispose();
  });
});
