import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  bottleneckSize,
  cdnaVariableShapes,
  movingSquareEpisodes,
  sequenceLoss,
  shiftKernels,
  applyKernels,
  VideoPredictionModel,
  WindowSampler,
  type VideoModelConfig,
} from '../../../../src-main/mbrl/models/video';
import { useCpuBackend } from '../../tf-setup';

const base: VideoModelConfig = { imageSize: 16, channels: 3, actDim: 2, widths: [4, 8, 8], kernels: 3, kernelSize: 5, context: 2, seed: 3 };

beforeAll(async () => {
  await useCpuBackend();
});

/** One moving-square window of `length` 16×16 frames as per-step tensors (call inside tf.tidy). */
function squareWindow(length: number): { frames: tf.Tensor4D[]; actions: tf.Tensor2D[] } {
  const episodes = movingSquareEpisodes({ size: 16, channels: 3, side: 4, pxPerAction: 1.5, episodes: 1, steps: length - 1, seed: 2 });
  const batch = new WindowSampler(episodes, { size: 16, channels: 3, actDim: 2 }, length).take([0]);
  const frames = Array.from({ length }, (_, t) => tf.tensor4d(batch.frames.subarray(t * 768, (t + 1) * 768), [1, 16, 16, 3]));
  const actions = Array.from({ length: length - 1 }, (_, t) => tf.tensor2d(batch.actions.subarray(t * 2, t * 2 + 2), [1, 2]));
  return { frames, actions };
}

describe('CdnaNetwork pools (bottleneck resolution)', () => {
  it('runs the recurrent state at S / 2^pools and still predicts full-resolution masks', () => {
    for (const pools of [1, 2, 3]) {
      const config = { ...base, pools };
      const sb = 16 / 2 ** pools;
      expect(bottleneckSize(config)).toBe(sb);
      const kernelHead = cdnaVariableShapes(config).find(([name]) => name === 'kernels/w')![1];
      expect(kernelHead).toEqual([sb * sb * 8, 3 * 25]);
      const model = VideoPredictionModel.create(config);
      tf.tidy(() => {
        const step = model.network.step(tf.fill([2, 16, 16, 3], 0.5) as tf.Tensor4D, tf.zeros([2, 2]) as tf.Tensor2D, model.network.zeroState(2));
        expect(step.hidden.shape).toEqual([2, sb, sb, 8]);
        expect(step.masks.shape).toEqual([2, 16, 16, 4]);
        expect(step.kernels.shape).toEqual([2, 5, 5, 3]);
      });
      model.dispose();
    }
  });

  it('a config without pools (models saved before the field) is the 3-pool network, weight for weight', async () => {
    const legacy = VideoPredictionModel.create(base);
    const three = VideoPredictionModel.create({ ...base, pools: 3 });
    expect(cdnaVariableShapes(base)).toEqual(cdnaVariableShapes({ ...base, pools: 3 }));
    const artifacts = await legacy.save();
    const json = JSON.parse(JSON.stringify(artifacts.modelJson)) as { config: Record<string, unknown> };
    expect(json.config.pools).toBeUndefined();
    const loaded = VideoPredictionModel.load({ modelJson: json, weightData: artifacts.weightData.slice(0) });
    tf.tidy(() => {
      const frame = tf.randomUniform([1, 16, 16, 3], 0, 1, 'float32', 4) as tf.Tensor4D;
      const action = tf.tensor2d([[0.3, -0.7]]);
      const a = legacy.network.step(frame, action, legacy.network.zeroState(1)).masks.dataSync();
      expect(Array.from(three.network.step(frame, action, three.network.zeroState(1)).masks.dataSync())).toEqual(Array.from(a));
      expect(Array.from(loaded.network.step(frame, action, loaded.network.zeroState(1)).masks.dataSync())).toEqual(Array.from(a));
    });
    [legacy, three, loaded].forEach((m) => m.dispose());
  });

  it('rejects pools outside 1–3 and frame sizes that 2^pools does not divide, naming the field', () => {
    expect(() => VideoPredictionModel.create({ ...base, pools: 0 })).toThrow(/pools must be 1, 2 or 3, got 0/);
    expect(() => VideoPredictionModel.create({ ...base, pools: 4 })).toThrow(/pools must be 1, 2 or 3, got 4/);
    expect(() => VideoPredictionModel.create({ ...base, pools: 1.5 })).toThrow(/pools must be 1, 2 or 3/);
    expect(() => VideoPredictionModel.create({ ...base, imageSize: 12 })).toThrow(/imageSize must be a multiple of 8 \(2\^pools\), got 12/);
    const twelve = VideoPredictionModel.create({ ...base, imageSize: 12, pools: 2 });
    expect(twelve.network.zeroState(1).shape).toEqual([1, 3, 3, 8]);
    twelve.dispose();
  });

  it('every weight of a 2-pool network gets a finite, non-zero gradient from the sequence loss', () => {
    const model = VideoPredictionModel.create({ ...base, pools: 2 });
    tf.tidy(() => {
      const { frames, actions } = squareWindow(4);
      const { grads } = tf.variableGrads(() => sequenceLoss(model, frames, actions, [[true], [false], [false]]), model.variables);
      for (const [name, g] of Object.entries(grads)) {
        const v = g.dataSync();
        expect(v.every(Number.isFinite), name).toBe(true);
        expect(v.some((x) => x !== 0), name).toBe(true);
      }
    });
    model.dispose();
  });
});

describe("shift kernels (kernelKind 'shift')", () => {
  /** Sum and weighted mean offset (x, y) from the centre of kernel m of sample 0: [B, k, k, K]. */
  function moments(kernels: tf.Tensor4D, m: number) {
    const [, k, , K] = kernels.shape;
    const v = kernels.dataSync();
    let sum = 0;
    let x = 0;
    let y = 0;
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < k; j++) {
        const w = v[(i * k + j) * K + m];
        sum += w;
        x += w * (j - (k - 1) / 2);
        y += w * (i - (k - 1) / 2);
      }
    }
    return { sum, x, y };
  }

  it('draws each kernel as the bilinear weights of a sub-pixel shift r·tanh(z), summing to 1', () => {
    tf.tidy(() => {
      const cases = [
        [0.3, -1.2],
        [1.25, 0.5],
        [-1.9, 1.99],
        [0, 0],
      ];
      const z = tf.tensor2d([cases.flat().map((d) => Math.atanh(d / 2))]);
      const kernels = shiftKernels(z, 5);
      expect(kernels.shape).toEqual([1, 5, 5, 4]);
      cases.forEach(([dx, dy], m) => {
        const { sum, x, y } = moments(kernels, m);
        expect(sum).toBeCloseTo(1, 5);
        expect(x).toBeCloseTo(dx, 4);
        expect(y).toBeCloseTo(dy, 4);
      });
      expect(kernels.dataSync().every((w) => w >= 0)).toBe(true);
    });
  });

  it('moves an image by the shift (a blend of the two nearest whole-pixel shifts)', () => {
    tf.tidy(() => {
      // A bright column at x = 5 on a 12-wide image, moved by a shift of 1.25 px: the kernel reads
      // the pixel 1.25 to the right, so the column lands at 3.75 (0.75 at x 4 and 0.25 at x 3).
      const image = tf.tensor4d(Array.from({ length: 12 * 12 }, (_, i) => (i % 12 === 5 ? 1 : 0)), [1, 12, 12, 1]);
      const moved = applyKernels(image, shiftKernels(tf.tensor2d([[Math.atanh(1.25 / 2), 0]]), 5)).dataSync();
      const row = Array.from({ length: 12 }, (_, x) => moved[6 * 12 + x]);
      expect(row[4]).toBeCloseTo(0.75, 5);
      expect(row[3]).toBeCloseTo(0.25, 5);
      expect(row.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 5);
    });
  });

  it('a shift network predicts K distinct initial shifts, its kernel head has 2 outputs a kernel, and every weight learns', () => {
    const config: VideoModelConfig = { ...base, kernels: 4, kernelKind: 'shift' };
    expect(cdnaVariableShapes(config).find(([name]) => name === 'kernels/b')![1]).toEqual([8]);
    const model = VideoPredictionModel.create(config);
    tf.tidy(() => {
      const { frames, actions } = squareWindow(4);
      const step = model.network.step(frames[0], actions[0], model.network.zeroState(1));
      const shifts = [0, 1, 2, 3].map((m) => moments(step.kernels, m));
      // About 1 px in four directions (the kernel head's weights start small).
      shifts.forEach((m) => expect(Math.hypot(m.x, m.y)).toBeGreaterThan(0.7));
      expect(Math.hypot(shifts[0].x - shifts[2].x, shifts[0].y - shifts[2].y)).toBeGreaterThan(1.4);
      const { grads } = tf.variableGrads(() => sequenceLoss(model, frames, actions, [[true], [false], [false]]), model.variables);
      for (const [name, g] of Object.entries(grads)) expect(g.dataSync().some((x) => x !== 0), name).toBe(true);
    });
    model.dispose();
  });

  it('with temporal skips: J more mask channels, a skip head fed by the state and the action, and every weight learns', () => {
    const config: VideoModelConfig = { ...base, kernels: 2, kernelKind: 'shift', skips: 2 };
    const shapes = new Map(cdnaVariableShapes(config));
    expect(shapes.get('masks/b')).toEqual([2 + 1 + 2]);
    expect(shapes.get('skips/wa')).toEqual([2, 4]);
    expect(shapes.get('skips/b')).toEqual([4]);
    expect(cdnaVariableShapes({ ...config, skips: 0 }).some(([name]) => name.startsWith('skips/'))).toBe(false);
    const model = VideoPredictionModel.create(config);
    tf.tidy(() => {
      const { frames, actions } = squareWindow(5);
      const step = model.network.step(frames[0], actions[0], model.network.zeroState(1));
      expect(step.masks.shape).toEqual([1, 16, 16, 3]);
      expect(step.skipMasks!.shape).toEqual([1, 16, 16, 2]);
      // One softmax over the previous frame's and the skips' channels.
      const total = tf.add(tf.sum(step.masks, 3), tf.sum(step.skipMasks!, 3)).dataSync();
      total.forEach((t) => expect(t).toBeCloseTo(1, 5));
      expect(step.skipSteps!.shape).toEqual([1, 2, 2]);
      // The skip head starts small: the skips begin near the first frame, unmoved.
      step.skipSteps!.dataSync().forEach((d) => expect(Math.abs(d)).toBeLessThan(1));
      const { grads } = tf.variableGrads(() => sequenceLoss(model, frames, actions, [[true], [false], [false], [false]]), model.variables);
      for (const [name, g] of Object.entries(grads)) expect(g.dataSync().some((x) => x !== 0), name).toBe(true);
    });
    model.dispose();
  });

  it("is 'softmax' when absent (models saved before the field) and rejects other kinds, naming the field", () => {
    expect(cdnaVariableShapes(base).find(([name]) => name === 'kernels/b')![1]).toEqual([3 * 25]);
    expect(() => VideoPredictionModel.create({ ...base, kernelKind: 'flow' as never })).toThrow(/kernelKind must be one of softmax, shift, got flow/);
  });
});
