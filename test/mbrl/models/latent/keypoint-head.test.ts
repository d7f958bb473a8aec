/** The spatial-softmax keypoint layer: coordinates of what its filters see, gradients, variables, errors. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { KeypointHead } from '../../../../src-main/mbrl/models/latent/keypoint-head';
import { ImageEncoder } from '../../../../src-main/mbrl/models/latent/image-codec';
import { Rng } from '../../../../src-main/mbrl/util';
import { useWasmBackend } from './latent-test-setup';

beforeAll(useWasmBackend);

/** A [1, H, W, 1] image with one lit square of half-width 1 centred at (row, col). */
function dot(H: number, W: number, row: number, col: number): tf.Tensor4D {
  const x = new Float32Array(H * W);
  for (let r = row - 1; r <= row + 1; r++) for (let c = col - 1; c <= col + 1; c++) x[r * W + c] = 1;
  return tf.tensor4d(x, [1, H, W, 1]);
}

describe('KeypointHead', () => {
  it('puts a keypoint on a lit spot: expected coordinates in [−1, 1] follow the spot (x by column, y by row)', () => {
    const head = new KeypointHead({ channels: 1, kernel: 3 }, [16, 20, 1], new Rng(0));
    // A positive box filter responds most where the spot is; a high inverse temperature sharpens the softmax.
    tf.tidy(() => {
      head.kernel.assign(tf.ones([3, 3, 1, 1]));
      head.logInverseTemperature.assign(tf.scalar(Math.log(20)));
    });
    const at = (row: number, col: number) => tf.tidy(() => head.forward(dot(16, 20, row, col)).arraySync()[0]);
    const [x, y] = at(4, 15);
    expect(x).toBeCloseTo((2 * 15) / 19 - 1, 1);
    expect(y).toBeCloseTo((2 * 4) / 15 - 1, 1);
    const [x2, y2] = at(10, 3);
    expect(x2).toBeLessThan(x);
    expect(y2).toBeGreaterThan(y);
    head.dispose();
  });

  it('returns [B, 2K] and gradients reach its kernel, bias and temperature', () => {
    const head = new KeypointHead({ channels: 3, kernel: 5 }, [12, 12, 2], new Rng(1));
    const x = tf.randomNormal([4, 12, 12, 2], 0, 1, 'float32', 3) as tf.Tensor4D;
    expect(tf.tidy(() => head.forward(x).shape)).toEqual([4, 6]);
    const { grads } = tf.variableGrads(() => tf.sum(tf.square(head.forward(x))) as tf.Scalar, head.namedVariables('k').variables);
    for (const name of Object.keys(grads)) {
      const g = grads[name].dataSync();
      expect(g.every(Number.isFinite)).toBe(true);
      expect(g.some((v) => v !== 0)).toBe(true);
    }
    tf.dispose([x, ...Object.values(grads)]);
    const before = tf.memory().numTensors;
    head.dispose();
    expect(tf.memory().numTensors).toBe(before - 4);
  });

  it('rejects an even kernel and a non-positive channel count, naming the field', () => {
    expect(() => new KeypointHead({ channels: 2, kernel: 4 }, [8, 8, 1], new Rng(0))).toThrow(/keypoints\.kernel/);
    expect(() => new KeypointHead({ channels: 0, kernel: 3 }, [8, 8, 1], new Rng(0))).toThrow(/keypoints\.channels/);
  });
});

describe('ImageEncoder with keypoints', () => {
  const codec = { imageShape: [16, 16, 1] as [number, number, number], stages: [], hidden: [16], activation: 'relu' as const, keypoints: { channels: 4, kernel: 3 } };

  it('codes a moving spot smoothly: neighbouring positions give nearer codes than distant ones', () => {
    const enc = new ImageEncoder(codec, 2, 0);
    const code = (row: number, col: number) => tf.tidy(() => enc.forward(tf.reshape(dot(16, 16, row, col), [1, 256]) as tf.Tensor2D).dataSync() as Float32Array);
    const dist = (a: Float32Array, b: Float32Array) => Math.hypot(a[0] - b[0], a[1] - b[1]);
    const here = code(5, 5);
    expect(dist(here, code(5, 6))).toBeLessThan(dist(here, code(5, 12)));
    expect(dist(here, code(6, 5))).toBeLessThan(dist(here, code(12, 5)));
    enc.dispose();
  });

  it('saves its keypoint variables with the rest, and refuses keypoints together with stages', () => {
    const enc = new ImageEncoder(codec, 2, 0);
    expect(enc.trainable('e').names).toEqual(expect.arrayContaining(['e/keypoints/kernel', 'e/keypoints/bias', 'e/keypoints/logInverseTemperature']));
    // The code is a linear map of the keypoints unless keypoints.hidden says otherwise (codec `hidden` is the decoder's).
    expect(enc.trainable('e').names.filter((n) => n.startsWith('e/fc/'))).toEqual(['e/fc/0/kernel', 'e/fc/0/bias']);
    enc.dispose();
    const deep = new ImageEncoder({ ...codec, keypoints: { ...codec.keypoints, hidden: [8] } }, 2, 0);
    expect(deep.trainable('e').names.filter((n) => n.startsWith('e/fc/'))).toHaveLength(4);
    deep.dispose();
    expect(() => new ImageEncoder({ ...codec, stages: [{ patch: 2, channels: 4 }] }, 2, 0)).toThrow(/keypoints cannot be combined with stages/);
  });

  it('setOutputBias sets the chosen tail of the output bias (a VAE encoder’s log-variance half)', () => {
    const enc = new ImageEncoder(codec, 4, 0);
    enc.setOutputBias(2, -6);
    const zeros = tf.zeros([1, 256]) as tf.Tensor2D;
    const withBias = tf.tidy(() => enc.forward(zeros).dataSync());
    expect(withBias[2]).toBeLessThan(-5);
    expect(withBias[3]).toBeLessThan(-5);
    expect(Math.abs(withBias[0])).toBeLessThan(2);
    zeros.dispose();
    enc.dispose();
  });
});
