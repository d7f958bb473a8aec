/**
 * The foresight specs' train section: the `pools` field (the video model's bottleneck resolution) and the
 * kernels' `kernelKind`, the loss's `motionWeight`, `skipAlignWeight` and `trackWeight`, the training threads `workers`, the MPC rounds `mpcRounds` and the collection's `goalPushEpisodes`, with errors that
 * name the field; and the planners' `terminalWeight`.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { DEFAULT_VIDEO_CONTEXT, ForesightEvalSpec, ForesightJobSpec, longestRoundFitHorizon, parseWith } from '../../src-main/protocol';
import { DEFAULT_VIDEO_MODEL } from '../../src-main/mbrl/models/video';

const preset = JSON.parse(readFileSync(join(__dirname, '..', '..', 'resources', 'presets', 'foresight', 'cpu-32.json'), 'utf8'));
const withModel = (model: Record<string, unknown>) => ({ ...preset, train: { ...preset.train, model } });

describe('foresight spec train.model.pools', () => {
  it('is optional and takes 1, 2 or 3 pooling stages', () => {
    const shipped = parseWith(ForesightEvalSpec, preset);
    expect(shipped.ok).toBe(true);
    if (shipped.ok) expect(shipped.value.train.model?.pools).toBe(3);
    expect(parseWith(ForesightEvalSpec, withModel({ widths: [8, 16, 32] })).ok).toBe(true);
    for (const pools of [1, 2, 3]) {
      const parsed = parseWith(ForesightEvalSpec, withModel({ widths: [8, 16, 32], pools }));
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.value.train.model?.pools).toBe(pools);
    }
  });

  it('rejects other values, naming the field', () => {
    for (const pools of [0, 4, 2.5, '2']) {
      const parsed = parseWith(ForesightEvalSpec, withModel({ pools }));
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/^train\.model\.pools: /);
    }
    const job = parseWith(ForesightJobSpec, { kind: 'foresight', task: 'planar-push-pixels', episodeSeed: 0, train: { model: { pools: 5 } } });
    expect(job.ok).toBe(false);
    if (!job.ok) expect(job.error).toMatch(/train\.model\.pools: /);
  });
});

for (const field of ['motionWeight', 'skipAlignWeight', 'trackWeight'] as const) {
  describe(`foresight spec train.fit.${field}`, () => {
    const withFit = (fit: Record<string, unknown>) => ({ ...preset, train: { ...preset.train, fit: { ...preset.train.fit, ...fit } } });

    it('is optional and takes a weight ≥ 0', () => {
      for (const weight of [0, 0.01, 2.5, 10]) {
        const parsed = parseWith(ForesightEvalSpec, withFit({ [field]: weight }));
        expect(parsed.ok).toBe(true);
        if (parsed.ok) expect(parsed.value.train.fit?.[field]).toBe(weight);
      }
    });

    it('rejects negative, non-numeric and missing-number values, naming the field', () => {
      for (const weight of [-1, '10', null, Number.NaN]) {
        const parsed = parseWith(ForesightEvalSpec, withFit({ [field]: weight }));
        expect(parsed.ok).toBe(false);
        if (!parsed.ok) expect(parsed.error).toMatch(new RegExp(`^train\\.fit\\.${field}: `));
      }
    });
  });
}

describe('foresight spec train.fit.workers', () => {
  const withFit = (fit: Record<string, unknown>) => ({ ...preset, train: { ...preset.train, fit: { ...preset.train.fit, ...fit } } });

  it("takes a thread count or 'auto'", () => {
    for (const workers of [1, 2, 'auto']) {
      const parsed = parseWith(ForesightEvalSpec, withFit({ workers }));
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.value.train.fit?.workers).toBe(workers);
    }
  });

  it('rejects anything else, naming the field', () => {
    for (const workers of [0, 2.5, 'all', 65]) {
      const parsed = parseWith(ForesightEvalSpec, withFit({ workers }));
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/^train\.fit\.workers: /);
    }
  });
});

describe('foresight spec train.model.kernelKind', () => {
  it("takes 'softmax' or 'shift' and names the field otherwise", () => {
    for (const kernelKind of ['softmax', 'shift']) {
      const parsed = parseWith(ForesightEvalSpec, withModel({ kernelKind }));
      expect(parsed.ok).toBe(true);
      if (parsed.ok) expect(parsed.value.train.model?.kernelKind).toBe(kernelKind);
    }
    for (const kernelKind of ['flow', 1, null]) {
      const parsed = parseWith(ForesightEvalSpec, withModel({ kernelKind }));
      expect(parsed.ok).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/^train\.model\.kernelKind: /);
    }
  });
});

describe('foresight spec train.mpcRounds', () => {
  const rounds = { rounds: 3, episodes: 12, steps: 40, fitSteps: 800, noise: 0.3, weight: 10 };
  const withRounds = (mpcRounds: Record<string, unknown>) => ({ ...preset, train: { ...preset.train, mpcRounds } });
  const job = (mpcRounds: Record<string, unknown>, extra: Record<string, unknown> = {}) => ({
    kind: 'foresight',
    task: 'planar-push-pixels',
    episodeSeed: 0,
    train: { collect: { episodes: 2, steps: 4, actionRepeat: 1, seed: 0 }, mpcRounds },
    ...extra,
  });

  it('is optional, and takes counts, a noise, a weight and its own planner sizes', () => {
    const parsed = parseWith(ForesightEvalSpec, withRounds({ ...rounds, planning: { horizon: 6, hold: 3, population: 10, iterations: 1, seed: 4 } }));
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.train.mpcRounds).toEqual({ ...rounds, planning: { horizon: 6, hold: 3, population: 10, iterations: 1, seed: 4 } });
    expect(parseWith(ForesightJobSpec, job(rounds)).ok).toBe(true);
  });

  it('takes a longer window for the rounds’ fits only while it fits in a collected episode, naming the field', () => {
    // The preset collects 30-step episodes (31 frames): 2 context frames + 29 predicted fit, 30 do not.
    expect(parseWith(ForesightEvalSpec, withRounds({ ...rounds, fitHorizon: 29 })).ok).toBe(true);
    const tooLong = parseWith(ForesightEvalSpec, withRounds({ ...rounds, fitHorizon: 30 }));
    expect(tooLong.ok).toBe(false);
    if (!tooLong.ok) expect(tooLong.error).toMatch(/^train\.mpcRounds\.fitHorizon: .*collect\.steps \+ 1 frames/);
    const threeFrames = parseWith(ForesightEvalSpec, { ...preset, train: { ...preset.train, model: { ...preset.train.model, context: 3 }, mpcRounds: { ...rounds, fitHorizon: 29 } } });
    expect(threeFrames.ok).toBe(false);
    expect(parseWith(ForesightEvalSpec, withRounds({ ...rounds, fitHorizon: 0 })).ok).toBe(false);
    // The protocol's default context is the model's (it cannot import the engine's defaults).
    expect(DEFAULT_VIDEO_CONTEXT).toBe(DEFAULT_VIDEO_MODEL.context);
    expect(longestRoundFitHorizon(30)).toBe(29);
    expect(longestRoundFitHorizon(30, 3)).toBe(28);
  });

  it('rejects bad counts, unknown fields and a horizon that is not a multiple of hold, naming the field', () => {
    const bad: [Record<string, unknown>, RegExp][] = [
      [{ ...rounds, rounds: 0 }, /^train\.mpcRounds\.rounds: /],
      [{ ...rounds, episodes: 1.5 }, /^train\.mpcRounds\.episodes: /],
      [{ ...rounds, steps: 151 }, /^train\.mpcRounds\.steps: /],
      [{ ...rounds, noise: -0.1 }, /^train\.mpcRounds\.noise: /],
      [{ ...rounds, wieght: 2 }, /^train\.mpcRounds\.wieght: unknown field/],
      [{ rounds: 1, episodes: 1, steps: 1, noise: 0 }, /^train\.mpcRounds\.fitSteps: /],
    ];
    for (const [mpcRounds, error] of bad) {
      const parsed = parseWith(ForesightEvalSpec, withRounds(mpcRounds));
      expect(parsed.ok, JSON.stringify(mpcRounds)).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(error);
    }
    const hold = parseWith(ForesightJobSpec, job({ ...rounds, planning: { horizon: 7, hold: 3, population: 10, iterations: 1, seed: 0 } }));
    expect(hold.ok).toBe(false);
    if (!hold.ok) expect(hold.error).toMatch(/^train\.mpcRounds\.planning\.horizon: .*multiple of hold/);
    // The same rule for the evaluation's own planner and for rounds in an evaluation spec.
    const evalHold = parseWith(ForesightEvalSpec, { ...preset, planning: { ...preset.planning, horizon: 13 } });
    expect(evalHold.ok).toBe(false);
    if (!evalHold.ok) expect(evalHold.error).toMatch(/^planning\.horizon: .*multiple of hold/);
    const evalRounds = parseWith(ForesightEvalSpec, withRounds({ ...rounds, planning: { horizon: 7, hold: 3, population: 10, iterations: 1, seed: 0 } }));
    expect(evalRounds.ok).toBe(false);
    if (!evalRounds.ok) expect(evalRounds.error).toMatch(/^train\.mpcRounds\.planning\.horizon: .*multiple of hold/);
    // And for a job's plan (the Visual foresight view's Run), which the engine would refuse only later.
    const target = { kind: 'pixels', designated: [{ x: 3, y: 4 }], goals: [{ x: 9, y: 9 }] };
    const plan = { target, steps: 10, tracking: 'registration', ...preset.planning };
    const jobPlan = (horizon: number) => parseWith(ForesightJobSpec, { kind: 'foresight', task: 'planar-push-pixels', episodeSeed: 0, from: 'run-1', plan: { ...plan, horizon } });
    expect(jobPlan(preset.planning.horizon).ok).toBe(true);
    const planHold = jobPlan(preset.planning.horizon + 1);
    expect(planHold.ok).toBe(false);
    if (!planHold.ok) expect(planHold.error).toMatch(/^plan\.horizon: .*multiple of hold/);
  });

  it('needs the pushing task in its simulator', () => {
    const other = parseWith(ForesightJobSpec, job(rounds, { task: 'pendulum-pixels' }));
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.error).toMatch(/^train\.mpcRounds: .*planar-push-pixels/);
  });
});

describe('foresight spec planning.terminalWeight', () => {
  it('is optional and takes a weight ≥ 1, in the evaluation planner and the rounds planner', () => {
    const parsed = parseWith(ForesightEvalSpec, { ...preset, planning: { ...preset.planning, terminalWeight: 8 } });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.planning.terminalWeight).toBe(8);
    const rounds = { ...preset.train.mpcRounds, planning: { ...preset.train.mpcRounds.planning, terminalWeight: 1 } };
    expect(parseWith(ForesightEvalSpec, { ...preset, train: { ...preset.train, mpcRounds: rounds } }).ok).toBe(true);
  });

  it('rejects a weight below 1 or not a number, naming the field', () => {
    for (const terminalWeight of [0.5, -1, 'big']) {
      const parsed = parseWith(ForesightEvalSpec, { ...preset, planning: { ...preset.planning, terminalWeight } });
      expect(parsed.ok, String(terminalWeight)).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/^planning\.terminalWeight: /);
    }
  });
});

describe("foresight spec planning's iCEM options (noiseBeta, keepElites, returnBest)", () => {
  it('are optional and reach the evaluation planner and the rounds planner', () => {
    const icem = { noiseBeta: 3, keepElites: 1, returnBest: true };
    const parsed = parseWith(ForesightEvalSpec, { ...preset, planning: { ...preset.planning, ...icem } });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.planning).toMatchObject(icem);
    const rounds = { ...preset.train.mpcRounds, planning: { ...preset.train.mpcRounds.planning, ...icem } };
    expect(parseWith(ForesightEvalSpec, { ...preset, train: { ...preset.train, mpcRounds: rounds } }).ok).toBe(true);
  });

  it("are taken by a foresight job's plan too (the Visual foresight view's Run), as are the other planner options", () => {
    const plan = { target: { kind: 'pixels', designated: [{ x: 3, y: 4 }], goals: [{ x: 9, y: 9 }] }, steps: 10, tracking: 'registration', ...preset.planning, actionCost: 0.1, terminalWeight: 2 };
    const parsed = parseWith(ForesightJobSpec, { kind: 'foresight', task: 'planar-push-pixels', episodeSeed: 0, from: 'run-1', plan: { ...plan, noiseBeta: 3, keepElites: 1, returnBest: true } });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.plan).toMatchObject({ noiseBeta: 3, keepElites: 1, returnBest: true, actionCost: 0.1 });
    const bad = parseWith(ForesightJobSpec, { kind: 'foresight', task: 'planar-push-pixels', episodeSeed: 0, from: 'run-1', plan: { ...plan, noiseBeta: -3 } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^plan\.noiseBeta: /);
  });

  it('reject a negative exponent, a fractional count and a non-boolean, naming the field', () => {
    for (const [field, value] of [['noiseBeta', -1], ['noiseBeta', 'pink'], ['keepElites', 1.5], ['keepElites', -2], ['returnBest', 'yes']] as const) {
      const parsed = parseWith(ForesightEvalSpec, { ...preset, planning: { ...preset.planning, [field]: value } });
      expect(parsed.ok, `${field} ${value}`).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(new RegExp(`^planning\\.${field}: `));
    }
  });
});

describe('foresight spec planning.actuatorLimits', () => {
  const target = { kind: 'pixels', designated: [{ x: 3, y: 4 }], goals: [{ x: 9, y: 9 }] };
  const plan = { target, steps: 10, tracking: 'registration', ...preset.planning, actuatorLimits: true };

  it("is optional and taken by the evaluation's planner, the rounds' planner and a job's plan", () => {
    const parsed = parseWith(ForesightEvalSpec, { ...preset, planning: { ...preset.planning, actuatorLimits: true } });
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.planning.actuatorLimits).toBe(true);
    const rounds = { ...preset.train.mpcRounds, planning: { ...preset.train.mpcRounds.planning, actuatorLimits: true } };
    expect(parseWith(ForesightEvalSpec, { ...preset, train: { ...preset.train, mpcRounds: rounds } }).ok).toBe(true);
    const job = parseWith(ForesightJobSpec, { kind: 'foresight', task: 'planar-push-pixels', episodeSeed: 0, from: 'run-1', plan });
    expect(job.ok).toBe(true);
    if (job.ok) expect(job.value.plan?.actuatorLimits).toBe(true);
  });

  it('is refused when not a boolean, for a recorded dataset (no robot) and for another task, naming the field', () => {
    const bad = parseWith(ForesightEvalSpec, { ...preset, planning: { ...preset.planning, actuatorLimits: 'yes' } });
    expect(bad.ok).toBe(false);
    if (!bad.ok) expect(bad.error).toMatch(/^planning\.actuatorLimits: /);
    const data = { dataset: 'robot.hdf5', imageKey: 'agentview_image' };
    const recorded = parseWith(ForesightJobSpec, { kind: 'foresight', task: 'planar-push-pixels', episodeSeed: 0, from: 'run-1', data, plan });
    expect(recorded.ok).toBe(false);
    if (!recorded.ok) expect(recorded.error).toMatch(/^plan\.actuatorLimits: .*recorded dataset/);
    expect(parseWith(ForesightJobSpec, { kind: 'foresight', task: 'planar-push-pixels', episodeSeed: 0, from: 'run-1', data, plan: { ...plan, actuatorLimits: false } }).ok).toBe(true);
    const other = parseWith(ForesightJobSpec, { kind: 'foresight', task: 'pendulum-pixels', episodeSeed: 0, from: 'run-1', plan });
    expect(other.ok).toBe(false);
    if (!other.ok) expect(other.error).toMatch(/^plan\.actuatorLimits: .*planar-push-pixels/);
  });
});

describe('foresight spec train.collect.goalPushEpisodes', () => {
  const withCollect = (collect: Record<string, unknown>) => ({ ...preset, train: { ...preset.train, collect: { ...preset.train.collect, ...collect } } });

  it('is optional and takes a share in [0, 1] beside aimed actions', () => {
    const parsed = parseWith(ForesightEvalSpec, preset);
    expect(parsed.ok).toBe(true);
    if (parsed.ok) expect(parsed.value.train.collect?.goalPushEpisodes).toBe(0.5);
    const { goalPushEpisodes: _g, ...without } = preset.train.collect;
    expect(parseWith(ForesightEvalSpec, { ...preset, train: { ...preset.train, collect: without } }).ok).toBe(true);
    expect(parseWith(ForesightEvalSpec, withCollect({ goalPushEpisodes: 1 })).ok).toBe(true);
  });

  it('rejects shares outside [0, 1], a misspelling, and goal pushes without aimed actions, naming the field', () => {
    for (const goalPushEpisodes of [-0.1, 1.5, 'half']) {
      const parsed = parseWith(ForesightEvalSpec, withCollect({ goalPushEpisodes }));
      expect(parsed.ok, String(goalPushEpisodes)).toBe(false);
      if (!parsed.ok) expect(parsed.error).toMatch(/^train\.collect\.goalPushEpisodes: /);
    }
    const typo = parseWith(ForesightEvalSpec, withCollect({ goalPushEpisode: 0.5 }));
    expect(typo.ok).toBe(false);
    if (!typo.ok) expect(typo.error).toMatch(/goalPushEpisode/);
    const alone = parseWith(ForesightEvalSpec, withCollect({ aimProbability: 0 }));
    expect(alone.ok).toBe(false);
    if (!alone.ok) expect(alone.error).toBe('train.collect.goalPushEpisodes: the goal pushes replace the aimed actions, so aimProbability must be above 0');
  });
});
