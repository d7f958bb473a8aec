import * as tf from '@tensorflow/tfjs-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { E2cModel, LatentWorldModel } from '../../../src-main/mbrl/models/latent';
import { CemOptimizer, LatentIlqrController, MpcAgent, encodeImage, latentGoalObjective, latentObjectiveAt } from '../../../src-main/mbrl/planning';
import { DISC, DISC_LECTURE_MODEL, discTransitions, moveDisc, renderDisc } from '../models/latent/planar-disc';
import { useWasmBackend } from '../models/latent/latent-test-setup';

beforeAll(useWasmBackend);

const bounds = { low: Float32Array.of(-1, -1), high: Float32Array.of(1, 1) };
const image = (p: readonly number[]) => Float32Array.from(renderDisc(p[0], p[1]), (v) => v / 255);
const pairs: [number, number][][] = [
  [[-0.7, -0.6], [0.6, 0.7]],
  [[0.8, -0.5], [-0.5, 0.5]],
  [[0, 0.8], [0.1, -0.8]],
];
/** The disc's radius in position units: its pixel radius over the pixels per unit of travel. */
const DISC_RADIUS = DISC.radius / ((DISC.size - 2 * (DISC.radius + 0.5)) / 2);
const dist = (p: readonly number[], q: readonly number[]) => Math.hypot(p[0] - q[0], p[1] - q[1]);

describe('planning in an E2C latent space toward a goal image (synthetic planar disc)', () => {
  let model: E2cModel;

  beforeAll(async () => {
    model = E2cModel.create({ imageShape: [16, 16, 1], actDim: 2, latentDim: 2, stages: [], hidden: [64], transitionHidden: [32], activation: 'relu', weights: { reconstruction: 1, nextReconstruction: 1, kl: 1, consistency: 1 }, seed: 0 });
    await model.fit(discTransitions(1200, 1), { epochs: 24, batchSize: 64, learningRate: 5e-3, valFraction: 0, seed: 0 });
  }, 60_000);

  afterAll(() => model.dispose());

  it('goal-image CEM (MPC on the true system, sees only images) brings the disc near the goal', async () => {
    for (const [start, goal] of pairs) {
      const code = encodeImage(model, image(goal));
      const optimizer = new CemOptimizer({ horizon: 6, population: 200, iterations: 3, eliteFraction: 0.1, alpha: 0.1, seed: 0 }, bounds);
      const agent = new MpcAgent(latentObjectiveAt(model, { code }), optimizer, bounds, 1);
      let p = start;
      for (let t = 0; t < 12; t++) {
        const { action } = await agent.act(image(p));
        p = moveDisc(p, [action[0], action[1]]);
      }
      // Within one disc radius (≈ 0.42 position units) of the goal; start–goal distances are 1.6–1.8.
      expect(dist(p, goal), `from ${start} to ${goal}, ended at ${p}`).toBeLessThan(DISC_RADIUS);
    }
  });

  it('the goal objective scores candidates by the latent distance they end at', () => {
    const z0 = encodeImage(model, image([0, 0]));
    const zGoal = encodeImage(model, image([0.8, 0]));
    const scores = tf.tidy(() => latentGoalObjective(model, z0, zGoal)(tf.tensor3d([[[1, 0], [1, 0], [1, 0]], [[-1, 0], [-1, 0], [-1, 0]]])).dataSync());
    expect(scores[0]).toBeGreaterThan(scores[1]); // pushing right (toward the goal) beats pushing left
  });

  it("iLQR on E2C's local linearisation (MPC, replanning each step) brings the disc near the goal", () => {
    for (const [start, goal] of pairs) {
      const controller = new LatentIlqrController(model, image(goal), {
        horizon: 8,
        stateCost: [0.1, 0.1],
        finalStateCost: [10, 10],
        actionCost: [0.01, 0.01],
        iterations: 20,
        low: [-1, -1],
        high: [1, 1],
      });
      let p = start;
      for (let t = 0; t < 12; t++) {
        const { action, plan, codes } = controller.act(image(p));
        expect(plan).toHaveLength(16);
        expect(codes).toHaveLength(9 * 2);
        p = moveDisc(p, [action[0], action[1]]);
      }
      expect(dist(p, goal), `from ${start} to ${goal}, ended at ${p}`).toBeLessThan(DISC_RADIUS);
    }
  });
});

describe("latent MPC with the lecture model's learned reward", () => {
  it('CEM on the learned reward (−‖position‖) of the VAE-encoder model brings the disc to the centre', async () => {
    const model = LatentWorldModel.create({ ...DISC_LECTURE_MODEL, kind: 'stochastic', weights: { ...DISC_LECTURE_MODEL.weights, reward: 10 }, seed: 1 });
    await model.fit(discTransitions(1200, 4), { epochs: 20, batchSize: 64, learningRate: 5e-3, valFraction: 0.1, seed: 0 });
    const optimizer = new CemOptimizer({ horizon: 5, population: 200, iterations: 3, eliteFraction: 0.1, alpha: 0.1, seed: 0 }, bounds);
    const agent = new MpcAgent(latentObjectiveAt(model), optimizer, bounds, 1);
    for (const start of [[-0.8, 0.8], [0.9, -0.7]] as [number, number][]) {
      agent.reset();
      let p = start;
      for (let t = 0; t < 10; t++) {
        const { action } = await agent.act(image(p));
        p = moveDisc(p, [action[0], action[1]]);
      }
      expect(Math.hypot(p[0], p[1]), `from ${start}, ended at ${p}`).toBeLessThan(DISC_RADIUS);
    }
    model.dispose();
  }, 30_000);
});
