/** The latent pipeline job: collect on an image task, train with per-term curves, stream codes and strips, control from pixels. */
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runLatentJob, type LatentJobEvent, type LatentJobSpec } from '../../../src-main/engine/jobs/latent-job';
import type { JobContext } from '../../../src-main/engine/jobs/job';
import { useWasmBackend } from '../../mbrl/models/latent/latent-test-setup';

beforeAll(useWasmBackend);

const spec: LatentJobSpec = {
  task: 'point-mass-pixels',
  collect: { episodes: 3, steps: 20, actionRepeat: 2, seed: 1 },
  model: { kind: 'e2c', latentDim: 2, stages: [{ patch: 4, channels: 8 }], hidden: [32], dynamicsHidden: [16], rewardHidden: [], activation: 'relu', seed: 0 },
  fit: { epochs: 2, batchSize: 20, learningRate: 1e-3, valFraction: 0.2, seed: 0 },
  plan: { episodes: 1, steps: 4, mode: 'goal', planner: 'ilqr', horizon: 4, ilqr: { iterations: 3, stateCost: 0.1, finalStateCost: 10, actionCost: 0.01 }, seed: 5 },
  colourBy: 0,
  strip: { frames: 4, ahead: 2 },
};

/** A job context that records progress; `emit` records events and cancels after epoch `abortAfterEpoch`. */
function context(abortAfterEpoch?: number) {
  const controller = new AbortController();
  const events: LatentJobEvent[] = [];
  const progress: number[] = [];
  const ctx: JobContext = { jobId: 'j1', signal: controller.signal, emit: () => {}, progress: (done) => progress.push(done) };
  const emit = (e: LatentJobEvent) => {
    events.push(e);
    if (abortAfterEpoch !== undefined && e.type === 'latent/curve' && e.epoch >= abortAfterEpoch) controller.abort();
  };
  return { ctx, events, progress, emit };
}

describe('runLatentJob', () => {
  it('collects, trains (one curve per epoch with every term), streams codes and frame strips, and plans with iLQR toward the goal image', async () => {
    const before = tf.memory().numTensors;
    const { ctx, events, progress, emit } = context();
    const out = await runLatentJob(spec, ctx, emit);
    expect(out).not.toBeNull();
    const collected = events.find((e) => e.type === 'latent/collected')!;
    expect(collected).toMatchObject({ episodes: 3, transitions: 60, imageShape: [40, 40, 3] });
    const curves = events.filter((e) => e.type === 'latent/curve');
    expect(curves.map((c) => c.epoch)).toEqual([1, 2]);
    for (const c of curves) for (const n of ['reconstruction', 'nextReconstruction', 'kl', 'consistency', 'total']) expect(Number.isFinite(c.train[n]) && Number.isFinite(c.val[n])).toBe(true);
    const codes = events.find((e) => e.type === 'latent/codes')!;
    expect(codes.codes).toBeInstanceOf(Float32Array);
    expect(codes.codes).toHaveLength(60 * 2);
    expect(codes.colour).toHaveLength(60);
    // The colour is the true x of the point mass at each observation (state dim 0).
    expect(codes.colour[1]).toBe(codes.states[1 * codes.stateDim]);
    // 2-D codes are drawn as they are (z = 0), with each code's own frame for hover.
    expect(codes.xyz).toHaveLength(60 * 3);
    expect([codes.xyz[3], codes.xyz[4], codes.xyz[5]]).toEqual([codes.codes[2], codes.codes[3], 0]);
    expect(codes.frames).toHaveLength(60 * 40 * 40 * 3);
    expect([codes.height, codes.width]).toEqual([40, 40]);
    const frames = events.find((e) => e.type === 'latent/frames')!;
    for (const strip of [frames.observed, frames.reconstructed, frames.predicted]) {
      expect(strip).toBeInstanceOf(Uint8Array);
      expect(strip).toHaveLength(4 * 40 * 40 * 3);
    }
    expect(frames.ahead).toBe(2);
    const plans = events.filter((e) => e.type === 'latent/plan');
    expect(plans.length).toBeGreaterThan(0);
    for (const p of plans) {
      expect(p.planCodes).toHaveLength((4 + 1) * 2);
      expect(p.planXyz).toHaveLength((4 + 1) * 3);
      for (const a of p.action) expect(Math.abs(a)).toBeLessThanOrEqual(1);
    }
    const episodes = events.filter((e) => e.type === 'latent/episode');
    expect(episodes).toHaveLength(1);
    // Judged on the true state by the point mass's predicate: the final distance to the goal.
    expect(episodes[0]).toMatchObject({ controller: 'latent', steps: 4 });
    expect(typeof episodes[0].success).toBe('boolean');
    expect(episodes[0].measures.finalDistance).toBeCloseTo(-episodes[0].finalReward, 5);
    // Progress only moves forward and reaches the total (3 episodes + 2 epochs + 1 control episode).
    for (let i = 1; i < progress.length; i++) expect(progress[i]).toBeGreaterThanOrEqual(progress[i - 1]);
    expect(progress[progress.length - 1]).toBe(6);
    out!.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('stops when cancelled during training, without planning', async () => {
    const { ctx, events, emit } = context(1);
    const out = await runLatentJob({ ...spec, fit: { ...spec.fit, epochs: 20 } }, ctx, emit);
    expect(events.filter((e) => e.type === 'latent/curve')).toHaveLength(1);
    expect(events.some((e) => e.type === 'latent/plan')).toBe(false);
    out?.model.dispose();
  }, 60_000);

  it('runs the baselines without training: the same planner on the true state, and random actions, on the same start/goal pairs', async () => {
    const before = tf.memory().numTensors;
    const plan = { ...spec.plan!, episodes: 2, steps: 60, horizon: 10, ilqr: { iterations: 10, stateCost: 0.1, finalStateCost: 10, actionCost: 0.01 } };
    const rows = async (controller: 'true-state' | 'random') => {
      const { ctx, events, progress, emit } = context();
      const out = await runLatentJob({ ...spec, collect: { episodes: 20, steps: 50, seed: 1 }, plan: { ...plan, controller } }, ctx, emit);
      expect(out).toBeNull(); // nothing trained
      expect(events.some((e) => e.type === 'latent/curve' || e.type === 'latent/codes')).toBe(false);
      expect(progress[progress.length - 1]).toBe(20 + 2); // collection + control episodes, no epochs
      return events.filter((e) => e.type === 'latent/episode');
    };
    const truth = await rows('true-state');
    const random = await rows('random');
    expect(truth.map((e) => e.controller)).toEqual(['true-state', 'true-state']);
    expect(random.map((e) => e.controller)).toEqual(['random', 'random']);
    // iLQR on the linear model fitted to 1000 true-state transitions ends on both goals; random walks end far away.
    for (const e of truth) expect(e.success).toBe(true);
    for (let i = 0; i < 2; i++) expect(random[i].measures.finalDistance).toBeGreaterThan(0.5);
    expect(tf.memory().numTensors).toBe(before);
  }, 60_000);

  it('rejects iLQR without a goal before collecting', async () => {
    const { ctx, events } = context();
    await expect(runLatentJob({ ...spec, plan: { ...spec.plan!, mode: 'reward', controller: 'true-state' } }, ctx, (e) => events.push(e))).rejects.toThrow(/plans toward a goal: set plan.mode to 'goal'/);
    expect(events).toHaveLength(0);
  });

  it('names the problem for a planner the model cannot use', async () => {
    const { ctx } = context();
    await expect(runLatentJob({ ...spec, model: { ...spec.model, kind: 'stochastic' }, plan: { ...spec.plan!, planner: 'ilqr' } }, ctx, () => {})).rejects.toThrow(/needs an E2C model/);
  }, 60_000);
  it('feeds plan.offsetCorrection into the latent CEM: the first plan is as without it, later plans carry the offset', async () => {
    const plans = async (offsetCorrection?: { smoothing: number; gain: number }) => {
      const { ctx, events, emit } = context();
      const lecture: LatentJobSpec = {
        ...spec,
        model: { ...spec.model, kind: 'deterministic', rewardHidden: [8] },
        fit: { ...spec.fit, epochs: 1 },
        plan: { episodes: 1, steps: 3, mode: 'reward', planner: 'cem', horizon: 3, cem: { population: 16, iterations: 1, eliteFraction: 0.25, alpha: 0 }, seed: 5, ...(offsetCorrection ? { offsetCorrection } : {}) },
      };
      await runLatentJob(lecture, ctx, emit);
      return events.flatMap((e) => (e.type === 'latent/plan' ? [e] : []));
    };
    const plain = await plans();
    const corrected = await plans({ smoothing: 0, gain: 1 });
    expect(corrected[0].step).toBe(0);
    expect(Array.from(corrected[0].planCodes)).toEqual(Array.from(plain[0].planCodes));
    const last = (list: typeof plain) => list[list.length - 1];
    expect(last(corrected).step).toBe(last(plain).step);
    expect(Array.from(last(corrected).planCodes)).not.toEqual(Array.from(last(plain).planCodes));
  }, 60_000);

  it('renders the collected frames with image.supersample: averaged rays give the partly covered edge pixels grey levels', async () => {
    const greyLevels = async (supersample: number) => {
      const { ctx, events, emit } = context();
      const small: LatentJobSpec = {
        task: 'pendulum-pixels',
        image: { width: 16, height: 16, supersample },
        collect: { episodes: 1, steps: 6, seed: 3 },
        model: { kind: 'deterministic', latentDim: 2, stages: [], hidden: [4], dynamicsHidden: [4], rewardHidden: [4], activation: 'relu', seed: 0 },
        fit: { epochs: 1, batchSize: 6, learningRate: 1e-3, valFraction: 0, seed: 0 },
        colourBy: 0,
      };
      await runLatentJob(small, ctx, emit);
      const codes = events.find((e) => e.type === 'latent/codes')!;
      return new Set(codes.frames).size;
    };
    // One ray per pixel paints each pixel in one of a few flat colours; 4 × 4 rays mix them at every edge.
    expect(await greyLevels(4)).toBeGreaterThan(2 * (await greyLevels(1)));
  }, 60_000);
});
