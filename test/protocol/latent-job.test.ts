/** The latent job's wire spec: the fields added for the pendulum from pixels, with errors that name the field. */
import { describe, expect, it } from 'vitest';
import { LatentJobSpec, parseWith } from '../../src-main/protocol';

const base = {
  kind: 'latent',
  task: 'pendulum-pixels',
  collect: { episodes: 2, steps: 12, seed: 1 },
  model: { kind: 'deterministic', latentDim: 3, stages: [], hidden: [8], dynamicsHidden: [8], rewardHidden: [8], activation: 'relu', seed: 0 },
  fit: { epochs: 1, batchSize: 8, learningRate: 1e-3, valFraction: 0, seed: 0 },
};

describe('LatentJobSpec collect.exploringStarts', () => {
  it('is optional; episodes is required, steps and actionRepeat optional', () => {
    expect(parseWith(LatentJobSpec, base).ok).toBe(true);
    const parsed = parseWith(LatentJobSpec, { ...base, collect: { ...base.collect, exploringStarts: { episodes: 50, steps: 40, actionRepeat: 4 } } });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.collect?.exploringStarts).toEqual([{ episodes: 50, steps: 40, actionRepeat: 4 }]);
    expect(parseWith(LatentJobSpec, { ...base, collect: { ...base.collect, exploringStarts: { episodes: 1 } } }).ok).toBe(true);
  });

  it('takes a list of sets, each with its own angle and speed range', () => {
    const sets = [{ episodes: 30 }, { episodes: 20, steps: 40, maxAngle: 1, maxSpeed: 2 }];
    const parsed = parseWith(LatentJobSpec, { ...base, collect: { ...base.collect, exploringStarts: sets } });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.collect?.exploringStarts).toEqual(sets);
    const bad = parseWith(LatentJobSpec, { ...base, collect: { ...base.collect, exploringStarts: [{ episodes: 3 }, { episodes: 3, maxSpeed: 30 }] } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/collect\.exploringStarts\.1\.maxSpeed/);
    expect(parseWith(LatentJobSpec, { ...base, collect: { ...base.collect, exploringStarts: [] } }).ok).toBe(false);
  });

  it.each([
    [{ episodes: 0 }, /collect\.exploringStarts\.0\.episodes/],
    [{ episodes: 2.5 }, /collect\.exploringStarts\.0\.episodes/],
    [{ steps: 10 }, /collect\.exploringStarts\.0\.episodes/],
    [{ episodes: 3, steps: 1 }, /collect\.exploringStarts\.0\.steps/],
    [{ episodes: 3, actionRepeat: 0 }, /collect\.exploringStarts\.0\.actionRepeat/],
    [{ episodes: 3, speed: 2 }, /collect\.exploringStarts.*speed/],
    [{ episodes: 3, maxAngle: 0 }, /collect\.exploringStarts.*maxAngle/],
    [{ episodes: 3, maxAngle: 4 }, /collect\.exploringStarts.*maxAngle/],
    [{ episodes: 3, maxSpeed: -1 }, /collect\.exploringStarts.*maxSpeed/],
  ])('rejects %j naming the field', (exploringStarts, message) => {
    const parsed = parseWith(LatentJobSpec, { ...base, collect: { ...base.collect, exploringStarts } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});

describe('LatentJobSpec model.overshootEvery', () => {
  const withModel = (model: Record<string, unknown>) => ({ ...base, model: { ...base.model, ...model } });

  it('takes the lecture model with rolloutSteps > 1 and e ≤ K, with its weight', () => {
    expect(parseWith(LatentJobSpec, withModel({ rolloutSteps: 15, overshootEvery: 5, weights: { overshoot: 2 } })).ok).toBe(true);
    expect(parseWith(LatentJobSpec, withModel({ kind: 'stochastic', rolloutSteps: 4, overshootEvery: 4 })).ok).toBe(true);
  });

  it.each([
    [{ overshootEvery: 2 }, /model\.overshootEvery: overshootEvery needs the lecture model/],
    [{ rolloutSteps: 4, overshootEvery: 5 }, /model\.overshootEvery: .*at most rolloutSteps/],
    [{ kind: 'e2c', rolloutSteps: 4, overshootEvery: 2 }, /model\.overshootEvery/],
    [{ rolloutSteps: 4, overshootEvery: 0 }, /model\.overshootEvery/],
    [{ rolloutSteps: 4, overshootEvery: 2, weights: { overshoot: -1 } }, /model\.weights\.overshoot/],
  ])('rejects %j naming the field', (model, message) => {
    const parsed = parseWith(LatentJobSpec, withModel(model));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});

describe('LatentJobSpec model.rewardScale and model.rewardFocus', () => {
  const withModel = (model: Record<string, unknown>) => ({ ...base, model: { ...base.model, ...model } });

  it("takes 'linear' and 'sqrt' on the lecture models", () => {
    for (const rewardScale of ['linear', 'sqrt']) for (const kind of ['deterministic', 'stochastic']) expect(parseWith(LatentJobSpec, withModel({ kind, rewardScale })).ok).toBe(true);
    expect(parseWith(LatentJobSpec, withModel({ rewardFocus: { above: -0.25, weight: 10 } })).ok).toBe(true);
  });

  it.each([
    [{ rewardScale: 'squareroot' }, /model\.rewardScale/],
    [{ kind: 'e2c', rewardScale: 'sqrt' }, /model\.rewardScale: rewardScale needs the lecture model/],
    [{ rewardFocus: { above: -0.25, weight: 0.5 } }, /model\.rewardFocus\.weight/],
    [{ rewardFocus: { above: -0.25, wieght: 10 } }, /model\.rewardFocus/],
    [{ kind: 'e2c', rewardFocus: { above: -0.25, weight: 10 } }, /model\.rewardFocus: rewardFocus needs the lecture model/],
  ])('rejects %j naming the field', (model, message) => {
    const parsed = parseWith(LatentJobSpec, withModel(model));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });
});

describe('LatentJobSpec model.keypoints and model.initialLogVariance (E2C)', () => {
  const e2c = (model: Record<string, unknown>) => ({ ...base, task: 'point-mass-pixels', model: { ...base.model, kind: 'e2c', latentDim: 2, ...model } });

  it('takes an e2c model without stages, with an odd kernel', () => {
    const parsed = parseWith(LatentJobSpec, e2c({ keypoints: { channels: 8, kernel: 5 }, initialLogVariance: -6 }));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.model.keypoints).toEqual({ channels: 8, kernel: 5 });
  });

  it.each([
    [{ keypoints: { channels: 8, kernel: 4 } }, /model\.keypoints\.kernel.*odd/],
    [{ keypoints: { channels: 0, kernel: 5 } }, /model\.keypoints\.channels/],
    [{ keypoints: { channels: 8, kernel: 5, stride: 2 } }, /model\.keypoints.*stride/],
    [{ keypoints: { channels: 8, kernel: 5 }, stages: [{ patch: 2, channels: 4 }] }, /model\.keypoints.*without stages/],
    [{ initialLogVariance: -30 }, /model\.initialLogVariance/],
  ])('rejects %j naming the field', (model, message) => {
    const parsed = parseWith(LatentJobSpec, e2c(model));
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('refuses them on the lecture model', () => {
    for (const extra of [{ keypoints: { channels: 4, kernel: 3 } }, { initialLogVariance: -6 }]) {
      const parsed = parseWith(LatentJobSpec, { ...base, model: { ...base.model, ...extra } });
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/model\.(keypoints|initialLogVariance)/);
    }
  });
});

describe('LatentJobSpec image.supersample', () => {
  it('is optional and takes 1..8 samples per pixel side', () => {
    const parsed = parseWith(LatentJobSpec, { ...base, image: { width: 32, height: 32, frameStack: 2, supersample: 4 } });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.image?.supersample).toBe(4);
  });

  it.each([0, 9, 2.5])('rejects %j naming the field', (supersample) => {
    const parsed = parseWith(LatentJobSpec, { ...base, image: { supersample } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(/image\.supersample/);
  });
});

describe('LatentJobSpec plan.offsetCorrection', () => {
  const plan = { episodes: 2, mode: 'reward', planner: 'cem', horizon: 5, seed: 0 };
  const correction = { smoothing: 0.9, gain: 0.7, whenRewardAbove: -0.5 };

  it('is optional and reaches the parsed plan whole', () => {
    expect(parseWith(LatentJobSpec, { ...base, plan }).ok).toBe(true);
    const parsed = parseWith(LatentJobSpec, { ...base, plan: { ...plan, offsetCorrection: correction } });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.plan?.offsetCorrection).toEqual(correction);
  });

  it.each([
    [{ smoothing: 1, gain: 1 }, /plan\.offsetCorrection\.smoothing/],
    [{ smoothing: 0.5, gain: -1 }, /plan\.offsetCorrection\.gain/],
    [{ smoothing: 0.5, gain: 1, whenAbove: 0 }, /whenAbove/],
  ])('rejects %j naming the field', (offsetCorrection, message) => {
    const parsed = parseWith(LatentJobSpec, { ...base, plan: { ...plan, offsetCorrection } });
    expect(parsed.ok).toBe(false);
    if (!parsed.ok) expect(parsed.error).toMatch(message);
  });

  it('needs the latent CEM, and a reward head for its gate', () => {
    const ilqr = parseWith(LatentJobSpec, { ...base, plan: { ...plan, mode: 'goal', planner: 'ilqr', offsetCorrection: correction } });
    expect(ilqr.ok).toBe(false);
    if (!ilqr.ok) expect(ilqr.error).toMatch(/plan\.offsetCorrection.*'cem'/);
    const e2c = { ...base, task: 'point-mass-pixels', model: { ...base.model, kind: 'e2c', latentDim: 2 } };
    const gated = parseWith(LatentJobSpec, { ...e2c, plan: { ...plan, mode: 'goal', offsetCorrection: correction } });
    expect(gated.ok).toBe(false);
    if (!gated.ok) expect(gated.error).toMatch(/plan\.offsetCorrection\.whenRewardAbove/);
    expect(parseWith(LatentJobSpec, { ...e2c, plan: { ...plan, mode: 'goal', offsetCorrection: { smoothing: 0.5, gain: 1 } } }).ok).toBe(true);
  });
});
