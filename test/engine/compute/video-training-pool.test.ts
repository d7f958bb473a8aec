/**
 * Data-parallel video-model training: shards of each minibatch computed on worker threads must give
 * the whole batch's gradient, a sharded fit must follow the serial one, the workers' tensors stay
 * flat, bad requests fail with a clear error without ending the pool, and no thread outlives it.
 */
import { availableParallelism } from 'node:os';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { chooseBackend } from '../../../src-main/engine/tf-backend';
import { liveVideoTrainingWorkers, VideoTrainingPool, videoTrainingThreads, withVideoTrainingShards } from '../../../src-main/engine/compute/video-training-pool';
import { fitVideoModel, movingSquareEpisodes, readWeights, shardGradients, splitBatch, VideoPredictionModel, WindowSampler, type VideoModelConfig } from '../../../src-main/mbrl/models/video';
import { Rng } from '../../../src-main/mbrl/util';
import { makePixelEnv, randomPushingTasks } from '../../../src-main/mbrl/env';
import { DEFAULT_FORESIGHT } from '../../../src-main/mbrl/planning';
import { readModelXml } from '../../../src-main/engine/resources';
import { runPlannerEpisode } from '../../../src-main/engine/jobs/foresight-planner-episode';

const config: VideoModelConfig = { imageSize: 16, channels: 3, actDim: 2, widths: [4, 8, 8], kernels: 2, kernelSize: 3, context: 2, skips: 1, seed: 1 };
/** Every extra loss term on, so that a worker that dropped one (or the windows' points) would compute another gradient or fail. */
const lossWeights = { motionWeight: 4, skipAlignWeight: 2, trackWeight: 3 };
const episodes = movingSquareEpisodes({ size: 16, channels: 3, side: 4, pxPerAction: 1.5, steps: 10, episodes: 6, seed: 3 });
const L = 5;

/** A minibatch of `rows` windows with a mixed scheduled-sampling mask (true frames in the context). */
function minibatch(rows: number, seed: number) {
  const rng = new Rng(seed);
  const batch = new WindowSampler(episodes, { size: 16, channels: 3, actDim: 2 }, L).sample(rows, rng);
  const truthMask = Array.from({ length: L - 1 }, (_, t) => Array.from({ length: rows }, () => t + 1 < config.context || rng.nextFloat() < 0.5));
  return { batch, truthMask };
}

const maxAbs = (a: ArrayLike<number>) => Array.from(a).reduce((m, v) => Math.max(m, Math.abs(v)), 0);

describe('video training pool', () => {
  let pool: VideoTrainingPool;
  beforeAll(async () => {
    await chooseBackend('wasm');
    pool = await VideoTrainingPool.create({ workers: 2, backend: 'wasm', config });
  }, 60_000);
  afterAll(async () => {
    await pool.dispose();
    expect(liveVideoTrainingWorkers()).toBe(0);
  });

  it("uses one thread per core ('auto', at most 8), never more than the batch's windows", () => {
    expect(videoTrainingThreads('auto', 64)).toBe(Math.min(8, availableParallelism()));
    expect(videoTrainingThreads(3, 64)).toBe(3);
    expect(videoTrainingThreads(6, 4)).toBe(4);
    expect(videoTrainingThreads(1, 8)).toBe(1);
  });

  it("computes the whole batch's gradient from the shards (row-weighted), and keeps its tensors flat", async () => {
    const model = VideoPredictionModel.create(config);
    try {
      const { batch, truthMask } = minibatch(5, 7);
      const whole = shardGradients(model, { batch, truthMask }, lossWeights);
      const wholeGrads = whole.gradients.map((g) => g.dataSync() as Float32Array);
      const wholeLoss = whole.loss.dataSync()[0];
      tf.dispose([whole.loss, ...whole.gradients]);
      const parts = splitBatch(batch, truthMask, 3);
      expect(parts.map((p) => p.batch.batch)).toEqual([2, 2, 1]);
      const weights = readWeights(model);
      const before = await pool.workerTensors();
      const remote = await Promise.all([pool.gradients(0, weights, parts[1], lossWeights), pool.gradients(1, weights, parts[2], lossWeights)]);
      expect(await pool.workerTensors()).toEqual(before);
      const local = shardGradients(model, parts[0], lossWeights);
      const localGrads = local.gradients.map((g) => g.dataSync() as Float32Array);
      const localLoss = local.loss.dataSync()[0];
      tf.dispose([local.loss, ...local.gradients]);
      const share = [2 / 5, 2 / 5, 1 / 5];
      // Equal up to float32 rounding (relative: the tracking term makes the loss a few px, not ~1e-3).
      expect(Math.abs(share[0] * localLoss + share[1] * remote[0].loss + share[2] * remote[1].loss - wholeLoss)).toBeLessThan(1e-6 * wholeLoss);
      wholeGrads.forEach((g, i) => {
        const combined = g.map((_, k) => share[0] * localGrads[i][k] + share[1] * remote[0].gradients[i][k] + share[2] * remote[1].gradients[i][k]);
        const diff = combined.map((v, k) => v - g[k]);
        expect(maxAbs(diff)).toBeLessThanOrEqual(1e-5 * maxAbs(g) + 1e-9);
      });
      // Gradients differ between shards (they see different windows), so the test would notice a shard left out.
      expect(maxAbs(remote[0].gradients[0].map((v, k) => v - localGrads[0][k]))).toBeGreaterThan(1e-6);
    } finally {
      model.dispose();
    }
  }, 60_000);

  it('trains as the serial fit does: the same losses up to float rounding', async () => {
    const options = { steps: 6, batchSize: 6, learningRate: 3e-3, horizon: 3, samplingRampSteps: 3, reportEvery: 2, seed: 5 };
    const serial = VideoPredictionModel.create(config);
    const sharded = VideoPredictionModel.create(config);
    try {
      const a = await fitVideoModel(serial, episodes, options, undefined, undefined, episodes);
      const b = await fitVideoModel(sharded, episodes, options, undefined, undefined, episodes, pool);
      expect(b.map((r) => r.step)).toEqual(a.map((r) => r.step));
      b.forEach((r, i) => {
        expect(Math.abs(r.trainLoss - a[i].trainLoss)).toBeLessThan(1e-3 * a[i].trainLoss);
        expect(Math.abs(r.valLoss - a[i].valLoss)).toBeLessThan(1e-3 * a[i].valLoss);
      });
    } finally {
      serial.dispose();
      sharded.dispose();
    }
  }, 120_000);

  it("runs a planner episode on a worker exactly as on the calling thread, and keeps the worker's tensors flat", async () => {
    const model = VideoPredictionModel.create(config);
    const env = await makePixelEnv('planar-push-pixels', readModelXml, { width: 16, height: 16 });
    try {
      const [task, other] = randomPushingTasks(env.camera, (s) => (env.reset(s), env.state()), { count: 2, seed: 40, minDistance: 3, maxDistance: 5, marginFraction: 0.19 });
      const settings = { planning: { ...DEFAULT_FORESIGHT, horizon: 4, hold: 2, population: 6, iterations: 2, chunk: 6 }, steps: 4, noise: 0.3 };
      const weights = readWeights(model);
      const local = await runPlannerEpisode(env, model, task, settings);
      const before = await pool.workerTensors();
      const remote = await pool.plannerEpisode(1, weights, { task: 'planar-push-pixels', size: 16 }, task, settings);
      expect(await pool.workerTensors()).toEqual(before);
      for (const key of ['frames', 'states', 'actions', 'rewards', 'terminated', 'points'] as const) expect(Array.from(remote[key]!)).toEqual(Array.from(local[key]!));
      // Another task is another episode (the reply is not a cached one).
      const next = await pool.plannerEpisode(1, weights, { task: 'planar-push-pixels', size: 16 }, other, settings);
      expect(Array.from(next.states)).not.toEqual(Array.from(local.states));
      await expect(pool.plannerEpisode(0, weights, { task: 'no-such-task', size: 16 }, task, settings)).rejects.toThrow(/no-such-task/);
    } finally {
      model.dispose();
      env.dispose();
    }
  }, 120_000);

  it('answers a malformed request with an error naming it, and goes on working', async () => {
    const model = VideoPredictionModel.create(config);
    try {
      const { batch, truthMask } = minibatch(2, 9);
      await expect(pool.gradients(0, readWeights(model), { batch, truthMask: truthMask.slice(1) }, {})).rejects.toThrow(/truthMask has 3 steps for windows of 5 frames/);
      await expect(pool.gradients(0, readWeights(model).slice(1), { batch, truthMask }, {})).rejects.toThrow(/weight arrays for/);
      const ok = await pool.gradients(0, readWeights(model), { batch, truthMask }, {});
      expect(Number.isFinite(ok.loss)).toBe(true);
    } finally {
      model.dispose();
    }
  }, 60_000);

  it('runs a fit on the calling thread when one thread is asked for or the workers cannot start, and ends its own pool after', async () => {
    let seen: unknown[] = [];
    await withVideoTrainingShards(1, 8, config, async (shards, where) => void (seen = [shards, where]));
    expect(seen).toEqual([undefined, '']);
    const before = liveVideoTrainingWorkers();
    await withVideoTrainingShards(2, 8, config, async (shards, where) => {
      expect(shards?.count).toBe(1);
      expect(where).toBe(' on 2 threads');
      expect(liveVideoTrainingWorkers()).toBe(before + 1);
    });
    expect(liveVideoTrainingWorkers()).toBe(before);
    // Workers that cannot start (a model config they refuse): the fit runs here and says why.
    await withVideoTrainingShards(2, 8, { ...config, kernels: 0 }, async (shards, where) => void (seen = [shards, where]));
    expect(seen[0]).toBeUndefined();
    expect(seen[1]).toMatch(/^ on one thread \(worker threads did not start: .*kernels/);
    expect(liveVideoTrainingWorkers()).toBe(before);
  }, 60_000);
});
