import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BEFORE_ROUNDS_DIR, loadForesightModel, roundsPlanner, runForesight, scriptedExploration, type ForesightEvent, type ForesightJobSpec } from '../../../src-main/engine/jobs/foresight-job';
import { liveVideoTrainingWorkers } from '../../../src-main/engine/compute/video-training-pool';
import { openLocalDataset } from '../../../src-main/engine/datasets';
import { readModelXml } from '../../../src-main/engine/resources';
import { listForesightPresets } from '../../../src-main/engine/presets';
import { VideoPredictionModel } from '../../../src-main/mbrl/models/video';
import { DEFAULT_FORESIGHT } from '../../../src-main/mbrl/planning';
import { useCpuBackend } from '../../mbrl/tf-setup';

let dir: string;
beforeAll(async () => {
  await useCpuBackend();
  dir = await mkdtemp(join(tmpdir(), 'foresight-job-'));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

/** Tiny sizes: the test checks the pipeline and its events, not learning (see fit-video-model.test.ts). */
const spec: ForesightJobSpec = {
  task: 'planar-push-pixels',
  imageSize: 16,
  collect: { episodes: 3, steps: 6, actionRepeat: 2, seed: 1 },
  model: { widths: [4, 4, 4], kernels: 2 },
  fit: { steps: 2, batchSize: 2, horizon: 2, reportEvery: 1, samplingRampSteps: 1 },
  planning: { horizon: 2, population: 6, iterations: 1, chunk: 6 },
  target: { kind: 'pixels', designated: [{ x: 8, y: 8 }], goals: [{ x: 4, y: 10 }] },
  episodeSteps: 2,
  episodeSeed: 3,
  tracking: 'simulator',
};

function sink(abortOn?: (e: ForesightEvent) => boolean) {
  const controller = new AbortController();
  const events: ForesightEvent[] = [];
  const progress: [number, number][] = [];
  return {
    events,
    progress,
    sink: {
      signal: controller.signal,
      emit: (e: ForesightEvent) => {
        events.push(e);
        if (abortOn?.(e)) controller.abort();
      },
      progress: (done: number, total: number) => progress.push([done, total]),
    },
  };
}

describe('runForesight', () => {
  it('shares each training step between threads as train.fit.workers asks, and ends them after', async () => {
    const trainMessages = async (workers: number, name: string) => {
      const s = sink();
      const outcome = await runForesight({ ...spec, fit: { ...spec.fit, workers } }, join(dir, name), readModelXml, s.sink);
      expect(outcome.status).toBe('finished');
      return s.events.filter((e) => e.type === 'foresight/phase' && e.phase === 'train').map((e) => (e as { message: string }).message);
    };
    expect(await trainMessages(2, 'two-threads')).toEqual(['training 2 steps on 2 threads']);
    expect(liveVideoTrainingWorkers()).toBe(0);
    expect(await trainMessages(1, 'one-thread')).toEqual(['training 2 steps']);
  }, 60_000);

  it('collects, trains, saves the model and streams plans and executed frames', async () => {
    const out = join(dir, 'run');
    const s = sink();
    const tensors = tf.memory().numTensors;
    const outcome = await runForesight(spec, out, readModelXml, s.sink);
    expect(outcome.status).toBe('finished');
    expect(s.events.filter((e) => e.type === 'foresight/phase').map((e) => (e as { phase: string }).phase)).toEqual(['collect', 'train', 'plan', 'done']);
    expect(s.events.filter((e) => e.type === 'foresight/train')).toHaveLength(2);
    const plans = s.events.filter((e) => e.type === 'foresight/plan');
    expect(plans).toHaveLength(2);
    for (const p of plans) {
      expect(p.predictedFrames).toBeInstanceOf(Uint8Array);
      expect(p.predictedFrames.length).toBe(2 * 16 * 16 * 3);
      expect(p.pixelMaps).toBeInstanceOf(Float32Array);
      expect(p.pixelMaps.length).toBe(2 * 16 * 16);
    }
    const executed = s.events.filter((e) => e.type === 'foresight/executed');
    expect(executed).toHaveLength(2);
    expect(executed[1].frame.length).toBe(16 * 16 * 3);
    expect(executed[1].distances[0]).toBeCloseTo(outcome.finalDistances[0], 5);
    expect(outcome.finalDistances[0]).toBeGreaterThanOrEqual(0);
    const modelJson = JSON.parse(await readFile(join(out, 'checkpoints', 'video-model.json'), 'utf8'));
    const weights = await readFile(join(out, 'checkpoints', 'weights.bin'));
    VideoPredictionModel.load({ modelJson, weightData: weights.buffer.slice(weights.byteOffset, weights.byteOffset + weights.byteLength) }).dispose();
    expect((await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n')).toHaveLength(2);
    const reader = await openLocalDataset(join(out, 'data', 'transitions.hdf5'));
    expect(reader.summary.episodes).toHaveLength(3);
    await reader.close();
    expect(tf.memory().numTensors).toBe(tensors);
  }, 60_000);

  it("runs the MPC rounds after the first fit: their episodes saved beside the random ones, the loss curve continued", async () => {
    const out = join(dir, 'rounds');
    const s = sink();
    const mpcRounds = { rounds: 2, episodes: 2, steps: 3, fitSteps: 2, noise: 0.3, weight: 2 };
    const tensors = tf.memory().numTensors;
    // With the tracking term, so that both the random and the planner's episodes must carry the block's points.
    const outcome = await runForesight({ ...spec, fit: { ...spec.fit, workers: 1, trackWeight: 0.5 }, mpcRounds }, out, readModelXml, s.sink);
    expect(outcome.status).toBe('finished');
    const train = s.events.filter((e) => e.type === 'foresight/train').map((e) => [e.report.step, e.report.steps]);
    expect(train).toEqual([1, 2, 3, 4, 5, 6].map((step) => [step, 6]));
    const messages = s.events.filter((e) => e.type === 'foresight/phase' && e.phase === 'train').map((e) => (e as { message: string }).message);
    expect(messages).toHaveLength(3);
    expect(messages[1]).toMatch(/^round 1 of 2: the planner's 2 episodes ended a median \d+\.\d px \(16×16 frame\) from their goals; training 2 steps/);
    expect(messages[2]).toMatch(/^round 2 of 2: /);
    const metrics = (await readFile(join(out, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l));
    expect(metrics.map((m) => [m.step, m.round])).toEqual([[1, undefined], [2, undefined], [3, 1], [4, 1], [5, 2], [6, 2]]);
    const random = await openLocalDataset(join(out, 'data', 'transitions.hdf5'));
    expect(random.summary.episodes).toHaveLength(3);
    await random.close();
    const planned = await openLocalDataset(join(out, 'data', 'planner-rounds.hdf5'));
    expect(planned.summary.episodes).toHaveLength(4);
    await planned.close();
    // The first fit's model is kept as a run folder of its own, and differs from the final one by the rounds' steps.
    const before = await loadForesightModel(join(out, BEFORE_ROUNDS_DIR));
    const after = await loadForesightModel(out);
    const weightsOf = async (m: VideoPredictionModel) => Float32Array.from(new Float32Array((await m.save()).weightData as ArrayBuffer));
    const [w0, w1] = [await weightsOf(before), await weightsOf(after)];
    expect(w0.length).toBe(w1.length);
    expect(w0.some((v, i) => v !== w1[i])).toBe(true);
    expect((await readFile(join(out, BEFORE_ROUNDS_DIR, 'metrics.jsonl'), 'utf8')).trim().split('\n').map((l) => JSON.parse(l).step)).toEqual([1, 2]);
    before.dispose();
    after.dispose();
    expect(tf.memory().numTensors).toBe(tensors);
  }, 60_000);

  it('refuses the tracking term on a task without an object to track, naming the field', async () => {
    const pendulum = { ...spec, task: 'pendulum-pixels', target: { kind: 'image' as const }, tracking: 'model' as const, fit: { ...spec.fit, trackWeight: 1 } };
    await expect(runForesight(pendulum, join(dir, 'no-object'), readModelXml, sink().sink)).rejects.toThrow(/^train\.fit\.trackWeight: task pendulum-pixels has no object to track/);
  });

  it('stops when cancelled during training', async () => {
    const s = sink((e) => e.type === 'foresight/train');
    const outcome = await runForesight({ ...spec, fit: { ...spec.fit, steps: 50 } }, join(dir, 'cancelled'), readModelXml, s.sink);
    expect(outcome.status).toBe('cancelled');
    expect(s.events.filter((e) => e.type === 'foresight/train')).toHaveLength(1);
    expect(s.events.some((e) => e.type === 'foresight/plan')).toBe(false);
  }, 60_000);
});

describe('scriptedExploration', () => {
  it("gives the pushing task's aimed and goal-push explorers as collection options, and names the field it cannot serve", () => {
    const push = scriptedExploration('planar-push-pixels', { aimProbability: 0.7, goalPushEpisodes: 0.5 });
    expect(push.aimProbability).toBe(0.7);
    expect(push.goalPushEpisodes).toBe(0.5);
    expect(typeof push.aim).toBe('function');
    expect(typeof push.goalPush).toBe('function');
    expect(push.goalPush).not.toBe(push.aim);
    expect(scriptedExploration('planar-push-pixels', {})).toEqual({});
    expect(() => scriptedExploration('pendulum-pixels', { aimProbability: 0.5 })).toThrow(/train\.collect\.aimProbability: task pendulum-pixels has no scripted exploration/);
  });
});

describe('roundsPlanner', () => {
  it("takes the rounds' own fields over the evaluation planner's, and the evaluation planner's for the rest", () => {
    const planning = { horizon: 24, hold: 4, population: 80, iterations: 2, noiseBeta: 3, seed: 0 };
    expect(roundsPlanner({ planning })).toEqual({ ...DEFAULT_FORESIGHT, ...planning });
    const rounds = { rounds: 1, episodes: 1, steps: 10, fitSteps: 1, noise: 0, planning: { horizon: 12, hold: 3, population: 40, iterations: 2, seed: 0 } };
    expect(roundsPlanner({ planning, mpcRounds: rounds })).toEqual({ ...DEFAULT_FORESIGHT, ...rounds.planning, noiseBeta: 3 });
  });

  it("plans the CPU preset's MPC rounds with plain CEM, as its model was trained, whatever its evaluation planner adds", async () => {
    const { spec } = (await listForesightPresets()).presets.find((p) => p.id === 'cpu-32')!;
    const rounds = roundsPlanner({ planning: spec.planning, mpcRounds: spec.train.mpcRounds });
    // The model of docs/RESULTS.md (T5) had rounds planned by white-noise CEM 40 × 2 over held triples.
    expect(rounds).toMatchObject({ horizon: 12, hold: 3, population: 40, iterations: 2 });
    expect(rounds.noiseBeta ?? 0).toBe(0);
    expect(rounds.keepElites ?? 0).toBe(0);
    expect(rounds.returnBest ?? false).toBe(false);
    expect(rounds.actuatorLimits ?? false).toBe(false);
    // …while the evaluation plans with iCEM and the pusher's limits.
    expect(spec.planning).toMatchObject({ noiseBeta: 3, keepElites: 1, returnBest: true, actuatorLimits: true });
  });
});
