import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { TransitionBuffer } from '../../../src-main/mbrl/data';
import { taskFunctions } from '../../../src-main/mbrl/env';
import { calibrationReport, EnsembleDynamicsModel, heldOutPredictions, oneStepBands } from '../../../src-main/mbrl/models';
import { CemOptimizer, MpcAgent, particleReturnObjective, predictMemberTrajectories } from '../../../src-main/mbrl/planning';
import { Rng } from '../../../src-main/mbrl/util';
import { useCpuBackend } from '../tf-setup';

beforeAll(useCpuBackend);

// Memory soak: the engine runs for hours, so a planning call or a fit that leaks even one tensor
// grows without bound. Everything a PETS step touches runs here repeatedly at small sizes.
describe('soak: tf.memory().numTensors stays flat', () => {
  it('over 50 PETS planning calls and 5 fits of a probabilistic ensemble', async () => {
    const rng = new Rng(1);
    const data = new TransitionBuffer(4, 1);
    for (let i = 0; i < 300; i++) {
      const s = [rng.uniform(-1, 1), rng.uniform(-3, 3), rng.uniform(-1, 1), rng.uniform(-1, 1)];
      data.add(s, [rng.uniform(-1, 1)], s.map((v) => v + 0.05 * rng.normal()), 0, false);
    }
    const model = EnsembleDynamicsModel.create({ obsDim: 4, actDim: 1, angleDims: [1], hidden: [16], activation: 'swish', members: 3, probabilistic: true, sampling: 'bootstrap', elites: 2, seed: 2 });
    const fit = { epochs: 2, batchSize: 64, learningRate: 1e-3, weightDecay: 1e-4, valFraction: 0.2, patience: 5, seed: 3 };
    const bounds = { low: Float32Array.of(-1), high: Float32Array.of(1) };
    const task = taskFunctions('cartpole');
    const settings = { particles: 4, propagation: 'ts1' as const, sample: true, objective: 'pessimistic' as const, riskK: 1 };
    const agent = new MpcAgent((obs) => particleReturnObjective(model, task, obs, settings, rng), new CemOptimizer({ horizon: 5, population: 16, iterations: 2, eliteFraction: 0.25, alpha: 0.1, seed: 4 }, bounds), bounds, 1);
    const obs = Float32Array.of(0, Math.PI, 0, 0);

    const cycle = async (fits: number, plans: number) => {
      for (let f = 0; f < fits; f++) {
        const result = await model.fit(data.view(), fit);
        await calibrationReport(model, data.view(), result.validationRows);
        await heldOutPredictions(model, data.view(), result.validationRows);
        await oneStepBands(model, data.view().obs.subarray(0, 8), data.view().act.subarray(0, 1));
      }
      for (let p = 0; p < plans; p++) {
        const decision = await agent.act(obs);
        await predictMemberTrajectories(model, obs, decision.plan, 1);
      }
    };
    await cycle(1, 1); // warm-up: creates the long-lived normalizer constants
    const before = tf.memory().numTensors;
    await cycle(5, 50);
    expect(tf.memory().numTensors).toBe(before);
    model.dispose();
  }, 120_000);
});
