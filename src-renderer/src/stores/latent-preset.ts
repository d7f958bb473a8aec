import type { LatentJobSpec } from '@protocol';
import type { LatentSettings } from './latent';
import { editedFields } from './edited-fields';

/**
 * A latent-job preset chosen in the Latent space view: its whole spec, and the form values it filled
 * in. Run, the job is the preset's spec with only the form fields the user changed since written
 * over it, so an unedited preset runs exactly as `mbrl-lab latent` runs the file.
 */
export interface LatentPresetChoice {
  id: string;
  spec: LatentJobSpec;
  /** The form as the preset filled it (to tell the user's edits apart). */
  filled: LatentSettings;
}

/**
 * The form values of a preset; fields the form has no control for (architecture, loss weights,
 * planner sizes, MPC rounds …) stay in the preset's spec. `taskSteps`: the task's episode length,
 * shown where the preset leaves collect.steps to the task.
 */
export function latentSettingsFromPreset(spec: LatentJobSpec, current: LatentSettings, taskSteps?: number): LatentSettings {
  return {
    ...current,
    source: 'task',
    task: spec.task,
    kind: spec.model.kind,
    latentDim: spec.model.latentDim,
    episodes: spec.collect?.episodes ?? current.episodes,
    steps: spec.collect?.steps ?? taskSteps ?? current.steps,
    epochs: spec.fit.epochs,
    controlEpisodes: spec.plan?.episodes ?? 0,
    seed: spec.collect?.seed ?? current.seed,
  };
}

/** Whether a chosen preset still describes the form: frames from the task, and its model kind (its architecture is that kind's). */
export function latentPresetApplies(choice: LatentPresetChoice, s: LatentSettings): boolean {
  return s.source === 'task' && !choice.spec.data && s.kind === choice.spec.model.kind;
}

/**
 * The job spec to run: `fromForm` (the view's own spec from the settings) when no preset applies,
 * else the preset's spec with the edited form fields written over it. A new seed seeds everything,
 * as the form's own spec does; control episodes on a preset without `plan` take the form's planner;
 * the view's display sizes (codes streamed, strips) fill in where the preset has none.
 */
export function latentPresetSpec(choice: LatentPresetChoice | null, s: LatentSettings, fromForm: LatentJobSpec): LatentJobSpec {
  if (!choice || !latentPresetApplies(choice, s)) return fromForm;
  const edited = new Set(editedFields(choice.filled, s));
  const p = choice.spec;
  const seeded = edited.has('seed');
  const collect = p.collect && {
    ...p.collect,
    ...(edited.has('episodes') ? { episodes: s.episodes } : {}),
    ...(edited.has('steps') ? { steps: s.steps } : {}),
    ...(seeded ? { seed: s.seed } : {}),
  };
  let plan = p.plan;
  if (edited.has('controlEpisodes')) plan = plan ? { ...plan, episodes: s.controlEpisodes } : s.controlEpisodes > 0 ? fromForm.plan : undefined;
  if (plan && seeded) plan = { ...plan, seed: fromForm.plan?.seed ?? s.seed + 1000 };
  const { plan: _plan, collect: _collect, ...rest } = p;
  return {
    ...rest,
    ...(collect ? { collect } : {}),
    ...(plan ? { plan } : {}),
    task: edited.has('task') ? s.task : p.task,
    model: { ...p.model, ...(edited.has('latentDim') ? { latentDim: s.latentDim } : {}), ...(seeded ? { seed: s.seed } : {}) },
    fit: { ...p.fit, ...(edited.has('epochs') ? { epochs: s.epochs } : {}), ...(seeded ? { seed: s.seed } : {}) },
    maxCodes: p.maxCodes ?? fromForm.maxCodes,
    strip: p.strip ?? fromForm.strip,
  };
}
