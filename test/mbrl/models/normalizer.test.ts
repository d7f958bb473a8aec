import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { Normalizer } from '../../../src-main/mbrl/models';
import { useCpuBackend } from '../tf-setup';

beforeAll(useCpuBackend);

describe('Normalizer', () => {
  it('standardizes each column and round-trips', () => {
    const data = new Float32Array([1, 10, 3, 30, 5, 50, 7, 70]); // 4 rows × 2
    const n = Normalizer.fit(data, 2);
    expect(Array.from(n.mean)).toEqual([4, 40]);
    const x = tf.tensor2d(data, [4, 2]);
    const z = n.normalize(x);
    const colMean = tf.mean(z, 0).dataSync();
    const colStd = tf.sqrt(tf.mean(tf.square(z), 0)).dataSync();
    expect(Math.abs(colMean[0])).toBeLessThan(1e-6);
    expect(colStd[1]).toBeCloseTo(1, 5);
    expect(Array.from(n.denormalize(z).dataSync())).toEqual(Array.from(data).map((v) => expect.closeTo(v, 4)));
    tf.dispose([x, z]);
    n.dispose();
  });

  it('keeps constant columns finite and survives JSON', () => {
    const n = Normalizer.fit(new Float32Array([2, 1, 2, 3]), 2);
    expect(n.std[0]).toBe(1);
    const back = Normalizer.fromJSON(JSON.parse(JSON.stringify(n.toJSON())));
    expect(Array.from(back.mean)).toEqual(Array.from(n.mean));
    expect(Array.from(back.std)).toEqual(Array.from(n.std));
    expect(Array.from(n.normalizeArray(new Float32Array([2, 3])))).toEqual([0, Array.from(n.normalizeArray(new Float32Array([2, 3])))[1]]);
  });

  it('rejects data that do not make whole rows', () => {
    expect(() => Normalizer.fit(new Float32Array(5), 2)).toThrow(/rows of 2/);
  });
});
