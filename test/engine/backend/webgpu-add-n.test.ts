import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { addNInChunks } from '../../../src-main/engine/backend/webgpu-add-n';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

/** The cpu backend's AddN, recording how many inputs each call took. */
function countingAddN(calls: number[]): tf.KernelFunc {
  const kernel = tf.getKernel(tf.AddN, 'cpu')!.kernelFunc;
  return (args) => {
    calls.push((args.inputs as unknown as tf.TensorInfo[]).length);
    return kernel(args);
  };
}

function sumInChunks(values: number[][], maxInputs: number, calls: number[]): number[] {
  const tensors = values.map((v) => tf.tensor1d(v));
  const backend = tf.backend();
  const result = addNInChunks({ inputs: tensors as unknown as tf.NamedTensorInfoMap, backend, attrs: {} }, countingAddN(calls), maxInputs);
  const out = Array.from(backend.readSync(result.dataId) as Float32Array);
  backend.disposeData(result.dataId);
  tf.dispose(tensors);
  return out;
}

describe('addNInChunks', () => {
  it('sums 20 inputs with no call taking more than the limit, and releases the partial sums', () => {
    const values = Array.from({ length: 20 }, (_, i) => [i + 1, -2 * i, 0.5]);
    const before = tf.memory().numBytes;
    const calls: number[] = [];
    const sum = sumInChunks(values, 7, calls);
    expect(sum).toEqual([210, -380, 10]);
    expect(Math.max(...calls)).toBeLessThanOrEqual(7);
    // 20 inputs at 7 a call: three chunk sums (7, 7, 6), then one call over those three.
    expect(calls).toEqual([7, 7, 6, 3]);
    expect(tf.memory().numBytes).toBe(before);
  });

  it('passes a short sum straight to the kernel, and carries a lone leftover input up a level', () => {
    const short: number[] = [];
    expect(sumInChunks([[1], [2], [3]], 3, short)).toEqual([6]);
    expect(short).toEqual([3]);
    const leftover: number[] = [];
    // 7 inputs at 3 a call: chunks of 3, 3 and a lone 1 that joins the next level unsummed.
    expect(sumInChunks([[1], [2], [3], [4], [5], [6], [7]], 3, leftover)).toEqual([28]);
    expect(leftover).toEqual([3, 3, 3]);
  });

  it('refuses a limit below two inputs', () => {
    expect(() => sumInChunks([[1], [2], [3]], 1, [])).toThrow(/at least 2/);
  });
});
