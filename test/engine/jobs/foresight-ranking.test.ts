import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { rankCandidatesAtStarts } from '../../../src-main/engine/jobs/foresight-ranking';
import { readModelXml } from '../../../src-main/engine/resources';
import { VideoPredictionModel, type RolloutInput } from '../../../src-main/mbrl/models/video';
import { useCpuBackend } from '../../mbrl/tf-setup';

let model: VideoPredictionModel;
beforeAll(async () => {
  await useCpuBackend();
  model = VideoPredictionModel.create({ imageSize: 16, channels: 3, actDim: 2, widths: [4, 4, 4], kernels: 2, kernelSize: 3, context: 2, seed: 0 });
});
afterAll(() => model.dispose());

// The CPU preset's first two tasks; its planner's horizon and held actions.
const options = { evalSize: 64, tasks: { count: 2, seed: 1000, minDistance: 10, maxDistance: 20, marginFraction: 0.19 }, planning: { horizon: 12, hold: 3, chunk: 16 } };

describe('rankCandidatesAtStarts', () => {
  it('scores the same random plans through the model and the simulator at each task start', async () => {
    const tensors = tf.memory().numTensors;
    const ranking = await rankCandidatesAtStarts(model, options, readModelXml, 30);
    expect(tf.memory().numTensors).toBe(tensors);
    expect(ranking.map((r) => r.episodeSeed)).toEqual([1000, 1001]);
    for (const r of ranking) {
      // Standing still (candidate 0) always leaves the block where it is.
      expect(r.idle).toBeGreaterThanOrEqual(1);
      expect(r.idle + r.improving).toBeLessThanOrEqual(30);
      expect(r.pickRegret).toBeGreaterThanOrEqual(0);
      expect(r.idleSpread).toBeGreaterThanOrEqual(0);
      expect(r.spearman).toBeGreaterThanOrEqual(-1);
      expect(r.spearman).toBeLessThanOrEqual(1);
    }
    // Task 1001 starts with the pusher behind the block: many random plans push it closer (the simulator solves it).
    expect(ranking[1].improving).toBeGreaterThan(3);
    // Same seed, same plans, same numbers.
    expect(await rankCandidatesAtStarts(model, options, readModelXml, 30)).toEqual(ranking);
  }, 60_000);

  it("puts the model's cost on the evaluation frame's scale: a model that predicts no motion costs standing still what the simulator does", async () => {
    // A 16 × 16 model whose every rollout keeps the designated pixel's map where it is (its frames are not scored).
    const still = {
      config: model.config,
      rollout: (input: RolloutInput) => {
        const [B, H] = input.actions.shape;
        const S = model.config.imageSize;
        const maps = input.pixelMaps!;
        return {
          frames: tf.zeros([B, H, S, S, model.config.channels]) as tf.Tensor5D,
          pixelMaps: tf.tile(tf.expandDims(maps, 1), [B / maps.shape[0], H, 1, 1, 1]) as tf.Tensor5D,
        };
      },
    } as unknown as VideoPredictionModel;
    const ranking = await rankCandidatesAtStarts(still, options, readModelXml, 4);
    for (const r of ranking) {
      // 12 steps at 10–20 px; the model's 16-px frame is a quarter of the 64-px one, and its P₀ spreads
      // over the pixels around the point (a little more expected distance).
      expect(r.stillCost.simulator).toBeGreaterThan(12 * 9.5);
      expect(r.stillCost.model).toBeGreaterThanOrEqual(r.stillCost.simulator - 0.5);
      expect(r.stillCost.model).toBeLessThan(r.stillCost.simulator * 1.05);
      // Every plan costs the same to it: nothing imagined moves.
      expect(r.idleSpread).toBeCloseTo(0, 3);
    }
  }, 60_000);

  it('refuses fewer than two candidates and a horizon that is not a multiple of hold', async () => {
    await expect(rankCandidatesAtStarts(model, options, readModelXml, 1)).rejects.toThrow(/evaluate\.rankCandidates: need at least 2/);
    await expect(rankCandidatesAtStarts(model, { ...options, planning: { horizon: 10, hold: 3 } }, readModelXml, 4)).rejects.toThrow(/horizon 10 must be a multiple of planning\.hold 3/);
  });
});
