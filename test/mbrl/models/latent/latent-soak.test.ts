import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { E2cModel, LatentWorldModel, loadLatentModel } from '../../../../src-main/mbrl/models/latent';
import { CemOptimizer, LatentIlqrController, MpcAgent, latentObjectiveAt, encodeImage } from '../../../../src-main/mbrl/planning';
import { discTransitions, renderDisc } from './planar-disc';
import { useWasmBackend } from './latent-test-setup';

beforeAll(useWasmBackend);

const bounds = { low: Float32Array.of(-1, -1), high: Float32Array.of(1, 1) };
const image = (x: number, y: number) => Float32Array.from(renderDisc(x, y), (v) => v / 255);

describe('latent models and planners own every tensor (soak)', () => {
  it('fits, saves/loads, CEM plans (reward and goal) and iLQR plans leave tf.memory().numTensors flat', async () => {
    const data = discTransitions(120, 3);
    const world = LatentWorldModel.create({ kind: 'stochastic', imageShape: [16, 16, 1], actDim: 2, latentDim: 3, stages: [{ patch: 2, channels: 4 }], hidden: [16], dynamicsHidden: [16], rewardHidden: [8], activation: 'swish', weights: { dynamics: 1, reconstruction: 1, reward: 1, kl: 1 }, seed: 0 });
    const e2c = E2cModel.create({ imageShape: [16, 16, 1], actDim: 2, latentDim: 2, stages: [{ patch: 4, channels: 4 }], hidden: [16], transitionHidden: [8], activation: 'relu', weights: { reconstruction: 1, nextReconstruction: 1, kl: 1, consistency: 1 }, seed: 0 });
    const options = { epochs: 1, batchSize: 40, learningRate: 1e-3, valFraction: 0.2, seed: 0 };
    // Warm-up: the first round creates lazily cached tensors (none expected, but measure after it).
    await world.fit(data, options);
    await e2c.fit(data, options);
    const baseline = tf.memory().numTensors;
    const cem = new CemOptimizer({ horizon: 4, population: 30, iterations: 2, eliteFraction: 0.2, alpha: 0.1, seed: 0 }, bounds);
    const rewardAgent = new MpcAgent(latentObjectiveAt(world), cem, bounds, 1);
    const goalAgent = new MpcAgent(latentObjectiveAt(e2c, { code: encodeImage(e2c, image(0.5, 0.5)) }), cem, bounds, 1);
    const ilqr = new LatentIlqrController(e2c, image(0.5, 0.5), { horizon: 4, stateCost: [1, 1], finalStateCost: [5, 5], actionCost: [0.1, 0.1], iterations: 3, low: [-1, -1], high: [1, 1] });
    for (let round = 0; round < 5; round++) {
      await world.fit(data, options);
      await e2c.fit(data, options);
      const loaded = loadLatentModel(await e2c.save());
      loaded.dispose();
      for (let t = 0; t < 4; t++) {
        await rewardAgent.act(image(-0.5 + 0.1 * t, 0));
        await goalAgent.act(image(0, -0.5 + 0.1 * t));
        ilqr.act(image(0.1 * t, 0.1 * t));
      }
      expect(tf.memory().numTensors, `after round ${round}`).toBe(baseline);
    }
    world.dispose();
    e2c.dispose();
  }, 60_000);
});
