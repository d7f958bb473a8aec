/**
 * The tracking term of video training (fit option trackWeight): the object's point, put on the last
 * context frame and moved by the model's own predicted kernels and masks, against where the object
 * truly is. It must be exactly what a planner's rollout computes for a designated pixel, reach the
 * weights through its gradient, and refuse windows without points.
 */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { fitVideoModel, movingSquareEpisodes, pointPixelMaps, sequenceLoss, VideoPredictionModel, WindowSampler, type VideoModelConfig, type WindowBatch } from '../../../../src-main/mbrl/models/video';
import { Rng } from '../../../../src-main/mbrl/util';
import { useCpuBackend } from '../../tf-setup';

beforeAll(useCpuBackend);

const S = 16;
const config: VideoModelConfig = { imageSize: S, channels: 3, actDim: 2, widths: [4, 8, 8], kernels: 2, kernelSize: 3, context: 2, skips: 1, seed: 1 };
const episodes = movingSquareEpisodes({ size: S, channels: 3, side: 4, pxPerAction: 1.5, steps: 8, episodes: 4, seed: 3 });
const L = 5;
const B = 3;
const batch = new WindowSampler(episodes, { size: S, channels: 3, actDim: 2 }, L).sample(B, new Rng(4));
/** Own predictions after the context, as a rollout makes them. */
const truthMask = Array.from({ length: L - 1 }, (_, t) => Array.from({ length: B }, () => t + 1 < config.context));

/** The batch as sequenceLoss takes it: L frames [B, S, S, 3] and L − 1 actions [B, 2]. */
function perStep(w: WindowBatch) {
  const F = S * S * 3;
  const frames = Array.from({ length: L }, (_, t) => tf.tensor4d(Float32Array.from({ length: B * F }, (_, i) => w.frames[(Math.floor(i / F) * L + t) * F + (i % F)]), [B, S, S, 3]));
  const actions = Array.from({ length: L - 1 }, (_, t) => tf.tensor2d(Float32Array.from({ length: B * 2 }, (_, i) => w.actions[(Math.floor(i / 2) * (L - 1) + t) * 2 + (i % 2)]), [B, 2]));
  return { frames, actions };
}

describe('tracking term', () => {
  it("adds trackWeight × the mean expected distance of a rollout's pixel maps to the true points", () => {
    const model = VideoPredictionModel.create(config);
    const { frames, actions } = perStep(batch);
    try {
      const plain = tf.tidy(() => sequenceLoss(model, frames, actions, truthMask).dataSync()[0]);
      const tracked = tf.tidy(() => sequenceLoss(model, frames, actions, truthMask, { trackWeight: 2, points: batch.points }).dataSync()[0]);
      // The planner's view: P₀ at the last context frame's point, moved by the rollout under the later actions.
      const ctx = config.context;
      const point = (b: number, t: number) => ({ x: batch.points![2 * (b * L + t)], y: batch.points![2 * (b * L + t) + 1] });
      const expected = tf.tidy(() => {
        const maps = Float32Array.from({ length: B * S * S }, (_, i) => pointPixelMaps([point(Math.floor(i / (S * S)), ctx - 1)], S)[i % (S * S)]);
        const rollout = model.rollout({
          context: tf.stack(frames.slice(0, ctx), 1) as tf.Tensor5D,
          contextActions: tf.stack(actions.slice(0, ctx - 1), 1) as tf.Tensor3D,
          actions: tf.stack(actions.slice(ctx - 1), 1) as tf.Tensor3D,
          pixelMaps: tf.tensor4d(maps, [B, S, S, 1]),
        });
        const P = rollout.pixelMaps!.arraySync() as number[][][][][];
        tf.dispose([rollout.frames, rollout.pixelMaps!]);
        const H = L - ctx;
        let sum = 0;
        for (let h = 0; h < H; h++) {
          for (let b = 0; b < B; b++) {
            const p = point(b, ctx + h);
            for (let y = 0; y < S; y++) for (let x = 0; x < S; x++) sum += P[b][h][y][x][0] * Math.hypot(x - p.x, y - p.y);
          }
        }
        return sum / (B * H);
      });
      expect(expected).toBeGreaterThan(0.1);
      expect(tracked - plain).toBeCloseTo(2 * expected, 4);
    } finally {
      tf.dispose([...frames, ...actions]);
      model.dispose();
    }
  });

  it('sends a gradient to the weights in proportion to its weight, and leaves tensors flat', () => {
    const model = VideoPredictionModel.create(config);
    const { frames, actions } = perStep(batch);
    try {
      const before = tf.memory().numTensors;
      const grads = (w: number) =>
        tf.tidy(() => {
          const { grads: g } = tf.variableGrads(() => sequenceLoss(model, frames, actions, truthMask, { trackWeight: w, points: batch.points }), model.variables);
          return model.variables.map((v) => Array.from(g[v.name].dataSync()));
        });
      const [g0, g1, g2] = [grads(0), grads(1), grads(2)];
      expect(tf.memory().numTensors).toBe(before);
      let largest = 0;
      g0.forEach((g, i) =>
        g.forEach((v, k) => {
          const d1 = g1[i][k] - v;
          largest = Math.max(largest, Math.abs(d1));
          expect(g2[i][k] - v).toBeCloseTo(2 * d1, 5);
        }),
      );
      expect(largest).toBeGreaterThan(1e-4);
    } finally {
      tf.dispose([...frames, ...actions]);
      model.dispose();
    }
  });

  it('refuses windows without points, or with points of another size, naming what is missing', async () => {
    const model = VideoPredictionModel.create(config);
    const { frames, actions } = perStep(batch);
    try {
      expect(() => tf.tidy(() => sequenceLoss(model, frames, actions, truthMask, { trackWeight: 1 }))).toThrow(/trackWeight needs the tracked object point/);
      expect(() => tf.tidy(() => sequenceLoss(model, frames, actions, truthMask, { trackWeight: 1, points: new Float32Array(4) }))).toThrow(/4 point values for 3 windows of 5 frames/);
      const recorded = episodes.map(({ frames: f, actions: a }) => ({ frames: f, actions: a }));
      await expect(fitVideoModel(model, recorded, { steps: 1, batchSize: 2, learningRate: 1e-3, horizon: 3, samplingRampSteps: 0, reportEvery: 1, seed: 0, trackWeight: 1 })).rejects.toThrow(/trackWeight needs the object's point .* 4 of 4 episodes have none/);
    } finally {
      tf.dispose([...frames, ...actions]);
      model.dispose();
    }
  });
});
