// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { RunSpec } from '@protocol';
import { buildPresets, defaultPreset, describePreset, EXTRA_PRESETS } from '../../src-renderer/src/presets';
import { useExperimentsStore } from '../../src-renderer/src/stores/experiments';
import { usePresetsStore } from '../../src-renderer/src/stores/presets';
import { SHIPPED_PRESETS, attachFakeClient, presetList } from './fake-lab-client';

const preset = (id: string, spec: Partial<RunSpec> & { task: string }) => ({ id, spec: RunSpec.parse(spec) });

describe('presets', () => {
  it('titles the known ids and generates the rest from the spec', () => {
    expect(describePreset('tiny-pendulum', { task: 'pendulum' }).title).toBe('Tiny (smoke test)');
    const cheetah = describePreset('mpc-halfcheetah', { task: 'halfcheetah', algorithm: 'v1.5', episodes: 10 });
    expect(cheetah.title).toBe('v1.5 · halfcheetah');
    expect(cheetah.description).toMatch(/replan.*10 episodes\.$/);
    expect(describePreset('mine', { task: 'cartpole', episodes: 1 })).toEqual({ title: 'random · cartpole', description: expect.stringMatching(/1 episode\.$/) });
  });

  it('lists the featured presets first, the rest by task and algorithm, then the extras', () => {
    const list = buildPresets([
      preset('v10-reacher', { task: 'reacher', algorithm: 'v1.0' }),
      preset('mpc-cartpole', { task: 'cartpole', algorithm: 'v1.5' }),
      preset('mpc-reacher', { task: 'reacher', algorithm: 'v1.5' }),
      preset('v05-reacher', { task: 'reacher', algorithm: 'v0.5' }),
      preset('tiny-pendulum', { task: 'pendulum', algorithm: 'v1.5' }),
      preset('v05-cartpole', { task: 'cartpole', algorithm: 'v0.5' }),
    ]);
    expect(list.map((p) => p.id)).toEqual(['tiny-pendulum', 'mpc-cartpole', 'v05-cartpole', 'v05-reacher', 'v10-reacher', 'mpc-reacher', ...EXTRA_PRESETS.map((p) => p.id)]);
    expect(list.map((p) => p.title).slice(3, 6)).toEqual(['v0.5 · reacher', 'v1.0 · reacher', 'v1.5 · reacher']);
    expect(defaultPreset(list)?.id).toBe('tiny-pendulum');
    // Without the tiny preset the first one is the default.
    expect(defaultPreset(buildPresets([preset('v10-reacher', { task: 'reacher', algorithm: 'v1.0' })]))?.id).toBe('v10-reacher');
    // An engine preset shadows a renderer extra of the same id.
    const shadowed = buildPresets([preset('random-cartpole', { task: 'cartpole', episodes: 3 })]);
    expect(shadowed.filter((p) => p.id === 'random-cartpole')).toHaveLength(1);
    expect(shadowed[0].spec.episodes).toBe(3);
    expect(defaultPreset([])).toBeUndefined();
  });

  it('every shipped preset gets a title of its own', () => {
    const titles = buildPresets(SHIPPED_PRESETS).map((p) => p.title);
    expect(new Set(titles).size).toBe(titles.length);
    expect(titles).toContain('v1.5 · halfcheetah');
    const pets = buildPresets(SHIPPED_PRESETS).filter((p) => p.id.startsWith('pets-'));
    expect(pets.map((p) => p.title)).toEqual(['PETS · cart-pole', 'PETS · reacher', 'PETS · pusher', 'PETS · half-cheetah']);
    for (const p of pets) expect(p.description).toMatch(/probabilistic ensemble of 5, TS∞ particles, CEM/);
  });

  it('names the model of an unknown ensemble preset', () => {
    const d = describePreset('mine', { task: 'reacher', algorithm: 'v1.5', model: { members: 3, probabilistic: true } });
    expect(d.title).toBe('v1.5 · reacher · probabilistic ensemble ×3');
    expect(d.description).toMatch(/With a probabilistic ensemble ×3\./);
    expect(describePreset('one', { task: 'reacher', algorithm: 'v1.5', model: { probabilistic: true } }).title).toBe('v1.5 · reacher · probabilistic model');
  });
});

describe('presets store', () => {
  function setup() {
    const { client, engine } = attachFakeClient();
    return { client, engine, exp: useExperimentsStore(), presets: usePresetsStore() };
  }

  it('asks the engine when the link opens and fills the form with the tiny preset', () => {
    const { client, exp, presets } = setup();
    expect(client.sentOf('presets/list')).toEqual([]);
    client.setState('open');
    expect(client.sentOf('presets/list')).toHaveLength(1);
    expect(presets.loading).toBe(true);
    expect(exp.presetId).toBe('');
    client.emit(presetList());
    expect(presets.loaded).toBe(true);
    expect(presets.loading).toBe(false);
    expect(presets.presets.map((p) => p.id)).toContain('v05-halfcheetah');
    expect(exp.presetId).toBe('tiny-pendulum');
    expect(exp.draft.episodes).toBe('2');
    expect(exp.presetModified).toBe(false);

    // A reconnect asks again but keeps the user's choice.
    exp.applyPreset('v10-pusher');
    client.setState('closed');
    client.setState('open');
    expect(client.sentOf('presets/list')).toHaveLength(2);
    client.emit(presetList());
    expect(exp.presetId).toBe('v10-pusher');
    expect(exp.draft.task).toBe('pusher');
  });

  it('does not overwrite what the user typed before the list came', () => {
    const { client, exp } = setup();
    client.setState('open');
    exp.draft.task = 'cartpole';
    client.emit(presetList());
    expect(exp.presetId).toBe('');
    expect(exp.draft.task).toBe('cartpole');
    expect(exp.presetModified).toBe(true);
  });

  it('shows broken preset files in the banner and lists the rest', () => {
    const { client, engine, exp, presets } = setup();
    client.setState('open');
    client.emit(presetList(['/res/presets/broken.json: optimizer.population: Too small'], SHIPPED_PRESETS.filter((p) => p.id !== 'tiny-pendulum')));
    expect(engine.notice?.kind).toBe('error');
    expect(engine.notice?.message).toBe('1 preset file could not be loaded: /res/presets/broken.json: optimizer.population: Too small');
    expect(presets.errors).toHaveLength(1);
    // No tiny preset: the first listed one is chosen.
    expect(exp.presetId).toBe(presets.presets[0].id);
  });
});
