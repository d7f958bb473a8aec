import * as tf from '@tensorflow/tfjs-core';
import { beforeAll, describe, expect, it } from 'vitest';
import type { EnsembleModel, MemberPrediction } from '../../../src-main/mbrl/models';
import { dealParticles, particleReturnObjective, scoreParticles, type BatchedTaskFunctions, type Propagation } from '../../../src-main/mbrl/planning';
import { Rng } from '../../../src-main/mbrl/util';
import { useCpuBackend } from '../tf-setup';

beforeAll(useCpuBackend);

/**
 * An instrumented fake ensemble. The state is [history, steps]: member k appends its digit,
 * history′ = 3·history + k (base 3), so a state tells which members moved it so far. Every call
 * records the member and the histories it received.
 */
class FakeEnsemble implements EnsembleModel {
  readonly obsDim = 2;
  readonly actDim = 1;
  readonly probabilistic = false;
  readonly memberCount = 3;
  readonly eliteIndices = [0, 1, 2];
  calls: { member: number; histories: number[] }[] = [];
  memberPredict(k: number, obs: tf.Tensor2D): MemberPrediction {
    this.calls.push({ member: k, histories: Array.from(tf.tidy(() => tf.slice(obs, [0, 0], [-1, 1])).dataSync()) });
    return {
      next: tf.tidy(() => tf.add(tf.mul(obs, tf.tensor2d([[3, 1]])), tf.tensor2d([[k, 1]]))) as tf.Tensor2D,
      logVar: null,
    };
  }
  predict(obs: tf.Tensor2D): tf.Tensor2D {
    return obs;
  }
  fit = async () => ({ history: [], bestEpoch: 0 });
  save = async () => ({ modelJson: {}, weightData: new ArrayBuffer(0) });
  dispose() {}
}

/** Reward: the member digit just appended (history mod 3), so a return sums a particle's members. */
const task: BatchedTaskFunctions = {
  rewardBatch: (next) => tf.tidy(() => tf.mod(tf.squeeze(tf.slice(next, [0, 0], [-1, 1]), [1]), 3)) as tf.Tensor1D,
  terminatedBatch: (next) => tf.zeros([next.shape[0]]) as tf.Tensor1D,
};

function plan(propagation: Propagation, objective: 'expected' | 'worst' = 'expected', P = 30, H = 4) {
  const model = new FakeEnsemble();
  const fn = particleReturnObjective(model, task, Float32Array.of(0, 0), { particles: P, propagation, sample: false, objective, riskK: 1 }, new Rng(4));
  const score = tf.tidy(() => fn(tf.zeros([2, H, 1]) as tf.Tensor3D));
  const values = Array.from(score.dataSync());
  score.dispose();
  // Share of rows a member received that another member had moved at the previous step.
  const later = model.calls.filter((c) => c.histories.some((h) => h > 0));
  const received = later.reduce((n, c) => n + c.histories.length, 0);
  const switched = later.reduce((n, c) => n + c.histories.filter((h) => h % 3 !== c.member).length, 0);
  return { model, values, switchedShare: switched / received };
}

describe('particle propagation through an ensemble', () => {
  it('deals particles evenly over the elites', () => {
    const a = Array.from(dealParticles(10, [1, 3], new Rng(2)));
    expect(a.filter((k) => k === 1)).toHaveLength(5);
    expect(a.filter((k) => k === 3)).toHaveLength(5);
  });

  it('TS∞: each particle keeps its member for the whole horizon', () => {
    const { model, switchedShare } = plan('tsinf');
    expect(switchedShare).toBe(0);
    // One grouped 2-D pass per member per step, each with a third of the 60 particles.
    expect(model.calls).toHaveLength(3 * 4);
    expect(model.calls.every((c) => c.histories.length === 20)).toBe(true);
  });

  it('TS1: particles draw a member anew at every step', () => {
    const { switchedShare } = plan('ts1');
    // Uniform redraws over 3 members switch 2/3 of the time.
    expect(switchedShare).toBeGreaterThan(0.5);
    expect(switchedShare).toBeLessThan(0.8);
  });

  it('expectation: every particle follows the mean of the members', () => {
    const { model, values } = plan('expectation');
    // Each step every member sees all 60 rows and the mean moves history by 3·h + 1.
    expect(model.calls.every((c) => c.histories.length === 60)).toBe(true);
    expect(values[0]).toBeCloseTo(values[1], 6);
  });

  it('the worst-case objective sees the member-0 particle under TS∞', () => {
    // Under TS∞ some particle stays on member 0 and collects 0; its candidate's worst return is 0.
    expect(plan('tsinf', 'worst').values).toEqual([0, 0]);
    expect(plan('tsinf', 'expected').values[0]).toBeGreaterThan(0);
  });

  it('the pessimistic objective ranks a high-variance candidate below a low-variance one with the same mean', () => {
    const returns = tf.tensor2d([
      [10, 10, 10, 10],
      [0, 20, 0, 20],
    ]);
    const score = (o: 'expected' | 'pessimistic' | 'worst' | 'optimistic') => Array.from(scoreParticles(returns, o, 1).dataSync());
    const [e0, e1] = score('expected');
    expect(e0).toBeCloseTo(e1, 5);
    const [p0, p1] = score('pessimistic');
    expect(p0).toBeGreaterThan(p1);
    const [w0, w1] = score('worst');
    expect(w0).toBeGreaterThan(w1);
    const [o0, o1] = score('optimistic');
    expect(o1).toBeGreaterThan(o0);
    returns.dispose();
  });

  it('leaves no tensors behind', () => {
    plan('ts1');
    const before = tf.memory().numTensors;
    for (let i = 0; i < 5; i++) plan('tsinf');
    expect(tf.memory().numTensors).toBe(before);
  });
});
