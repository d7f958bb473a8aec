import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { fitVideoModel, movingSquareEpisodes, oneHotPixelMaps, VideoPredictionModel, type VideoModelConfig } from '../../../../src-main/mbrl/models/video';
import { useCpuBackend } from '../../tf-setup';

const config: VideoModelConfig = { imageSize: 16, channels: 3, actDim: 2, widths: [4, 8, 8], kernels: 3, kernelSize: 5, context: 2, seed: 3 };
const S = 16;

beforeAll(useCpuBackend);

/** Two context frames, one action between them, H future actions for B candidates. */
function inputs(B: number, H: number, contextBatch: number) {
  const episodes = movingSquareEpisodes({ size: S, channels: 3, side: 4, pxPerAction: 1.5, episodes: 1, steps: 1, seed: 5 });
  const frames = Float32Array.from(episodes[0].frames, (v) => v / 255);
  const ctx = tf.tile(tf.tensor(frames, [1, 2, S, S, 3]), [contextBatch, 1, 1, 1, 1]) as tf.Tensor5D;
  const ctxActions = tf.tile(tf.tensor3d(episodes[0].actions, [1, 1, 2]), [contextBatch, 1, 1]) as tf.Tensor3D;
  const actions = tf.randomUniform([B, H, 2], -1, 1, 'float32', 9) as tf.Tensor3D;
  const maps = tf.tile(tf.tensor4d(oneHotPixelMaps([{ x: 5, y: 6 }, { x: 9, y: 9 }], S), [1, S, S, 2]), [contextBatch, 1, 1, 1]) as tf.Tensor4D;
  return { context: ctx, contextActions: ctxActions, actions, pixelMaps: maps };
}

describe.each([
  ['without temporal skips', config],
  ['with 2 temporal skips', { ...config, skips: 2 }],
])('VideoPredictionModel %s', (_, modelConfig) => {
  let model: VideoPredictionModel;
  beforeAll(() => {
    model = VideoPredictionModel.create(modelConfig);
  });
  afterAll(() => model.dispose());

  it('rolls out frames in [0, 1] and normalised pixel maps; a shared context equals a repeated one', () => {
    tf.tidy(() => {
      const shared = model.rollout(inputs(4, 5, 1));
      const repeated = model.rollout(inputs(4, 5, 4));
      expect(shared.frames.shape).toEqual([4, 5, S, S, 3]);
      expect(shared.pixelMaps!.shape).toEqual([4, 5, S, S, 2]);
      expect(tf.max(tf.abs(tf.sub(shared.frames, repeated.frames))).dataSync()[0]).toBeLessThan(1e-5);
      expect(tf.min(shared.frames).dataSync()[0]).toBeGreaterThanOrEqual(-1e-6);
      expect(tf.max(shared.frames).dataSync()[0]).toBeLessThanOrEqual(1 + 1e-5);
      const mass = tf.sum(shared.pixelMaps!, [2, 3]).dataSync();
      mass.forEach((m) => expect(m).toBeCloseTo(1, 4));
    });
  });

  it('saves and loads to exactly the same predictions', async () => {
    const artifacts = await model.save();
    const json = JSON.parse(JSON.stringify(artifacts.modelJson));
    const loaded = VideoPredictionModel.load({ modelJson: json, weightData: artifacts.weightData.slice(0) });
    tf.tidy(() => {
      const a = model.rollout(inputs(3, 4, 1));
      const b = loaded.rollout(inputs(3, 4, 1));
      expect(Array.from(b.frames.dataSync())).toEqual(Array.from(a.frames.dataSync()));
      expect(Array.from(b.pixelMaps!.dataSync())).toEqual(Array.from(a.pixelMaps!.dataSync()));
    });
    loaded.dispose();
    expect(() => VideoPredictionModel.load({ modelJson: { ...json, format: 'other' }, weightData: artifacts.weightData })).toThrow(/format is 'other'/);
  });

  it('rejects a bad config, naming the field', () => {
    expect(() => VideoPredictionModel.create({ ...config, imageSize: 20 })).toThrow(/imageSize must be a multiple of 8/);
    expect(() => VideoPredictionModel.create({ ...config, kernelSize: 4 })).toThrow(/kernelSize must be odd/);
    expect(() => VideoPredictionModel.create({ ...config, skips: 5 })).toThrow(/skips must be an integer from 0 to 4, got 5/);
    expect(() => tf.tidy(() => model.rollout({ ...inputs(2, 3, 1), actions: tf.zeros([2, 3, 5]) as tf.Tensor3D }).frames)).toThrow(/actions have 5 dims/);
  });

  it('soak: tensors stay flat over repeated rollouts and training steps', async () => {
    const episodes = movingSquareEpisodes({ size: S, channels: 3, side: 4, pxPerAction: 1.5, episodes: 2, steps: 6, seed: 6 });
    const roll = () => tf.tidy(() => model.rollout(inputs(6, 4, 1)).frames.dataSync());
    roll();
    await fitVideoModel(model, episodes, { steps: 2, batchSize: 2, learningRate: 1e-3, horizon: 3, samplingRampSteps: 1, reportEvery: 1, seed: 1 }, undefined, undefined, episodes);
    const before = tf.memory().numTensors;
    for (let i = 0; i < 4; i++) roll();
    await fitVideoModel(model, episodes, { steps: 3, batchSize: 2, learningRate: 1e-3, horizon: 3, samplingRampSteps: 2, reportEvery: 1, seed: 2 }, undefined, undefined, episodes);
    for (let i = 0; i < 4; i++) roll();
    expect(tf.memory().numTensors).toBe(before);
  });
});
