import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import { oneHotPixelMaps, propagatePixelMaps } from '../../../src-main/mbrl/models/video';
import { actionEffortCost, expectedDistanceCost, goalDistanceMaps, goalImageCost, sumOverSteps } from '../../../src-main/mbrl/planning/pixel-distance-cost';
import { useCpuBackend } from '../tf-setup';

beforeAll(useCpuBackend);

const S = 16;

/** P_1…P_T of a designated pixel moved by (dx, dy) each step (a pure shift kernel, all mass moving): [1, T, S, S, D]. */
function shiftedMaps(start: { x: number; y: number }[], dx: number, dy: number, T: number): tf.Tensor5D {
  return tf.tidy(() => {
    const k = new Float32Array(25);
    k[(2 - dy) * 5 + (2 - dx)] = 1;
    const kernel = tf.tensor4d(k, [1, 5, 5, 1]);
    const masks = tf.concat([tf.zeros([1, S, S, 1]), tf.ones([1, S, S, 1])], 3) as tf.Tensor4D;
    let p = tf.tensor4d(oneHotPixelMaps(start, S), [1, S, S, start.length]);
    const steps: tf.Tensor4D[] = [];
    for (let t = 0; t < T; t++) steps.push((p = propagatePixelMaps(p, kernel, masks)));
    return tf.stack(steps, 1) as tf.Tensor5D;
  });
}

describe('expected distance to the goal pixel', () => {
  it('is the Euclidean distance in pixels for a one-hot map', () => {
    const d = goalDistanceMaps([{ x: 3, y: 4 }], S);
    expect(d[0]).toBeCloseTo(5, 6);
    expect(d[4 * S + 3]).toBe(0);
  });

  it('ranks a sequence moving the distribution toward the goal above one moving it away', () => {
    tf.tidy(() => {
      const goal = tf.tensor3d(goalDistanceMaps([{ x: 12, y: 8 }], S), [S, S, 1]);
      const toward = expectedDistanceCost(shiftedMaps([{ x: 4, y: 8 }], 1, 0, 4), goal).dataSync()[0];
      const away = expectedDistanceCost(shiftedMaps([{ x: 4, y: 8 }], -1, 0, 4), goal).dataSync()[0];
      const still = expectedDistanceCost(shiftedMaps([{ x: 4, y: 8 }], 0, 0, 4), goal).dataSync()[0];
      // Toward: distances 7, 6, 5, 4; still: 8 × 4; away: 9, 10, 11, 12.
      expect(toward).toBeCloseTo(22, 4);
      expect(still).toBeCloseTo(32, 4);
      expect(away).toBeCloseTo(42, 4);
    });
  });

  it('sums over several designated pixels, each against its own goal', () => {
    tf.tidy(() => {
      const goals = tf.tensor3d(goalDistanceMaps([{ x: 10, y: 2 }, { x: 2, y: 10 }], S), [S, S, 2]);
      const maps = shiftedMaps([{ x: 2, y: 2 }, { x: 2, y: 2 }], 1, 0, 1);
      // Pixel 0 moves toward (10, 2): 7; pixel 1 moves from (2, 2) to (3, 2): distance to (2, 10) = √65.
      expect(expectedDistanceCost(maps, goals).dataSync()[0]).toBeCloseTo(7 + Math.sqrt(65), 4);
    });
  });

  it('counts the last step terminalWeight times', () => {
    tf.tidy(() => {
      const goal = tf.tensor3d(goalDistanceMaps([{ x: 12, y: 8 }], S), [S, S, 1]);
      // Toward: distances 7, 6, 5, 4 → 22 + (5 − 1) · 4.
      expect(expectedDistanceCost(shiftedMaps([{ x: 4, y: 8 }], 1, 0, 4), goal, 5).dataSync()[0]).toBeCloseTo(38, 4);
    });
  });

  it('with a terminal weight prefers a late push that ends nearer over an early one that ends farther', () => {
    tf.tidy(() => {
      // Distance to the goal at each of 6 steps: an early small push ends at 8 px, a plan that travels first and pushes late ends at 4 px.
      const perStep = tf.tensor2d([
        [9, 8, 8, 8, 8, 8],
        [10, 10, 10, 10, 10, 4],
      ]);
      const plain = sumOverSteps(perStep, 1).arraySync();
      const weighted = sumOverSteps(perStep, 6).arraySync();
      expect(plain).toEqual([49, 54]);
      expect(weighted).toEqual([49 + 5 * 8, 54 + 5 * 4]);
      expect(weighted[1]).toBeLessThan(weighted[0]);
    });
  });

  it('refuses a terminal weight below 1 or NaN', () => {
    const perStep = tf.zeros([1, 3]) as tf.Tensor2D;
    expect(() => sumOverSteps(perStep, 0.5)).toThrow(/terminalWeight must be ≥ 1, got 0.5/);
    expect(() => sumOverSteps(perStep, NaN)).toThrow(/terminalWeight/);
    perStep.dispose();
  });
});

describe('control cost', () => {
  it('is weight · Σ_t ‖a_t‖² per plan, zero for a plan that keeps still', async () => {
    const actions = tf.tensor3d([0, 0, 0, 0, 1, 0, 0.5, -0.5], [2, 2, 2]);
    const cost = actionEffortCost(actions, 0.1);
    expect(Array.from(await cost.data())).toEqual([0, expect.closeTo(0.1 * (1 + 0.25 + 0.25), 6)]);
    tf.dispose([actions, cost]);
  });
});

describe('goal-image cost', () => {
  it('prefers predictions closer to the goal image', () => {
    tf.tidy(() => {
      const goal = tf.fill([S, S, 3], 0.8) as tf.Tensor3D;
      const near = tf.fill([1, 2, S, S, 3], 0.7) as tf.Tensor5D;
      const far = tf.fill([1, 2, S, S, 3], 0.2) as tf.Tensor5D;
      const costs = goalImageCost(tf.concat([near, far]) as tf.Tensor5D, goal).dataSync();
      expect(costs[0]).toBeCloseTo(2 * 0.01, 5);
      expect(costs[1]).toBeCloseTo(2 * 0.36, 5);
      expect(goalImageCost(near, goal, 3).dataSync()[0]).toBeCloseTo(4 * 0.01, 5);
    });
  });
});
