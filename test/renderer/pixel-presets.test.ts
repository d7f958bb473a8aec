// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import { ForesightEvalSpec, ForesightJobSpec, LatentJobSpec } from '@protocol';
import { buildForesightPresets, buildLatentPresets, describeForesightPreset, describeLatentPreset } from '../../src-renderer/src/pixel-presets';
import { DEFAULT_LATENT_SETTINGS, latentJobSpec, useLatentStore } from '../../src-renderer/src/stores/latent';
import { DEFAULT_FORESIGHT_SETTINGS, foresightJobSpec } from '../../src-renderer/src/stores/foresight';
import { latentPresetSpec, latentSettingsFromPreset, type LatentPresetChoice } from '../../src-renderer/src/stores/latent-preset';
import { foresightPresetSpec, foresightSettingsFromPreset, type ForesightPresetChoice } from '../../src-renderer/src/stores/foresight-preset';
import { usePixelPresetsStore } from '../../src-renderer/src/stores/presets';
import { useEngineStore } from '../../src-renderer/src/stores/engine';
import LatentView from '../../src-renderer/src/views/LatentView.vue';
import ForesightView from '../../src-renderer/src/views/ForesightView.vue';
import { attachFakeClient } from './fake-lab-client';
import { editedFields } from '../../src-renderer/src/stores/edited-fields';

// The shipped pixel presets as the engine lists them (validated), read from the files at test time:
// their contents change, so every expectation below is computed from them.
const idOf = (path: string) => path.replace(/^.*\/(.+)\.json$/, '$1');
const latentFiles = import.meta.glob<Record<string, unknown>>('../../resources/presets/latent/*.json', { eager: true, import: 'default' });
const foresightFiles = import.meta.glob<Record<string, unknown>>('../../resources/presets/foresight/*.json', { eager: true, import: 'default' });
const LATENT = Object.entries(latentFiles).map(([path, json]) => ({ id: idOf(path), spec: LatentJobSpec.parse(json) })).sort((a, b) => a.id.localeCompare(b.id));
const FORESIGHT = Object.entries(foresightFiles).map(([path, json]) => ({ id: idOf(path), spec: ForesightEvalSpec.parse(json) })).sort((a, b) => a.id.localeCompare(b.id));
const latentPreset = (id: string) => LATENT.find((p) => p.id === id)!;
const foresightPreset = (id: string) => FORESIGHT.find((p) => p.id === id)!;

describe('pixel preset titles', () => {
  it('describes each shipped preset from its spec: task, model kind and sizes', () => {
    expect(LATENT.map((p) => p.id)).toEqual(expect.arrayContaining(['e2c-point-mass', 'latent-pendulum-pixels']));
    for (const { spec } of LATENT) {
      const { title, description } = describeLatentPreset(spec);
      expect(title).toContain(spec.task);
      expect(title).toMatch(spec.model.kind === 'e2c' ? /^E2C/ : /^Lecture model/);
      expect(description).toContain(`latent dim ${spec.model.latentDim}`);
      expect(description).toContain(`${spec.fit.epochs} epoch`);
      if (spec.collect) expect(description).toContain(`${spec.collect.episodes} episode`);
      if (spec.image?.width) expect(description).toContain(`${spec.image.width}×${spec.image.height ?? spec.image.width}`);
      if (spec.plan) expect(description).toContain(`H ${spec.plan.horizon}`);
    }
    const pendulum = latentPreset('latent-pendulum-pixels').spec;
    expect(describeLatentPreset({ ...pendulum, image: { ...pendulum.image, supersample: 4 } }).description).toContain('anti-aliased 4×4');
    expect(describeLatentPreset({ ...pendulum, image: { ...pendulum.image, supersample: 1 } }).description).not.toContain('anti-aliased');
    expect(describeLatentPreset(pendulum).description).toContain('offset-free');
    expect(describeLatentPreset({ ...pendulum, plan: { ...pendulum.plan!, offsetCorrection: undefined } }).description).not.toContain('offset-free');
    expect(FORESIGHT.map((p) => p.id)).toEqual(expect.arrayContaining(['cpu-32', 'gpu-64']));
    for (const { spec } of FORESIGHT) {
      const { title, description } = describeForesightPreset(spec);
      const size = spec.imageSize ?? 64;
      expect(title).toContain(`${size}×${size}`);
      expect(description).toContain(`CEM ${spec.planning.population}×${spec.planning.iterations}`);
      if (spec.train.fit?.steps) expect(description).toContain(`${spec.train.fit.steps} Adam steps`);
      const r = spec.train.mpcRounds;
      if (r) expect(description).toContain(`MPC round${r.rounds > 1 ? 's' : ''} × (${r.episodes} planner episode`);
    }
    const base = foresightPreset('cpu-32').spec;
    const withRounds = { ...base, train: { ...base.train, mpcRounds: { rounds: 3, episodes: 12, steps: 40, fitSteps: 800, noise: 0.3 } } };
    expect(describeForesightPreset(withRounds).description).toContain('3 MPC rounds × (12 planner episodes, 800 steps)');
    expect(describeForesightPreset({ ...withRounds, train: { ...withRounds.train, mpcRounds: { ...withRounds.train.mpcRounds, fitHorizon: 22 } } }).description).toContain('3 MPC rounds × (12 planner episodes, 800 steps at horizon 22)');
    expect(describeForesightPreset({ ...base, train: { ...base.train, mpcRounds: undefined } }).description).not.toContain('MPC round');
    // The planner's iCEM options, when set, and nothing of them when not.
    const icem = { ...base, planning: { ...base.planning, noiseBeta: 3, keepElites: 1, returnBest: true } };
    expect(describeForesightPreset(icem).description).toContain(`CEM ${base.planning.population}×2 (iCEM: colored noise β 3, 1 kept elite, best candidate) over held ×4`);
    const plain = { ...base, planning: { ...base.planning, noiseBeta: undefined, keepElites: undefined, returnBest: undefined } };
    expect(describeForesightPreset(plain).description).toContain(`CEM ${base.planning.population}×2 over held ×4`);
    // The planner that knows the pusher's limits says so.
    expect(describeForesightPreset({ ...base, planning: { ...base.planning, actuatorLimits: true } }).description).toContain("replan every 4, knowing the pusher's slide limits;");
    expect(describeForesightPreset({ ...base, planning: { ...base.planning, actuatorLimits: false } }).description).not.toContain('slide limits');
    expect(describeForesightPreset(base).description).toContain('800 random pushes × 30 steps (50 % going around the block to push it)');
    expect(describeForesightPreset({ ...base, train: { ...base.train, collect: { ...base.train.collect!, goalPushEpisodes: 0 } } }).description).not.toContain('going around');
  });

  it('keeps titles apart and lists a dataset preset as unusable in the view', () => {
    const e2c = latentPreset('e2c-point-mass');
    const twin = { id: 'twin', spec: e2c.spec };
    const list = buildLatentPresets([twin, e2c]);
    expect(list.map((p) => p.id)).toEqual(['e2c-point-mass', 'twin']);
    expect(new Set(list.map((p) => p.title)).size).toBe(2);
    expect(list[1].title).toMatch(/\(twin\)$/);
    const { collect: _c, plan: _p, ...rest } = e2c.spec;
    const fromData = buildLatentPresets([{ id: 'rec', spec: LatentJobSpec.parse({ ...rest, data: { dataset: '/d/x.hdf5', imageKey: 'obs/agentview_image' } }) }]);
    expect(fromData[0].unusable).toMatch(/recorded dataset/);
    expect(buildForesightPresets(FORESIGHT).every((p) => p.unusable === null)).toBe(true);
  });
});

describe('latent preset → job spec', () => {
  const choose = (id: string): LatentPresetChoice => {
    const { spec } = latentPreset(id);
    return { id, spec, filled: latentSettingsFromPreset(spec, DEFAULT_LATENT_SETTINGS, 100) };
  };

  it('runs an unedited preset exactly as its file (plus the view\'s display sizes where it has none)', () => {
    for (const { id, spec } of LATENT) {
      const choice = choose(id);
      const s = { ...choice.filled };
      expect(editedFields(choice.filled, s)).toEqual([]);
      const out = latentPresetSpec(choice, s, latentJobSpec(s));
      expect(out).toEqual({ ...spec, maxCodes: spec.maxCodes ?? 1500, strip: spec.strip ?? { frames: 10, ahead: 5 } });
      expect(() => LatentJobSpec.parse(out)).not.toThrow();
    }
  });

  it('writes only the edited form fields over the preset', () => {
    const choice = choose('e2c-point-mass');
    const p = choice.spec;
    const s = { ...choice.filled, episodes: 2, steps: 10, epochs: 1, controlEpisodes: 0, latentDim: p.model.latentDim + 1 };
    expect(editedFields(choice.filled, s).sort()).toEqual(['epochs', 'episodes', 'latentDim', 'steps', ...(p.plan?.episodes ? ['controlEpisodes'] : [])].sort());
    const out = latentPresetSpec(choice, s, latentJobSpec(s));
    expect(out.collect).toEqual({ ...p.collect, episodes: 2, steps: 10 });
    expect(out.fit).toEqual({ ...p.fit, epochs: 1 });
    expect(out.model).toEqual({ ...p.model, latentDim: p.model.latentDim + 1 });
    if (p.plan) expect(out.plan).toEqual({ ...p.plan, episodes: 0 });
    // A new seed seeds collection, model, fit and control.
    const seeded = latentPresetSpec(choice, { ...choice.filled, seed: 77 }, latentJobSpec({ ...choice.filled, seed: 77 }));
    expect([seeded.collect?.seed, seeded.model.seed, seeded.fit.seed, seeded.plan?.seed ?? 1077]).toEqual([77, 77, 77, 1077]);
  });

  it('gives control to a preset without a plan, and drops the preset for another model kind or a dataset', () => {
    const choice = choose('e2c-point-mass');
    const { plan: _p, ...noPlan } = choice.spec;
    const bare: LatentPresetChoice = { ...choice, spec: noPlan, filled: { ...choice.filled, controlEpisodes: 0 } };
    const s = { ...bare.filled, controlEpisodes: 3 };
    expect(latentPresetSpec(bare, s, latentJobSpec(s)).plan).toEqual(latentJobSpec(s).plan);
    const other = { ...choice.filled, kind: 'deterministic' as const };
    expect(latentPresetSpec(choice, other, latentJobSpec(other))).toEqual(latentJobSpec(other));
    const data = { ...choice.filled, source: 'dataset' as const };
    expect(latentPresetSpec(choice, data, latentJobSpec(data))).toEqual(latentJobSpec(data));
    expect(latentPresetSpec(null, choice.filled, latentJobSpec(choice.filled))).toEqual(latentJobSpec(choice.filled));
  });
});

describe('foresight preset → job specs', () => {
  const choose = (id: string): ForesightPresetChoice => {
    const { spec } = foresightPreset(id);
    return { id, spec, filled: foresightSettingsFromPreset(spec, DEFAULT_FORESIGHT_SETTINGS) };
  };
  const pairs = [{ designated: [3, 4] as [number, number], goal: [9, 9] as [number, number] }];

  it('trains with the preset\'s train block and plans with its planning extras', () => {
    for (const { id, spec } of FORESIGHT) {
      const choice = choose(id);
      const s = choice.filled;
      expect(s.imageSize).toBe(spec.imageSize ?? 64);
      const train = foresightPresetSpec(choice, s, foresightJobSpec(s, { kind: 'train' }));
      // MPC rounds plan with the preset's planner unless they name their own.
      const rounds = spec.train.mpcRounds;
      expect(train.train).toEqual(rounds ? { ...spec.train, mpcRounds: { ...rounds, planning: rounds.planning ?? spec.planning } } : spec.train);
      expect(train.imageSize).toBe(spec.imageSize ?? 64);
      expect(() => ForesightJobSpec.parse(train)).not.toThrow();
      const plan = foresightPresetSpec(choice, s, foresightJobSpec(s, { kind: 'plan', runId: 'r1', pairs }));
      const { seed, ...planning } = spec.planning;
      expect(plan.plan).toMatchObject({ ...planning, seed, steps: spec.evaluate.steps, tracking: spec.evaluate.tracking });
      expect(() => ForesightJobSpec.parse(plan)).not.toThrow();
      // The start frame job needs nothing of the preset.
      expect(foresightPresetSpec(choice, s, foresightJobSpec(s, { kind: 'frame' }))).toEqual(foresightJobSpec(s, { kind: 'frame' }));
    }
  });

  it('scales the sampling ramp and the reports with fewer training steps, and writes the other edits', () => {
    const choice = choose('cpu-32');
    const fit = choice.spec.train.fit!;
    const s = { ...choice.filled, episodes: 3, steps: 14, trainSteps: 4 };
    const out = foresightPresetSpec(choice, s, foresightJobSpec(s, { kind: 'train' }));
    expect(out.train?.collect).toEqual({ ...choice.spec.train.collect, episodes: 3, steps: 14 });
    expect(out.train?.fit).toEqual({ ...fit, steps: 4, samplingRampSteps: Math.round((fit.samplingRampSteps! * 4) / fit.steps!), reportEvery: 1 });
    expect(out.train?.model).toEqual(choice.spec.train.model);
    const dataset = { ...choice.filled, source: 'dataset' as const };
    expect(foresightPresetSpec(choice, dataset, foresightJobSpec(dataset, { kind: 'frame' }))).toEqual(foresightJobSpec(dataset, { kind: 'frame' }));
  });

  it("passes the preset's MPC rounds with its planner, their fits scaled like the training steps and their episodes like the random ones", () => {
    const base = choose('cpu-32');
    const mpcRounds = { rounds: 2, episodes: 5, steps: 40, fitSteps: 700, noise: 0.3, weight: 4 };
    const spec = { ...base.spec, train: { ...base.spec.train, mpcRounds } };
    const choice: ForesightPresetChoice = { ...base, spec };
    const untouched = foresightPresetSpec(choice, choice.filled, foresightJobSpec(choice.filled, { kind: 'train' }));
    expect(untouched.train?.mpcRounds).toEqual({ ...mpcRounds, planning: spec.planning });
    expect(() => ForesightJobSpec.parse(untouched)).not.toThrow();
    const quick = { ...choice.filled, trainSteps: spec.train.fit!.steps! / 10 };
    expect(foresightPresetSpec(choice, quick, foresightJobSpec(quick, { kind: 'train' })).train?.mpcRounds).toEqual({ ...mpcRounds, fitSteps: 70, planning: spec.planning });
    const collected = spec.train.collect!.episodes;
    const fewer = { ...choice.filled, episodes: collected * 0.4 };
    expect(foresightPresetSpec(choice, fewer, foresightJobSpec(fewer, { kind: 'train' })).train?.mpcRounds).toEqual({ ...mpcRounds, episodes: 2, planning: spec.planning });
    const tiny = { ...choice.filled, episodes: 3 };
    expect(foresightPresetSpec(choice, tiny, foresightJobSpec(tiny, { kind: 'train' })).train?.mpcRounds?.episodes).toBe(1);
    // Shorter episodes shorten the rounds' fit windows to what an episode holds; a window that fits stays.
    const long: ForesightPresetChoice = { ...choice, spec: { ...spec, train: { ...spec.train, mpcRounds: { ...mpcRounds, fitHorizon: 22 } } } };
    const short = { ...long.filled, steps: 14 };
    const shortSpec = foresightPresetSpec(long, short, foresightJobSpec(short, { kind: 'train' }));
    expect(shortSpec.train?.mpcRounds?.fitHorizon).toBe(13);
    expect(() => ForesightJobSpec.parse(shortSpec)).not.toThrow();
    expect(foresightPresetSpec(long, long.filled, foresightJobSpec(long.filled, { kind: 'train' })).train?.mpcRounds?.fitHorizon).toBe(22);
    const own = { ...spec.planning, horizon: 6, population: 8 };
    const withOwn: ForesightPresetChoice = { ...choice, spec: { ...spec, train: { ...spec.train, mpcRounds: { ...mpcRounds, planning: own } } } };
    expect(foresightPresetSpec(withOwn, withOwn.filled, foresightJobSpec(withOwn.filled, { kind: 'train' })).train?.mpcRounds?.planning).toEqual(own);
  });
});

describe('pixel presets in the views', () => {
  function setup() {
    const { pinia, client } = attachFakeClient();
    client.open([]);
    // The store asks when it is first used (by a view); make it now so it hears the answers below.
    usePixelPresetsStore(pinia);
    return { pinia, client };
  }
  const answer = (client: ReturnType<typeof setup>['client'], errors: string[] = []) => {
    client.emit({ type: 'presets/latent', presets: LATENT, errors });
    client.emit({ type: 'presets/foresight', presets: FORESIGHT, errors: [] });
  };

  it('asks the engine for both lists when the link opens, and reports broken files by name', async () => {
    const { client, pinia } = setup();
    const store = usePixelPresetsStore(pinia);
    const engine = useEngineStore(pinia);
    expect(client.sentOf('presets/latent')).toHaveLength(1);
    expect(client.sentOf('presets/foresight')).toHaveLength(1);
    answer(client, ['/r/presets/latent/bad.json: model.latentDims: unknown field']);
    expect(store.latent.map((p) => p.id)).toEqual(LATENT.map((p) => p.id));
    expect(store.foresight.map((p) => p.id)).toEqual(FORESIGHT.map((p) => p.id));
    const wrapper = mount(LatentView, { global: { plugins: [pinia], stubs: { LatentCloudViewport: true } } });
    await nextTick();
    expect(wrapper.get('[data-testid="latent-preset-error"]').text()).toBe('bad.json: model.latentDims: unknown field');
    expect(engine.notice?.message).toMatch(/1 pixel preset file could not be loaded: .*bad\.json: model\.latentDims: unknown field/);
    wrapper.unmount();
  });

  it('Latent space: a preset fills the form, an edit marks it, and Run sends the preset under the edits', async () => {
    const { client, pinia } = setup();
    answer(client);
    const wrapper = mount(LatentView, { global: { plugins: [pinia], stubs: { LatentCloudViewport: true } } });
    const { spec } = latentPreset('e2c-point-mass');
    await wrapper.get('[data-testid="latent-preset"]').setValue('e2c-point-mass');
    const value = (id: string) => (wrapper.get(`[data-testid="${id}"]`).element as HTMLInputElement).value;
    expect(value('latent-task')).toBe(spec.task);
    expect(value('latent-kind')).toBe(spec.model.kind);
    expect(value('latent-dim')).toBe(String(spec.model.latentDim));
    expect(value('latent-episodes')).toBe(String(spec.collect!.episodes));
    expect(value('latent-epochs')).toBe(String(spec.fit.epochs));
    expect(wrapper.get('[data-testid="latent-preset-note"]').text()).toContain(describeLatentPreset(spec).description);
    expect(wrapper.get('[data-testid="latent-preset-note"]').text()).not.toContain('edited');
    await wrapper.get('[data-testid="latent-epochs"]').setValue('1');
    expect(wrapper.get('[data-testid="latent-preset-note"]').text()).toContain('edited');
    await wrapper.get('[data-testid="latent-run"]').trigger('submit');
    const [start] = client.sentOf('job/start');
    expect(start.spec).toMatchObject({ ...spec, fit: { ...spec.fit, epochs: 1 } });
    // Another model kind (once the job is over): the preset no longer applies and the picker says so.
    client.emit({ type: 'job/done', jobId: start.jobId });
    await nextTick();
    await wrapper.get('[data-testid="latent-kind"]').setValue('deterministic');
    expect(useLatentStore(pinia).preset).toBeNull();
    await nextTick();
    expect((wrapper.get('[data-testid="latent-preset"]').element as HTMLSelectElement).value).toBe('');
    expect((wrapper.get('[data-testid="latent-preset"]').element as HTMLSelectElement).value).toBe('');
    wrapper.unmount();
  });

  it('Visual foresight: a preset fills both forms and Train sends its train block', async () => {
    const { client, pinia } = setup();
    answer(client);
    const wrapper = mount(ForesightView, { global: { plugins: [pinia], stubs: { PixelGoalPicker: true } } });
    const { spec } = foresightPreset('gpu-64');
    await wrapper.get('[data-testid="foresight-preset"]').setValue('gpu-64');
    const value = (id: string) => (wrapper.get(`[data-testid="${id}"]`).element as HTMLInputElement).value;
    expect(value('foresight-size')).toBe(String(spec.imageSize ?? 64));
    expect(value('foresight-episodes')).toBe(String(spec.train.collect!.episodes));
    expect(value('foresight-train-steps')).toBe(String(spec.train.fit!.steps));
    expect(value('foresight-population')).toBe(String(spec.planning.population));
    expect(value('foresight-horizon')).toBe(String(spec.planning.horizon));
    expect(value('foresight-plan-steps')).toBe(String(spec.evaluate.steps));
    // A horizon that is not a multiple of the preset's held actions is refused before Run.
    const hold = spec.planning.hold ?? 1;
    if (hold > 1) {
      await wrapper.get('[data-testid="foresight-horizon"]').setValue(String(spec.planning.horizon + 1));
      expect(wrapper.get('[data-testid="foresight-run-hint"]').text()).toContain(`multiple of ${hold}`);
      await wrapper.get('[data-testid="foresight-horizon"]').setValue(String(spec.planning.horizon));
      expect(wrapper.get('[data-testid="foresight-run-hint"]').text()).not.toContain('multiple of');
    }
    // The start-frame jobs (on mount, and again for the preset's size and seed) finish first; then train.
    for (let done = 0; done < client.sentOf('job/start').length; done++) {
      client.emit({ type: 'job/done', jobId: client.sentOf('job/start')[done].jobId });
      await nextTick();
    }
    expect(client.sentOf('job/start').every((r) => r.spec.kind === 'foresight' && !('train' in r.spec))).toBe(true);
    await wrapper.get('[data-testid="foresight-train"]').trigger('submit');
    const train = client.sentOf('job/start').at(-1)!;
    expect(train.spec).toMatchObject({ kind: 'foresight', imageSize: spec.imageSize ?? 64, train: spec.train });
    wrapper.unmount();
  });
});
