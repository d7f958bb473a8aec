import { z } from 'zod';
import { RunSpec, type RunSpecInput } from '@protocol';

/**
 * The experiment form as data: which RunSpec fields it shows, how typed text becomes a spec, and
 * how validation issues become one message per field. The form keeps what the user typed (strings)
 * so a half-typed number stays on screen with its error instead of being coerced away.
 */

/**
 * What the user typed, by dotted field path ('optimizer.population'). Text, except that Vue's
 * v-model hands over numbers from number inputs when they parse. Switches hold 'true' / 'false'.
 */
export type SpecDraft = Record<string, string | number>;

export type FieldKind = 'int' | 'number' | 'enum' | 'int-list' | 'task' | 'bool';

export interface SpecField {
  /** Dotted path in the RunSpec, e.g. 'model.epochs'. */
  path: string;
  label: string;
  kind: FieldKind;
  /** Tooltip: what the field means (from the RunSpec docs). */
  hint?: string;
  /** Choices of an enum field. */
  options?: readonly string[];
  /** How an enum's choices read in the picker (the value itself where missing). */
  optionLabels?: Readonly<Record<string, string>>;
  /** Bounds for the input's min/max attributes (validation uses the schema itself). */
  min?: number;
  max?: number;
  /** The field may be left blank (the spec then omits it); shown as the input's placeholder. */
  blank?: string;
  /** Shown only when this holds for the draft (a field with an error is always shown). */
  when?: (draft: SpecDraft) => boolean;
}

export interface SpecSection {
  id: 'basic' | 'model' | 'optimizer' | 'mpc' | 'uncertainty';
  title: string;
  /** A line of help shown at the top of the section. */
  note?: string;
  /** Whether the run uses this section at all (otherwise its title is dimmed). */
  used?: (draft: SpecDraft) => boolean;
  fields: SpecField[];
}

interface NumberInfo {
  min?: number;
  max?: number;
  int: boolean;
}

/**
 * The schema under its wrappers: defaults, prefaults, optionals, nullables, readonly, catch, and
 * pipes (a `.transform`ed or `.pipe`d schema is read by its input side). Refinements (`.refine`)
 * keep the schema's own class in zod 4, so they need no unwrapping.
 */
export function innerSchema(schema: z.ZodType): z.ZodType {
  let inner: z.ZodType = schema;
  for (let guard = 0; guard < 32; guard++) {
    if (inner instanceof z.ZodPipe) inner = inner.in as z.ZodType;
    else if (
      inner instanceof z.ZodDefault ||
      inner instanceof z.ZodPrefault ||
      inner instanceof z.ZodOptional ||
      inner instanceof z.ZodNullable ||
      inner instanceof z.ZodReadonly ||
      inner instanceof z.ZodCatch
    )
      inner = inner.unwrap() as z.ZodType;
    else break;
  }
  return inner;
}

/** The fields of an object schema (through its wrappers); a non-object gives none. */
export function objectShape(schema: z.ZodType): Readonly<Record<string, z.ZodType>> {
  const inner = innerSchema(schema);
  return inner instanceof z.ZodObject ? (inner.shape as Record<string, z.ZodType>) : {};
}

/** Bounds and integer-ness of a (possibly defaulted or optional) zod number, read from the schema. */
function numberInfo(schema: z.ZodType | undefined): NumberInfo {
  const inner = schema && innerSchema(schema);
  if (!(inner instanceof z.ZodNumber)) return { int: false };
  const finite = (v: number | null) => (v !== null && Number.isFinite(v) ? v : undefined);
  return { min: finite(inner.minValue), max: finite(inner.maxValue), int: inner.isInt };
}

function options(schema: z.ZodType | undefined): readonly string[] {
  const inner = schema && innerSchema(schema);
  return inner instanceof z.ZodEnum ? (inner.options as readonly string[]) : [];
}

function num(path: string, label: string, schema: z.ZodType | undefined, hint?: string, when?: SpecField['when']): SpecField {
  const info = numberInfo(schema);
  return { path, label, kind: info.int ? 'int' : 'number', hint, min: info.min, max: info.max, when };
}

const usesModel = (d: SpecDraft) => d.algorithm !== 'random';
const isKind = (...kinds: string[]) => (d: SpecDraft) => kinds.includes(String(d['optimizer.kind']));
const members = (d: SpecDraft) => Number(d['model.members']);
const isProbabilistic = (d: SpecDraft) => String(d['model.probabilistic']) === 'true';
/** Whether the model has an uncertainty to plan with: an ensemble, or probabilistic members. */
export const uncertainModel = (d: SpecDraft) => members(d) > 1 || isProbabilistic(d);
const isObjective = (...objectives: string[]) => (d: SpecDraft) => objectives.includes(String(d['uncertainty.objective']));

const run = objectShape(RunSpec);
const model = objectShape(run.model);
const opt = objectShape(run.optimizer);
const mpc = objectShape(run.mpc);
const unc = objectShape(run.uncertainty);

/** How the propagation and objective choices read in the form. */
export const PROPAGATION_LABELS: Readonly<Record<string, string>> = { expectation: 'expectation (mean)', ts1: 'TS1', tsinf: 'TS∞' };
export const OBJECTIVE_LABELS: Readonly<Record<string, string>> = {
  expected: 'expected return',
  pessimistic: 'pessimistic (mean − k·std)',
  worst: 'worst particle',
  optimistic: 'optimistic (mean + k·std)',
};

/** The form, section by section. 'basic' is always open; the others fold. */
export const SPEC_SECTIONS: readonly SpecSection[] = [
  {
    id: 'basic',
    title: 'Run',
    fields: [
      { path: 'task', label: 'Task', kind: 'task' },
      { path: 'algorithm', label: 'Algorithm', kind: 'enum', options: options(run.algorithm), hint: 'random: random policy only · v0.5: fit once, then plan · v1.0: open-loop plans, refit · v1.5: MPC, refit' },
      num('episodes', 'Episodes', run.episodes, 'Episodes run by the algorithm (after the random ones).'),
      num('initialEpisodes', 'Random episodes first', run.initialEpisodes, 'Random-policy episodes collected first (the base policy π₀).', usesModel),
      num('seed', 'Seed', run.seed, 'Seeds episodes, model initialisation, minibatches and the planner.'),
    ],
  },
  {
    id: 'model',
    title: 'Model',
    note: 'Members K > 1 make an ensemble (its disagreement is the epistemic uncertainty); probabilistic members also predict a variance. PETS = probabilistic ensemble + TS∞ + CEM.',
    used: usesModel,
    fields: [
      num('model.members', 'Members K', model.members, 'Networks in the ensemble (1 = a single model).'),
      { path: 'model.probabilistic', label: 'Probabilistic', kind: 'bool', hint: 'Members predict a Gaussian (mean and log-variance, trained by NLL) instead of a point.' },
      { path: 'model.sampling', label: 'Member data', kind: 'enum', options: options(model.sampling), optionLabels: { shuffle: 'shuffle (all data)', bootstrap: 'bootstrap resample' }, hint: 'Each member trains on its own shuffle of all data, or on a bootstrap resample (with replacement).', when: (d) => members(d) > 1 },
      { ...num('model.elites', 'Elites E', model.elites, 'Members kept for prediction after each fit, best by validation loss. Blank: all K.', (d) => members(d) > 1), blank: 'all K' },
      { path: 'model.hidden', label: 'Hidden layers', kind: 'int-list', hint: 'Widths of the hidden layers, e.g. "200, 200, 200".' },
      { path: 'model.activation', label: 'Activation', kind: 'enum', options: options(model.activation) },
      num('model.epochs', 'Epochs per fit', model.epochs, 'Most epochs per fit (early stopping may end sooner).'),
      num('model.batchSize', 'Batch size', model.batchSize),
      num('model.learningRate', 'Learning rate', model.learningRate),
      num('model.weightDecay', 'Weight decay', model.weightDecay, 'L2 penalty on kernels.'),
      num('model.valFraction', 'Validation share', model.valFraction, 'Share of transitions held out for validation, early stopping and calibration.'),
      num('model.patience', 'Patience', model.patience, 'Epochs without validation improvement before stopping.'),
    ],
  },
  {
    id: 'optimizer',
    title: 'Optimizer',
    used: usesModel,
    fields: [
      { path: 'optimizer.kind', label: 'Kind', kind: 'enum', options: options(opt.kind) },
      num('optimizer.population', 'Population', opt.population, 'Candidate action sequences per iteration.'),
      num('optimizer.iterations', 'Iterations', opt.iterations, 'CEM/MPPI refinements per plan.', isKind('cem', 'mppi')),
      num('optimizer.eliteFraction', 'Elite share', opt.eliteFraction, 'CEM: share of candidates kept as elites.', isKind('cem')),
      num('optimizer.alpha', 'Smoothing α', opt.alpha, 'CEM: new = α·old + (1−α)·elites.', isKind('cem')),
      num('optimizer.temperature', 'Temperature γ', opt.temperature, 'MPPI: reward-weighting sharpness.', isKind('mppi')),
      num('optimizer.noiseStd', 'Noise std', opt.noiseStd, 'MPPI: noise standard deviation (action units).', isKind('mppi')),
      num('optimizer.beta', 'Noise filter β', opt.beta, 'MPPI: noise filter coefficient in (0, 1].', isKind('mppi')),
    ],
  },
  {
    id: 'mpc',
    title: 'MPC',
    used: usesModel,
    fields: [
      num('mpc.horizon', 'Horizon H', mpc.horizon, 'Planning horizon (steps).'),
      num('mpc.replanEvery', 'Replan every', mpc.replanEvery, 'Replan every N executed steps (1 = full MPC). v1.0 always executes whole plans.', (d) => d.algorithm !== 'v1.0'),
      // 'auto' (the default) shows as a blank field: number inputs cannot hold words.
      { path: 'compute.planningWorkers', label: 'Planning threads', kind: 'int', min: 1, max: 64, blank: 'auto: one per core', hint: 'Worker threads that score candidate plans in parallel (wasm/cpu backends). Blank: one per CPU core; 1: plan on the engine thread. Same results either way.' },
      { path: 'compute.trainingWorkers', label: 'Training threads', kind: 'int', min: 1, max: 64, blank: 'auto: one per core', hint: 'Worker threads that fit the ensemble\'s members in parallel (wasm/cpu backends; at most one per member). Blank: one per CPU core; 1: fit on the engine thread. Same results either way.', when: (d) => members(d) > 1 },
    ],
  },
  {
    id: 'uncertainty',
    title: 'Uncertainty',
    note: 'Planning through an ensemble or probabilistic model: each candidate plan is rolled out by P particles and scored by the objective. TS∞ keeps one member per particle (PETS); TS1 draws a member every step.',
    used: (d) => usesModel(d) && uncertainModel(d),
    fields: [
      num('uncertainty.particles', 'Particles P', unc.particles, 'Particles per candidate action sequence.'),
      { path: 'uncertainty.propagation', label: 'Propagation', kind: 'enum', options: options(unc.propagation), optionLabels: PROPAGATION_LABELS, hint: 'expectation: the members\' mean · TS1: a random member every step · TS∞: one member per particle for the whole horizon.' },
      { path: 'uncertainty.sample', label: 'Sample s′', kind: 'bool', hint: 'Sample the next state from the predicted Gaussian (on) or use its mean (off).', when: isProbabilistic },
      { path: 'uncertainty.objective', label: 'Objective', kind: 'enum', options: options(unc.objective), optionLabels: OBJECTIVE_LABELS, hint: 'How a plan\'s particle returns are scored: their mean, mean − k·std (risk-averse), the worst one, or mean + k·std (risk-seeking).' },
      num('uncertainty.riskK', 'Risk k', unc.riskK, 'k of the pessimistic and optimistic objectives.', isObjective('pessimistic', 'optimistic')),
    ],
  },
];

export const SPEC_FIELDS: readonly SpecField[] = SPEC_SECTIONS.flatMap((s) => s.fields);

function getPath(obj: unknown, path: string): unknown {
  return path.split('.').reduce<unknown>((o, key) => (o && typeof o === 'object' ? (o as Record<string, unknown>)[key] : undefined), obj);
}

function setPath(obj: Record<string, unknown>, path: string, value: unknown): void {
  const keys = path.split('.');
  let o = obj;
  for (const key of keys.slice(0, -1)) o = (o[key] ??= {}) as Record<string, unknown>;
  o[keys.at(-1)!] = value;
}

/** Whether two drafts hold the same values (numbers and their text count as equal). */
export function sameDraft(a: SpecDraft, b: SpecDraft): boolean {
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].every((k) => String(a[k] ?? '') === String(b[k] ?? ''));
}

/** The draft for a spec: the spec with its defaults filled in, every field as text (blank: left out). */
export function draftFromSpec(input: RunSpecInput): Record<string, string> {
  const parsed = RunSpec.safeParse(input);
  const spec = parsed.success ? parsed.data : input;
  const draft: Record<string, string> = {};
  for (const field of SPEC_FIELDS) {
    const value = getPath(spec, field.path);
    // A blank-able number field shows its word default ('auto') as blank.
    const blankWord = field.blank !== undefined && typeof value === 'string' && (field.kind === 'int' || field.kind === 'number');
    draft[field.path] = Array.isArray(value) ? value.join(', ') : value === undefined || blankWord ? '' : String(value);
  }
  return draft;
}

/** Typed text to a number; blank or malformed text becomes NaN (an "enter a number" error). */
function toNumber(text: string): number {
  return text.trim() === '' ? NaN : Number(text);
}

/** The draft as a spec input for validation: numbers parsed, lists split on commas or spaces. */
export function draftToInput(draft: SpecDraft): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const field of SPEC_FIELDS) {
    const text = String(draft[field.path] ?? '');
    // A blank optional field is left out, so the spec's own default applies.
    if (field.blank !== undefined && text.trim() === '') continue;
    let value: unknown = text;
    if (field.kind === 'int' || field.kind === 'number') value = toNumber(text);
    else if (field.kind === 'int-list') value = text.split(/[\s,;×x]+/).filter(Boolean).map(toNumber);
    else if (field.kind === 'bool') value = text === 'true';
    setPath(out, field.path, value);
  }
  return out;
}

/** One readable sentence for a zod issue on a form field. */
export function issueMessage(issue: z.core.$ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.expected === 'int' ? 'Must be a whole number.' : issue.expected === 'number' ? 'Enter a number.' : issue.message;
    case 'too_small':
      if (issue.origin === 'array') return `Give at least ${issue.minimum} value${Number(issue.minimum) === 1 ? '' : 's'}.`;
      if (issue.origin === 'string') return 'Required.';
      return issue.inclusive ? `Must be at least ${issue.minimum}.` : `Must be greater than ${issue.minimum}.`;
    case 'too_big':
      if (issue.origin === 'array') return `At most ${issue.maximum} values.`;
      return issue.inclusive ? `Must be at most ${issue.maximum}.` : `Must be less than ${issue.maximum}.`;
    case 'invalid_value':
      return `Pick one of: ${issue.values.join(', ')}.`;
    default:
      return sentence(issue.message);
  }
}

/** A schema's own message as a sentence: "elites must not exceed members" → "Elites must not exceed members." */
function sentence(message: string): string {
  const text = message.trim();
  if (!text) return 'Invalid value.';
  return `${text[0].toUpperCase()}${text.slice(1)}${/[.!?]$/.test(text) ? '' : '.'}`;
}

export interface DraftValidation {
  /** The validated spec with defaults, or null while any field is wrong. */
  spec: RunSpec | null;
  /** First message per field path (list items report on their list: 'model.hidden'). */
  errors: Record<string, string>;
}

/**
 * Validates the draft with the protocol's own RunSpec schema, so the form accepts exactly what the
 * engine accepts. `tasks` (when known) also checks that the task exists.
 */
export function validateDraft(draft: SpecDraft, tasks: readonly string[] = []): DraftValidation {
  const result = RunSpec.safeParse(draftToInput(draft));
  const errors: Record<string, string> = {};
  if (!result.success) {
    for (const issue of result.error.issues) {
      const key = issue.path.filter((p) => typeof p === 'string').join('.');
      const index = issue.path.find((p) => typeof p === 'number');
      const message = issueMessage(issue);
      errors[key] ??= index === undefined ? message : `Layer ${Number(index) + 1}: ${message}`;
    }
  }
  if (tasks.length > 0 && !tasks.includes(String(draft.task ?? ''))) errors.task ??= `Unknown task; pick one of: ${tasks.join(', ')}.`;
  const ok = result.success && Object.keys(errors).length === 0;
  return { spec: ok ? result.data : null, errors };
}

/** Whether a field is on screen for this draft: its condition holds, or it has an error to show. */
export function fieldVisible(field: SpecField, draft: SpecDraft, errors: Record<string, string>): boolean {
  return !field.when || field.when(draft) || field.path in errors;
}
