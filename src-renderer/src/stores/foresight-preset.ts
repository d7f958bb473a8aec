import { longestRoundFitHorizon, type ForesightEvalSpec, type ForesightJobSpec } from '@protocol';
import type { ForesightSettings } from './foresight';
import { editedFields } from './edited-fields';

/**
 * A visual-foresight preset (a `mbrl-lab foresight` evaluation spec) chosen in the Visual foresight
 * view: its spec and the form values it filled in. Train collects and fits with the preset's
 * `train` and Run plans with its `planning`, each with only the form fields the user changed since
 * written over them; its `evaluate` block (many random tasks, baselines) is the CLI's, except the
 * episode length and tracking, which the form takes.
 */
export interface ForesightPresetChoice {
  id: string;
  spec: ForesightEvalSpec;
  /** The form as the preset filled it (to tell the user's edits apart). */
  filled: ForesightSettings;
}

/** The pushing task renders 64×64 frames; a preset without imageSize uses them. */
const TASK_FRAME_SIZE = 64;

/** The form values of a preset; the rest (model widths, kernels, batch, held actions …) stays in its spec. */
export function foresightSettingsFromPreset(spec: ForesightEvalSpec, current: ForesightSettings): ForesightSettings {
  const c = spec.train.collect;
  return {
    ...current,
    source: 'task',
    imageSize: spec.imageSize ?? TASK_FRAME_SIZE,
    episodes: c?.episodes ?? current.episodes,
    steps: c?.steps ?? current.steps,
    trainSteps: spec.train.fit?.steps ?? current.trainSteps,
    population: spec.planning.population,
    iterations: spec.planning.iterations,
    horizon: spec.planning.horizon,
    planSteps: spec.evaluate.steps,
    tracking: spec.evaluate.tracking,
    target: 'pixels',
    seed: c?.seed ?? current.seed,
  };
}

/** Whether a chosen preset still describes the form (frames from the task, which it collects). */
export function foresightPresetApplies(choice: ForesightPresetChoice, s: ForesightSettings): boolean {
  return s.source === 'task' && !!choice.spec.train.collect;
}

/**
 * The job spec to send: `fromForm` (the view's own spec) when no preset applies or for a start-frame
 * job, else with the preset's `train` (for 'train') or `planning` extras (for 'plan') under the
 * edited form fields. Fewer training steps than the preset's scale its sampling ramp and its MPC
 * rounds' fits with them and report at least 20 times, so a quick try still shows a loss curve; shorter
 * episodes shorten the rounds' fit windows (`fitHorizon`) to fit. The rounds plan with the preset's
 * planner unless they name their own.
 */
export function foresightPresetSpec(choice: ForesightPresetChoice | null, s: ForesightSettings, fromForm: ForesightJobSpec): ForesightJobSpec {
  if (!choice || !foresightPresetApplies(choice, s)) return fromForm;
  const edited = new Set(editedFields(choice.filled, s));
  const p = choice.spec;
  if (fromForm.train && p.train.collect) {
    const fit = p.train.fit ?? {};
    const scaled =
      edited.has('trainSteps') && fit.steps
        ? {
            steps: s.trainSteps,
            ...(fit.samplingRampSteps !== undefined ? { samplingRampSteps: Math.round((fit.samplingRampSteps * s.trainSteps) / fit.steps) } : {}),
            reportEvery: Math.max(1, Math.min(fit.reportEvery ?? Infinity, Math.floor(s.trainSteps / 20))),
          }
        : edited.has('trainSteps')
          ? { steps: s.trainSteps }
          : {};
    // Edited training steps scale the rounds' fits as they scale the ramp; edited episodes scale the
    // rounds' planner episodes (at least one a round), so a quick trial of a preset stays quick.
    const roundFitSteps = (steps: number) => (edited.has('trainSteps') && fit.steps ? { fitSteps: Math.max(1, Math.round((steps * s.trainSteps) / fit.steps)) } : {});
    const roundEpisodes = (episodes: number) => (edited.has('episodes') ? { episodes: Math.max(1, Math.round((episodes * s.episodes) / p.train.collect!.episodes)) } : {});
    // Shorter episodes shorten the rounds' fit windows to what an episode holds (the spec refuses longer ones).
    const roundFitHorizon = (horizon: number | undefined) => (horizon && edited.has('steps') ? { fitHorizon: Math.max(1, Math.min(horizon, longestRoundFitHorizon(s.steps, p.train.model?.context))) } : {});
    return {
      ...fromForm,
      train: {
        collect: {
          ...p.train.collect,
          ...(edited.has('episodes') ? { episodes: s.episodes } : {}),
          ...(edited.has('steps') ? { steps: s.steps } : {}),
          ...(edited.has('seed') ? { seed: s.seed } : {}),
        },
        ...(p.train.model ? { model: p.train.model } : {}),
        fit: { ...fit, ...scaled },
        ...(p.train.mpcRounds ? { mpcRounds: { ...p.train.mpcRounds, planning: p.train.mpcRounds.planning ?? p.planning, ...roundFitSteps(p.train.mpcRounds.fitSteps), ...roundEpisodes(p.train.mpcRounds.episodes), ...roundFitHorizon(p.train.mpcRounds.fitHorizon) } } : {}),
      },
    };
  }
  if (fromForm.plan) {
    const { horizon: _h, population: _p, iterations: _i, seed, ...extras } = p.planning;
    return { ...fromForm, plan: { ...extras, ...fromForm.plan, seed: edited.has('seed') ? fromForm.plan.seed : seed } };
  }
  return fromForm;
}
