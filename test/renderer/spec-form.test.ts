import { describe, expect, it } from 'vitest';
import { RunSpec } from '@protocol';
import { z } from 'zod';
import { SPEC_FIELDS, SPEC_SECTIONS, draftFromSpec, draftToInput, fieldVisible, innerSchema, objectShape, sameDraft, validateDraft } from '../../src-renderer/src/spec-form';
import { buildPresets } from '../../src-renderer/src/presets';
import { SHIPPED_PRESETS } from './fake-lab-client';

const PRESETS = buildPresets(SHIPPED_PRESETS);

/** The engine's task list, as task/list reports it (src-main/mbrl/env/registry.ts TASK_IDS). */
const TASKS = ['pendulum', 'cartpole', 'reacher', 'pusher', 'halfcheetah', 'point-mass', 'planar-push'];

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

  it('has Model fields for the ensemble and an Uncertainty section, with bounds from the schema', () => {
    const field = (path: string) => SPEC_FIELDS.find((f) => f.path === path)!;
    expect(field('model.members')).toMatchObject({ kind: 'int', min: 1, max: 64 });
    expect(field('model.elites')).toMatchObject({ kind: 'int', min: 1, max: 64, blank: 'all K' });
    expect(field('model.probabilistic').kind).toBe('bool');
    expect(field('model.sampling').options).toEqual(['shuffle', 'bootstrap']);
    const unc = SPEC_SECTIONS.find((s) => s.id === 'uncertainty')!;
    expect(unc.fields.map((f) => f.path)).toEqual(['uncertainty.particles', 'uncertainty.propagation', 'uncertainty.sample', 'uncertainty.objective', 'uncertainty.riskK']);
    expect(field('uncertainty.particles')).toMatchObject({ kind: 'int', min: 1, max: 1000 });
    expect(field('uncertainty.objective').options).toEqual(['expected', 'pessimistic', 'worst', 'optimistic']);
    expect(field('uncertainty.propagation').optionLabels?.tsinf).toBe('TS∞');
    expect(field('uncertainty.riskK')).toMatchObject({ kind: 'number', min: 0, max: 10 });
    expect(SPEC_SECTIONS.find((s) => s.id === 'model')!.note).toMatch(/PETS = probabilistic ensemble \+ TS∞ \+ CEM/);

    // Sections are used only when they matter: uncertainty needs an ensemble or probabilistic members.
    const single = draftFromSpec({ task: 'cartpole', algorithm: 'v1.5' });
    expect(unc.used!(single)).toBe(false);
    expect(unc.used!({ ...single, 'model.members': '3' })).toBe(true);
    expect(unc.used!({ ...single, 'model.probabilistic': 'true' })).toBe(true);
    expect(fieldVisible(field('model.elites'), single, {})).toBe(false);
    expect(fieldVisible(field('model.elites'), { ...single, 'model.members': '5' }, {})).toBe(true);
    expect(fieldVisible(field('uncertainty.riskK'), { ...single, 'uncertainty.objective': 'pessimistic' }, {})).toBe(true);
    expect(fieldVisible(field('uncertainty.riskK'), single, {})).toBe(false);
  });

  it('reads bounds through wrappers, refinements and pipes', () => {
    const refined = z.strictObject({ k: z.number().int().min(2).max(9).default(3) }).refine(() => true);
    expect(Object.keys(objectShape(refined.prefault({})))).toEqual(['k']);
    expect(Object.keys(objectShape(refined.transform((v) => v)))).toEqual(['k']);
    expect(innerSchema(z.number().optional().nullable().default(1))).toBeInstanceOf(z.ZodNumber);
    expect(objectShape(z.number())).toEqual({});
  });

  it('shows an error on elites > members, and leaves a blank elites out', () => {
    const base = draftFromSpec({ task: 'cartpole', algorithm: 'v1.5', model: { members: 3 } });
    expect(base['model.elites']).toBe('');
    expect(draftToInput(base).model).not.toHaveProperty('elites');
    expect(validateDraft(base, TASKS).spec?.model.elites).toBeUndefined();
    const { spec, errors } = validateDraft({ ...base, 'model.elites': '4' }, TASKS);
    expect(spec).toBeNull();
    expect(errors).toEqual({ 'model.elites': 'Elites must not exceed members.' });
    // An elites error shows even where the field would be hidden (one member).
    const one = { ...base, 'model.members': '1', 'model.elites': '2' };
    expect(validateDraft(one, TASKS).errors['model.elites']).toBe('Elites must not exceed members.');
    expect(fieldVisible(SPEC_FIELDS.find((f) => f.path === 'model.elites')!, one, validateDraft(one, TASKS).errors)).toBe(true);
    expect(validateDraft({ ...base, 'model.elites': '3' }, TASKS).spec?.model.elites).toBe(3);
  });

  it("shows planning threads 'auto' as blank and a count as a number", () => {
    const draft = draftFromSpec({ task: 'cartpole' });
    expect(draft['compute.planningWorkers']).toBe('');
    expect(validateDraft(draft).spec?.compute.planningWorkers).toBe('auto');
    const two = validateDraft({ ...draft, 'compute.planningWorkers': '2' });
    expect(two.spec?.compute.planningWorkers).toBe(2);
    expect(draftFromSpec(two.spec!)['compute.planningWorkers']).toBe('2');
    expect(validateDraft({ ...draft, 'compute.planningWorkers': '0' }).errors['compute.planningWorkers']).toBeTruthy();
  });

  it("shows training threads 'auto' as blank and a count as a number, for ensembles only", () => {
    const field = SPEC_FIELDS.find((f) => f.path === 'compute.trainingWorkers')!;
    expect(field.label).toBe('Training threads');
    // Beside the planning threads, in the same section.
    const mpcFields = SPEC_SECTIONS.find((s) => s.id === 'mpc')!.fields.map((f) => f.path);
    expect(mpcFields.indexOf('compute.trainingWorkers')).toBe(mpcFields.indexOf('compute.planningWorkers') + 1);
    const draft = draftFromSpec({ task: 'cartpole', algorithm: 'v1.5', model: { members: 5 } });
    expect(draft['compute.trainingWorkers']).toBe('');
    expect(validateDraft(draft).spec?.compute.trainingWorkers).toBe('auto');
    expect(fieldVisible(field, draft, {})).toBe(true);
    const two = validateDraft({ ...draft, 'compute.trainingWorkers': '2' });
    expect(two.spec?.compute.trainingWorkers).toBe(2);
    expect(draftFromSpec(two.spec!)['compute.trainingWorkers']).toBe('2');
    const zero = validateDraft({ ...draft, 'compute.trainingWorkers': '0' });
    expect(zero.errors['compute.trainingWorkers']).toBe('Must be at least 1.');
    // A single model has nothing to split: the field hides unless it holds an error.
    const single = { ...draft, 'model.members': '1' };
    expect(fieldVisible(field, single, {})).toBe(false);
    expect(fieldVisible(field, { ...single, 'compute.trainingWorkers': '0' }, validateDraft({ ...single, 'compute.trainingWorkers': '0' }).errors)).toBe(true);
  });

  it('switches booleans and enums of the uncertainty section', () => {
    const draft = { ...draftFromSpec({ task: 'cartpole', algorithm: 'v1.5' }), 'model.probabilistic': 'true', 'model.members': '2', 'uncertainty.particles': '2', 'uncertainty.objective': 'pessimistic', 'uncertainty.riskK': '0.5', 'uncertainty.sample': 'false' };
    expect(draftFromSpec({ task: 'cartpole' })['model.probabilistic']).toBe('false');
    const { spec, errors } = validateDraft(draft, TASKS);
    expect(errors).toEqual({});
    expect(spec?.model).toMatchObject({ members: 2, probabilistic: true });
    expect(spec?.uncertainty).toEqual({ particles: 2, propagation: 'tsinf', sample: false, objective: 'pessimistic', riskK: 0.5 });
    expect(validateDraft({ ...draft, 'uncertainty.objective': 'cautious' }, TASKS).errors['uncertainty.objective']).toMatch(/^Pick one of: expected, pessimistic/);
    expect(validateDraft({ ...draft, 'uncertainty.particles': '0' }, TASKS).errors['uncertainty.particles']).toBe('Must be at least 1.');
  });

  it('accepts each PETS preset unchanged', () => {
    const pets = SHIPPED_PRESETS.filter((p) => p.id.startsWith('pets-'));
    expect(pets.map((p) => p.id).sort()).toEqual(['pets-cartpole', 'pets-halfcheetah', 'pets-pusher', 'pets-reacher']);
    for (const preset of pets) {
      const draft = draftFromSpec(preset.spec);
      const { spec, errors } = validateDraft(draft, TASKS);
      expect(errors, preset.id).toEqual({});
      expect(spec, preset.id).toEqual(preset.spec);
      expect(sameDraft(draftFromSpec(spec!), draft)).toBe(true);
      expect(spec!.model).toMatchObject({ members: 5, probabilistic: true });
      expect(spec!.uncertainty.propagation).toBe('tsinf');
    }
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
