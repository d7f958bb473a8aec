import { describe, expect, it } from 'vitest';
import { RunSpec } from '@protocol';
import { SPEC_FIELDS, draftFromSpec, draftToInput, fieldVisible, sameDraft, validateDraft } from '../../src-renderer/src/spec-form';
import { buildPresets } from '../../src-renderer/src/presets';
import { SHIPPED_PRESETS } from './fake-lab-client';

const PRESETS = buildPresets(SHIPPED_PRESETS);

const TASKS = ['pendulum', 'cartpole', 'reacher', 'pusher', 'halfcheetah'];

describe('spec form', () => {
  it('turns a spec into a draft with every default filled in, and back', () => {
    const draft = draftFromSpec({ task: 'pendulum', model: { hidden: [32, 32] } });
    expect(draft.task).toBe('pendulum');
    expect(draft['model.hidden']).toBe('32, 32');
    expect(draft['optimizer.population']).toBe('400');
    expect(draft['model.learningRate']).toBe('0.001');
    const { spec, errors } = validateDraft(draft, TASKS);
    expect(errors).toEqual({});
    expect(spec).toEqual(RunSpec.parse({ task: 'pendulum', model: { hidden: [32, 32] } }));
  });

  it('every preset is a valid spec and survives the round trip through the form', () => {
    for (const preset of PRESETS) {
      const { spec, errors } = validateDraft(draftFromSpec(preset.spec), TASKS);
      expect(errors, preset.title).toEqual({});
      expect(spec).toEqual(RunSpec.parse(preset.spec));
    }
    expect(PRESETS.map((p) => p.title)).toContain('Tiny (smoke test)');
    expect(PRESETS.length).toBeGreaterThan(SHIPPED_PRESETS.length);
  });

  it('reports a numeric bound on its field', () => {
    const draft = { ...draftFromSpec(PRESETS[0].spec), 'optimizer.population': '0' };
    const { spec, errors } = validateDraft(draft, TASKS);
    expect(spec).toBeNull();
    expect(errors).toEqual({ 'optimizer.population': 'Must be at least 2.' });
  });

  it('explains blank, fractional, exclusive-bound and list errors per field', () => {
    const draft = {
      ...draftFromSpec(PRESETS[0].spec),
      episodes: '2.5',
      seed: '',
      'model.learningRate': '0',
      'model.hidden': '32, 1.5',
      'mpc.horizon': '501',
    };
    const { errors } = validateDraft(draft, TASKS);
    expect(errors).toEqual({
      episodes: 'Must be a whole number.',
      seed: 'Enter a number.',
      'model.learningRate': 'Must be greater than 0.',
      'model.hidden': 'Layer 2: Must be a whole number.',
      'mpc.horizon': 'Must be at most 500.',
    });
    expect(validateDraft({ ...draft, 'model.hidden': '' }, TASKS).errors['model.hidden']).toBe('Give at least 1 value.');
    expect(validateDraft({ ...draft, 'model.hidden': '64x64 a' }, TASKS).errors['model.hidden']).toBe('Layer 3: Enter a number.');
    expect(validateDraft({ ...draftFromSpec(PRESETS[0].spec), 'model.hidden': '64×64' }, TASKS).spec?.model.hidden).toEqual([64, 64]);
  });

  it('accepts numbers as Vue hands them over from number inputs', () => {
    const draft = { ...draftFromSpec(PRESETS[0].spec), episodes: 4, 'optimizer.population': 64 };
    expect(validateDraft(draft, TASKS).spec?.optimizer.population).toBe(64);
    expect(draftToInput(draft).episodes).toBe(4);
    expect(sameDraft({ a: '4' }, { a: 4 })).toBe(true);
    expect(sameDraft({ a: '4' }, { a: 5 })).toBe(false);
  });

  it('checks the task against the engine list when it is known', () => {
    const draft = draftFromSpec({ task: 'walker' });
    expect(validateDraft(draft, TASKS).errors.task).toMatch(/Unknown task/);
    expect(validateDraft(draft, []).errors).toEqual({});
  });

  it('shows fields for the chosen optimizer, and any field with an error', () => {
    const draft = draftFromSpec({ task: 'cartpole', optimizer: { kind: 'mppi' } });
    const field = (path: string) => SPEC_FIELDS.find((f) => f.path === path)!;
    expect(fieldVisible(field('optimizer.temperature'), draft, {})).toBe(true);
    expect(fieldVisible(field('optimizer.eliteFraction'), draft, {})).toBe(false);
    expect(fieldVisible(field('optimizer.eliteFraction'), draft, { 'optimizer.eliteFraction': 'x' })).toBe(true);
    // Bounds come from the schema itself.
    expect(field('optimizer.population')).toMatchObject({ kind: 'int', min: 2, max: 100_000 });
    expect(field('model.learningRate').kind).toBe('number');
  });
});
