import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { runForesightRounds, type ForesightRoundSettings } from '../../../src-main/engine/jobs/foresight-rounds';
import { runPlannerEpisode, type PlannerEpisodeThreads } from '../../../src-main/engine/jobs/foresight-planner-episode';
import { readModelXml } from '../../../src-main/engine/resources';
import { collectImageEpisodes, makePixelEnv } from '../../../src-main/mbrl/env';
import { DEFAULT_VIDEO_FIT, DEFAULT_VIDEO_MODEL, VideoPredictionModel, writeWeights } from '../../../src-main/mbrl/models/video';
import { DEFAULT_FORESIGHT } from '../../../src-main/mbrl/planning';
import { useCpuBackend } from '../../mbrl/tf-setup';

beforeAll(useCpuBackend);

/** Tiny sizes: the test checks what the rounds collect and fit, not that the plans improve (docs/RESULTS.md). */
const S = 16;
const settings: ForesightRoundSettings = { rounds: 2, episodes: 2, steps: 3, fitSteps: 2, noise: 0.3, weight: 3 };
const planning = { ...DEFAULT_FORESIGHT, horizon: 2, population: 4, iterations: 1, chunk: 4 };
const fit = { ...DEFAULT_VIDEO_FIT, steps: 2, batchSize: 2, horizon: 2, reportEvery: 1, samplingRampSteps: 1 };

async function setUp(task = 'planar-push-pixels') {
  const env = await makePixelEnv(task, readModelXml, { width: S, height: S });
  const model = VideoPredictionModel.create({ ...DEFAULT_VIDEO_MODEL, widths: [4, 4, 4], kernels: 2, imageSize: S, channels: 3, actDim: env.actionSpace.size });
  const random = await collectImageEpisodes(env, { episodes: 2, steps: 4, seed: 1 });
  return { env, model, random };
}

const weightsOf = (model: VideoPredictionModel) => model.variables.map((v) => Array.from(v.dataSync()));

describe('runForesightRounds', () => {
  it('adds the planner episodes of every round and fits the model further on them', async () => {
    const { env, model, random } = await setUp();
    try {
      const before = weightsOf(model);
      const ends: [number, number, number][] = [];
      const rounds: [number, number[]][] = [];
      const tensors = tf.memory().numTensors;
      const out = await runForesightRounds(settings, random, {
        env,
        model,
        planning,
        fit,
        seed: 7,
        validation: random.slice(0, 1),
        onEpisode: (r, done, d) => ends.push([r, done, d]),
        onRound: (r, finals) => rounds.push([r, finals]),
      });
      expect(tf.memory().numTensors).toBe(tensors);
      expect(out.episodes).toHaveLength(4);
      for (const e of out.episodes) {
        expect(e.actions).toHaveLength(settings.steps * 2);
        expect(e.frames).toHaveLength((settings.steps + 1) * S * S * 3);
        for (const a of e.actions) expect(Math.abs(a)).toBeLessThanOrEqual(1);
      }
      // Round 2's tasks are not round 1's: other starts.
      expect(Array.from(out.episodes[2].frames.subarray(0, S * S * 3))).not.toEqual(Array.from(out.episodes[0].frames.subarray(0, S * S * 3)));
      expect(ends.map(([r, done]) => [r, done])).toEqual([
        [1, 1],
        [1, 2],
        [2, 1],
        [2, 2],
      ]);
      for (const [, , d] of ends) expect(d).toBeGreaterThanOrEqual(0);
      expect(rounds.map(([r, f]) => [r, f.length])).toEqual([
        [1, 2],
        [2, 2],
      ]);
      // Each round fits fitSteps more, on its own predictions from the start.
      expect(out.reports.map((r) => r.step)).toEqual([1, 2, 1, 2]);
      expect(out.reports.every((r) => r.truthProbability === 0)).toBe(true);
      expect(weightsOf(model)).not.toEqual(before);
    } finally {
      model.dispose();
      env.dispose();
    }
  });

  it('runs episodes on other threads too, with the same episodes in task order as on one thread', async () => {
    const one = await setUp();
    const two = await setUp();
    // A thread in this process, with its own model copy and env, as a pool's worker has.
    const copy = await setUp();
    const calls: string[] = [];
    const threads: PlannerEpisodeThreads = {
      count: 1,
      async plannerEpisode(index, weights, envSpec, task, episodeSettings) {
        calls.push(`${index}:${envSpec.task}@${envSpec.size}:${task.episodeSeed}`);
        writeWeights(copy.model, weights);
        return runPlannerEpisode(copy.env, copy.model, task, episodeSettings);
      },
    };
    try {
      const serial = await runForesightRounds(settings, one.random, { env: one.env, model: one.model, planning, fit, seed: 7, validation: [] });
      const done: number[] = [];
      const shared = await runForesightRounds(settings, two.random, { env: two.env, model: two.model, planning, fit, seed: 7, validation: [], episodeThreads: threads, onEpisode: (_r, n) => done.push(n) });
      // Each round's second task went to the thread (the engine's thread took the first).
      expect(calls).toEqual([`0:planar-push-pixels@${S}:10008`, `0:planar-push-pixels@${S}:20008`]);
      expect(done).toEqual([1, 2, 1, 2]);
      expect(shared.episodes).toHaveLength(serial.episodes.length);
      shared.episodes.forEach((e, i) => {
        expect(Array.from(e.states)).toEqual(Array.from(serial.episodes[i].states));
        expect(Array.from(e.actions)).toEqual(Array.from(serial.episodes[i].actions));
      });
      expect(weightsOf(two.model)).toEqual(weightsOf(one.model));
    } finally {
      for (const s of [one, two, copy]) {
        s.model.dispose();
        s.env.dispose();
      }
    }
  });

  it('stops after the current episode when cancelled, keeping what it collected', async () => {
    const { env, model, random } = await setUp();
    const controller = new AbortController();
    try {
      const out = await runForesightRounds(settings, random, { env, model, planning, fit, seed: 7, validation: [], signal: controller.signal, onEpisode: () => controller.abort() });
      expect(out.episodes).toHaveLength(1);
      expect(out.reports).toHaveLength(0);
    } finally {
      model.dispose();
      env.dispose();
    }
  });

  it("fits on windows of fitHorizon predicted frames when given, else the first fit's horizon", async () => {
    const { env, model, random } = await setUp();
    try {
      const context = { env, model, planning, fit, seed: 7, validation: [] };
      // Random episodes of 4 steps have 5 frames: 2 context + 3 predicted fit, 2 + 4 do not (nor the planner's 3-step ones).
      const fitted = await runForesightRounds({ ...settings, rounds: 1, fitHorizon: 3 }, random, context);
      expect(fitted.reports.map((r) => r.step)).toEqual([1, 2]);
      await expect(runForesightRounds({ ...settings, rounds: 1, fitHorizon: 4 }, random, context)).rejects.toThrow(/no episode has the 6 frames a training window needs/);
    } finally {
      model.dispose();
      env.dispose();
    }
  });

  it('refuses a task without pushing goals, naming the field', async () => {
    const { env, model, random } = await setUp('pendulum-pixels');
    try {
      await expect(runForesightRounds(settings, random, { env, model, planning, fit, seed: 7, validation: [] })).rejects.toThrow(/train\.mpcRounds.*pendulum-pixels/);
    } finally {
      model.dispose();
      env.dispose();
    }
  });
});
