/** readRollout: one plan's rollout read back as arrays, equal to the tensors', and nothing left behind. */
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { movingSquareEpisodes, oneHotPixelMaps, readRollout, VideoPredictionModel } from '../../../../src-main/mbrl/models/video';
import { useCpuBackend } from '../../tf-setup';

const S = 16;
let model: VideoPredictionModel;

beforeAll(async () => {
  await useCpuBackend();
  model = VideoPredictionModel.create({ imageSize: S, channels: 3, actDim: 2, widths: [4, 8, 8], kernels: 3, kernelSize: 5, context: 2, skips: 1, seed: 3 });
});
afterAll(() => model.dispose());

const episode = movingSquareEpisodes({ size: S, channels: 3, side: 4, pxPerAction: 1.5, episodes: 1, steps: 1, seed: 5 })[0];
const context = { frames: Float32Array.from(episode.frames, (v) => v / 255), actions: Float32Array.from(episode.actions) };
const plan = Float32Array.from([0.5, -0.2, 1, 0.3, -0.7, 0.9]); // 3 steps
const maps = oneHotPixelMaps([{ x: 5, y: 6 }, { x: 9, y: 9 }], S);

describe('readRollout', () => {
  it("returns the rollout's frames [H, S, S, C] and maps [H, S, S, D] as the tensors hold them, and frees them", async () => {
    const before = tf.memory().numTensors;
    const read = await readRollout(model, context, plan, maps);
    expect(tf.memory().numTensors).toBe(before);
    const expected = tf.tidy(() => {
      const r = model.rollout({ context: tf.tensor(context.frames, [1, 2, S, S, 3]) as tf.Tensor5D, contextActions: tf.tensor3d(context.actions, [1, 1, 2]), actions: tf.tensor3d(plan, [1, 3, 2]), pixelMaps: tf.tensor4d(maps, [1, S, S, 2]) });
      return [r.frames.dataSync(), r.pixelMaps!.dataSync()];
    });
    expect(read.frames.length).toBe(3 * S * S * 3);
    expect(read.maps.length).toBe(3 * S * S * 2);
    expect(Array.from(read.frames)).toEqual(Array.from(expected[0]));
    expect(Array.from(read.maps)).toEqual(Array.from(expected[1]));
  });

  it('returns no maps without designated pixels, and refuses a plan that is not whole steps', async () => {
    const read = await readRollout(model, context, plan, null);
    expect(read.frames.length).toBe(3 * S * S * 3);
    expect(read.maps.length).toBe(0);
    const before = tf.memory().numTensors;
    await expect(readRollout(model, context, plan.subarray(0, 5), maps)).rejects.toThrow(/a plan of 5 values is not whole steps of 2 actions/);
    expect(tf.memory().numTensors).toBe(before);
  });
});
