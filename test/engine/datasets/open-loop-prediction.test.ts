import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { beforeAll, describe, expect, it } from 'vitest';
import { EnsembleDynamicsModel } from '../../../src-main/mbrl/models';
import { openLoopPrediction } from '../../../src-main/engine/datasets/open-loop-prediction';

beforeAll(async () => {
  await tf.setBackend('cpu');
});

const D = 3;
const A = 2;
const T = 7;
const obs = Float32Array.from({ length: (T + 1) * D }, (_, i) => Math.sin(i));
const act = Float32Array.from({ length: T * A }, (_, i) => Math.cos(i) * 0.5);

/** Member k chained by hand through memberPredict: [(T + 1) · D]. */
function byHand(model: EnsembleDynamicsModel, k: number): Float32Array {
  const out = new Float32Array((T + 1) * D);
  out.set(obs.subarray(0, D));
  for (let t = 0; t < T; t++) {
    const next = tf.tidy(() => model.memberPredict(k, tf.tensor2d(out.subarray(t * D, (t + 1) * D), [1, D]), tf.tensor2d(act.subarray(t * A, (t + 1) * A), [1, A])).next.dataSync());
    out.set(next, (t + 1) * D);
  }
  return out;
}

describe('openLoopPrediction', () => {
  for (const probabilistic of [false, true]) {
    it(`rolls each member from s_0 on the recorded actions only (${probabilistic ? 'probabilistic' : 'deterministic'}); mean and std across them`, async () => {
      const model = EnsembleDynamicsModel.create({ obsDim: D, actDim: A, angleDims: [], hidden: [8], activation: 'swish', members: 3, probabilistic, sampling: 'shuffle', elites: 3, seed: 5 });
      await openLoopPrediction(model, obs, act, 2); // the model builds what it caches on first use
      const before = tf.memory().numTensors;
      const p = await openLoopPrediction(model, obs, act, 100);
      expect(tf.memory().numTensors).toBe(before);
      expect([p.steps, p.memberCount, p.obsDim]).toEqual([T, 3, D]);
      for (let k = 0; k < 3; k++) {
        const mine = p.members.subarray(k * (T + 1) * D, (k + 1) * (T + 1) * D);
        byHand(model, k).forEach((v, i) => expect(mine[i]).toBeCloseTo(v, 3));
      }
      for (let i = 0; i < (T + 1) * D; i++) {
        const vals = [0, 1, 2].map((k) => p.members[k * (T + 1) * D + i]);
        const m = vals.reduce((a, b) => a + b) / 3;
        expect(p.mean[i]).toBeCloseTo(m, 3);
        const between = Math.sqrt(vals.reduce((a, v) => a + (v - m) ** 2, 0) / 3);
        // Deterministic: exactly the spread between members; probabilistic: more (aleatoric added).
        if (!probabilistic || i < D) expect(p.std[i]).toBeCloseTo(between, 3);
        else expect(p.std[i]).toBeGreaterThan(between);
      }
      const short = await openLoopPrediction(model, obs, act, 3);
      expect(short.steps).toBe(3);
      expect(short.mean.length).toBe(4 * D);
      model.dispose();
    });
  }
});
