/** PlaNet-style rounds of a latent job: collect with the latent MPC, refit on all data, then control. */
import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runLatentJob, type LatentJobEvent, type LatentJobSpec } from '../../../src-main/engine/jobs/latent-job';
import { mpcRoundUnits } from '../../../src-main/engine/jobs/latent-rounds';
import type { JobContext } from '../../../src-main/engine/jobs/job';
import type { LatentWorldModel } from '../../../src-main/mbrl/models/latent';
import { useWasmBackend } from '../../mbrl/models/latent/latent-test-setup';
import { LatentJobSpec as LatentJobSpecSchema, parseWith } from '../../../src-main/protocol';

beforeAll(useWasmBackend);

const spec: LatentJobSpec = {
  task: 'pendulum-pixels',
  image: { width: 16, height: 16, frameStack: 2 },
  collect: { episodes: 2, steps: 12, actionRepeat: 4, seed: 1 },
  model: { kind: 'deterministic', latentDim: 3, stages: [{ patch: 4, channels: 4 }], hidden: [16], dynamicsHidden: [16], rewardHidden: [8], activation: 'relu', rolloutSteps: 3, rewardScale: 'sqrt', rewardFocus: { above: -1, weight: 2 }, weights: { rollout: 2 }, seed: 0 },
  fit: { epochs: 2, batchSize: 8, learningRate: 1e-3, valFraction: 0.2, seed: 0 },
  mpcRounds: { rounds: 2, episodes: 1, epochs: 1, noise: 0.3 },
  plan: { episodes: 1, steps: 4, mode: 'reward', planner: 'cem', horizon: 3, cem: { population: 20, iterations: 2, eliteFraction: 0.2, alpha: 0.1 }, seed: 5 },
  maxCodes: 1000,
};

function context() {
  const events: LatentJobEvent[] = [];
  const progress: { done: number; total: number; message?: string }[] = [];
  const ctx: JobContext = { jobId: 'r1', signal: new AbortController().signal, emit: () => {}, progress: (done, total, message) => progress.push({ done, total, message }) };
  return { ctx, events, progress, emit: (e: LatentJobEvent) => events.push(e) };
}

describe('latent job with mpcRounds', () => {
  it('collects each round with the latent MPC, refits on all episodes (curves continue the epoch count), then controls', async () => {
    const before = tf.memory().numTensors;
    const { ctx, events, progress, emit } = context();
    const out = await runLatentJob(spec, ctx, emit);
    expect(out).not.toBeNull();
    // 2 random episodes + 2 rounds × 1 MPC episode, 12 steps each.
    expect(out!.data.size).toBe(4 * 12);
    // The spec's model fields reach the model (here the reward head's scale and focus).
    expect((out!.model as LatentWorldModel).rewardScale).toBe('sqrt');
    expect((out!.model as LatentWorldModel).config.rewardFocus).toEqual({ above: -1, weight: 2 });
    const curves = events.filter((e) => e.type === 'latent/curve');
    expect(curves.map((c) => c.epoch)).toEqual([1, 2, 3, 4]);
    for (const c of curves) {
      expect(c.epochs).toBe(4);
      expect(Number.isFinite(c.train.rollout)).toBe(true);
    }
    // The codes cover every transition, MPC rounds' included.
    const codes = events.find((e) => e.type === 'latent/codes')!;
    expect(codes.codes).toHaveLength(48 * 3);
    expect(events.filter((e) => e.type === 'latent/episode').map((e) => e.controller)).toEqual(['latent']);
    expect(progress.some((p) => /round 2 of 2: MPC episode 1 of 1/.test(p.message ?? ''))).toBe(true);
    // Progress: 2 episodes + 2 epochs + 2 rounds × (1 episode + 1 epoch) + 1 control episode, only forward.
    const total = 2 + 2 + mpcRoundUnits(spec.mpcRounds) + 1;
    expect(mpcRoundUnits(spec.mpcRounds)).toBe(4);
    for (const p of progress) expect(p.total).toBe(total);
    for (let i = 1; i < progress.length; i++) expect(progress[i].done).toBeGreaterThanOrEqual(progress[i - 1].done);
    expect(progress[progress.length - 1].done).toBe(total);
    out!.model.dispose();
    expect(tf.memory().numTensors).toBe(before);
  }, 120_000);

  it('collects the rounds without plan.offsetCorrection: the same data as the plain planner', async () => {
    const run = async (withCorrection: boolean) => {
      const { ctx, emit } = context();
      const plan = withCorrection ? { ...spec.plan!, offsetCorrection: { smoothing: 0, gain: 1 } } : spec.plan!;
      const out = (await runLatentJob({ ...spec, mpcRounds: { ...spec.mpcRounds!, rounds: 1 }, plan: { ...plan, episodes: 0 } }, ctx, emit))!;
      out.model.dispose();
      return out.data;
    };
    const plain = await run(false);
    const corrected = await run(true);
    expect(corrected.size).toBe(plain.size);
    expect(Array.from(corrected.act)).toEqual(Array.from(plain.act));
  }, 120_000);

  it('needs latent CEM on the learned reward to collect with; the baselines skip the rounds', async () => {
    const { ctx } = context();
    await expect(runLatentJob({ ...spec, plan: { ...spec.plan!, mode: 'goal' } }, ctx, () => {})).rejects.toThrow(/needs plan.mode 'reward' and plan.planner 'cem'/);
    const { ctx: c2, events, emit } = context();
    expect(await runLatentJob({ ...spec, plan: { ...spec.plan!, controller: 'random' } }, c2, emit)).toBeNull();
    expect(events.some((e) => e.type === 'latent/curve')).toBe(false);
    expect(events.filter((e) => e.type === 'latent/episode')).toHaveLength(1);
  }, 120_000);
});

describe('latent job with collect.exploringStarts', () => {
  it('adds random episodes from the exploring starts (the pendulum anywhere, at rest) after the task-start ones; control starts as the task defines', async () => {
    const { ctx, events, progress, emit } = context();
    const exploring = { ...spec, collect: { ...spec.collect!, exploringStarts: { episodes: 3, steps: 6 } }, mpcRounds: undefined, fit: { ...spec.fit, epochs: 1 } };
    const out = await runLatentJob(exploring, ctx, emit);
    expect(out).not.toBeNull();
    const data = out!.data;
    // 2 task-start episodes × 12 steps, then 3 exploring-start episodes × 6 steps.
    expect(data.size).toBe(2 * 12 + 3 * 6);
    const angle = (row: number) => Math.atan2(data.states[row * 3 + 1], data.states[row * 3]);
    for (const row of [0, 12]) expect(Math.abs(angle(row))).toBeGreaterThan(Math.PI - 0.11);
    const starts = [24, 30, 36];
    // Started at rest (the stack's one settling step leaves them slow).
    for (const row of starts) expect(Math.abs(data.states[row * 3 + 2])).toBeLessThan(1);
    expect(new Set(starts.map((r) => angle(r).toFixed(3))).size).toBe(3);
    expect(events.find((e) => e.type === 'latent/collected')).toMatchObject({ episodes: 5, transitions: 42 });
    expect(progress.some((p) => /exploring starts: episode 3 of 3/.test(p.message ?? ''))).toBe(true);
    // Progress: 2 + 3 episodes + 1 epoch + 1 control episode.
    for (const p of progress) expect(p.total).toBe(7);
    expect(progress[progress.length - 1].done).toBe(7);
    out!.model.dispose();
  }, 120_000);

  it('collects a list of sets in order, each over its own range', async () => {
    const { ctx, progress, emit } = context();
    const sets = [{ episodes: 2, steps: 5 }, { episodes: 3, steps: 4, maxAngle: 0.3, maxSpeed: 1.5 }];
    const exploring = { ...spec, collect: { ...spec.collect!, exploringStarts: sets }, mpcRounds: undefined, fit: { ...spec.fit, epochs: 1 } };
    const out = await runLatentJob(exploring, ctx, emit);
    const data = out!.data;
    expect(data.size).toBe(2 * 12 + 2 * 5 + 3 * 4);
    const angle = (row: number) => Math.atan2(data.states[row * 3 + 1], data.states[row * 3]);
    // The second set starts within 0.3 rad of upright (plus the one settling step), turning at up to 1.5 rad/s.
    for (const row of [34, 38, 42]) expect(Math.abs(angle(row))).toBeLessThan(0.3 + 0.1);
    expect(new Set([34, 38, 42].map((r) => data.states[r * 3 + 2].toFixed(2))).size).toBe(3);
    for (const p of progress) expect(p.total).toBe(2 + 5 + 1 + 1);
    out!.model.dispose();
  }, 120_000);

  it('is refused for a task without exploring starts, before collecting', async () => {
    const { ctx, events, emit } = context();
    const pointMass = { ...spec, task: 'point-mass-pixels', collect: { ...spec.collect!, exploringStarts: { episodes: 1 } }, mpcRounds: undefined };
    await expect(runLatentJob(pointMass, ctx, emit)).rejects.toThrow(/collect.exploringStarts: task point-mass-pixels has no exploring starts/);
    expect(events).toHaveLength(0);
  });
});

describe('the shipped pendulum-from-pixels preset', () => {
  it('validates as a latent job spec: anti-aliased frames, exploring starts near upright with speed, lecture model with the multi-step terms, MPC rounds, offset-free CEM on the learned reward', () => {
    const json: unknown = JSON.parse(readFileSync(new URL('../../../resources/presets/latent/latent-pendulum-pixels.json', import.meta.url), 'utf8'));
    const parsed = parseWith(LatentJobSpecSchema, json);
    expect(parsed.ok, parsed.ok ? '' : parsed.error).toBe(true);
    if (!parsed.ok) return;
    const p = parsed.value;
    expect(p.task).toBe('pendulum-pixels');
    expect(p.model.kind).toBe('deterministic');
    expect(p.model.rolloutSteps).toBeGreaterThan(1);
    expect(p.image?.supersample).toBeGreaterThan(1);
    expect(p.collect?.exploringStarts?.some((set) => (set.maxSpeed ?? 0) > 0 && (set.maxAngle ?? Math.PI) < Math.PI)).toBe(true);
    expect(p.model.overshootEvery).toBeGreaterThan(0);
    expect(p.mpcRounds?.rounds).toBeGreaterThan(0);
    expect(p.plan).toMatchObject({ mode: 'reward', planner: 'cem', episodes: 20 });
    expect(p.plan?.offsetCorrection?.whenRewardAbove).toBeLessThan(0);
  });
});
