import * as tf from '@tensorflow/tfjs-core';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runExperiment, type ExperimentConfig, type ExperimentMetric } from '../../../src-main/mbrl/algorithms';
import { makeEnv, taskFunctions, taskInfo } from '../../../src-main/mbrl/env';
import { useCpuBackend } from '../tf-setup';

beforeAll(useCpuBackend);

const readXml = (file: string) => readFileSync(join(__dirname, '../../../resources/models', file), 'utf8');

/** Small sizes: a test, not an experiment. */
function config(algorithm: ExperimentConfig['algorithm'], episodes: number): ExperimentConfig {
  return {
    task: 'pendulum',
    algorithm,
    episodes,
    initialEpisodes: 2,
    seed: 3,
    model: { hidden: [64, 64], activation: 'swish', epochs: 40, batchSize: 64, learningRate: 3e-3, weightDecay: 0, valFraction: 0.1, patience: 8, members: 1, probabilistic: false, sampling: 'shuffle' },
    optimizer: { kind: 'cem', population: 100, iterations: 3, eliteFraction: 0.1, alpha: 0.1, temperature: 10, noiseStd: 0.5, beta: 0.6 },
    mpc: { horizon: 12, replanEvery: 1 },
    uncertainty: { particles: 4, propagation: 'tsinf', sample: true, objective: 'expected', riskK: 1 },
  };
}

async function run(cfg: ExperimentConfig) {
  const env = await makeEnv(cfg.task, readXml);
  const metrics: ExperimentMetric[] = [];
  try {
    const result = await runExperiment(cfg, { env, functions: taskFunctions(cfg.task), angleDims: taskInfo(cfg.task).angleDims }, { onMetric: (m) => void metrics.push(m) });
    result.model?.dispose();
    return { returns: result.returns, metrics, transitions: result.data.size };
  } finally {
    env.dispose();
  }
}

describe('the lecture loops', () => {
  it('v1.5 on the pendulum does better than the random policy', async () => {
    const { returns, metrics, transitions } = await run(config('v1.5', 1));
    const episodes = metrics.filter((m) => m.kind === 'episode');
    expect(episodes.map((e) => e.policy)).toEqual(['random', 'random', 'mpc']);
    const randomMean = (returns[0] + returns[1]) / 2;
    expect(returns[2]).toBeGreaterThan(randomMean);
    expect(transitions).toBe(3 * 200);
    // v1.5 refits after its episode: fits 0 (random data) and 1.
    expect(new Set(metrics.filter((m) => m.kind === 'train').map((m) => (m.kind === 'train' ? m.fit : -1)))).toEqual(new Set([0, 1]));
    const plan = episodes[2];
    expect(plan.kind === 'episode' && plan.plan_ms_mean).toBeGreaterThan(0);
    expect(metrics.filter((m) => m.kind === 'prediction')).toHaveLength(2);
  }, 120_000);

  it('v0.5 never adds data or refits; the random baseline fits nothing', async () => {
    const v05 = await run({ ...config('v0.5', 1), model: { ...config('v0.5', 1).model, epochs: 2 }, mpc: { horizon: 4, replanEvery: 4 } });
    expect(v05.transitions).toBe(2 * 200);
    expect(new Set(v05.metrics.filter((m) => m.kind === 'train').map((m) => (m.kind === 'train' ? m.fit : -1)))).toEqual(new Set([0]));
    const random = await run(config('random', 2));
    expect(random.metrics.every((m) => m.kind === 'episode')).toBe(true);
    expect(random.returns).toHaveLength(2);
  }, 120_000);

  it('PETS (probabilistic ensemble, TS∞ particles) runs the v1.5 loop and reports calibration', async () => {
    const base = config('v1.5', 1);
    const pets: ExperimentConfig = {
      ...base,
      initialEpisodes: 1,
      model: { ...base.model, hidden: [16], epochs: 3, members: 3, probabilistic: true, elites: 2 },
      optimizer: { ...base.optimizer, population: 20, iterations: 2 },
      mpc: { horizon: 5, replanEvery: 1 },
      uncertainty: { particles: 3, propagation: 'tsinf', sample: true, objective: 'expected', riskK: 1 },
    };
    const { metrics, returns } = await run(pets);
    expect(returns).toHaveLength(2);
    const calibration = metrics.filter((m) => m.kind === 'calibration');
    expect(calibration).toHaveLength(2);
    for (const c of calibration) {
      if (c.kind !== 'calibration') continue;
      expect(c.nll).not.toBeNull();
      expect(c.within_2sigma!).toBeGreaterThanOrEqual(c.within_1sigma!);
    }
  }, 120_000);

  it('is reproducible: the same config gives the same returns', async () => {
    const small = { ...config('v1.0', 1), initialEpisodes: 1, model: { ...config('v1.0', 1).model, epochs: 2 }, mpc: { horizon: 5, replanEvery: 1 } };
    const a = await run(small);
    const b = await run(small);
    expect(b.returns).toEqual(a.returns);
    expect(tf.memory().numTensors).toBeLessThan(50);
  }, 120_000);
});
