import type { EngineEventOf, RunSpecInput } from '@protocol';

/** A named experiment spec the Experiments view offers in its preset picker. */
export interface Preset {
  /** Stable id: the file name under resources/presets/ without `.json`, e.g. `mpc-cartpole`. */
  id: string;
  title: string;
  /** One line on what the preset shows. */
  description: string;
  /** The spec (as the engine validated it, or as written for a renderer-side extra). */
  spec: RunSpecInput;
}

/** A preset as the engine lists it (`presets/list`). */
export type EnginePreset = EngineEventOf<'presets/list'>['presets'][number];

interface PresetText {
  title: string;
  description: string;
}

/**
 * Human titles and descriptions of the presets the picker puts first, by id. Presets the engine
 * lists that are not here get a title generated from their spec (see {@link describePreset}).
 */
const PRESET_TEXT: Readonly<Record<string, PresetText>> = {
  'tiny-pendulum': {
    title: 'Tiny (smoke test)',
    description: 'Two short pendulum episodes with a tiny model: checks the whole loop in seconds.',
  },
  'mpc-cartpole': {
    title: 'MPC cart-pole (v1.5)',
    description: 'Replan every step with CEM through the learned model, refit after each episode.',
  },
  'v05-cartpole': {
    title: 'v0.5 cart-pole',
    description: 'Fit once on random data, then plan without collecting more: shows distribution shift.',
  },
  'v10-cartpole': {
    title: 'v1.0 cart-pole',
    description: 'Execute whole plans open-loop, add the data and refit each episode.',
  },
  ...Object.fromEntries(
    [
      ['cartpole', 'cart-pole'],
      ['reacher', 'reacher'],
      ['pusher', 'pusher'],
      ['halfcheetah', 'half-cheetah'],
    ].map(([task, name]) => [
      `pets-${task}`,
      { title: `PETS · ${name}`, description: 'PETS: probabilistic ensemble of 5, TS∞ particles, CEM. Shows the ensemble\'s spread as ghosts and its calibration after each fit.' },
    ]),
  ),
  'de-cartpole': {
    title: 'Deterministic ensemble · cart-pole',
    description: 'An ensemble of 5 deterministic models, TS∞ particles, CEM: uncertainty from the members\' disagreement alone (compare with PETS).',
  },
};

/** What each algorithm does, for the descriptions of presets without their own text. */
const ALGORITHM_TEXT: Readonly<Record<string, string>> = {
  random: 'A uniformly random policy: the floor every learned controller must beat.',
  'v0.5': 'Fit once on random data, then plan without collecting more.',
  'v1.0': 'Execute whole plans open-loop, add the data and refit each episode.',
  'v1.5': 'MPC: replan with the learned model as it acts, refit after each episode.',
};

/** The preset selected when the list arrives, if the engine ships it. */
export const DEFAULT_PRESET_ID = 'tiny-pendulum';

/**
 * Presets the renderer adds to the engine's list. Not shipped as files: a random baseline is one
 * setting of the algorithm field, offered here because every comparison wants it.
 */
export const EXTRA_PRESETS: readonly Preset[] = [
  {
    id: 'random-cartpole',
    title: 'Random baseline (cart-pole)',
    description: ALGORITHM_TEXT.random,
    spec: { task: 'cartpole', algorithm: 'random', episodes: 10 },
  },
];

const ALGORITHM_ORDER = ['random', 'v0.5', 'v1.0', 'v1.5'];

/** Title and description of a preset: from {@link PRESET_TEXT}, else made from its spec ("v1.5 · cartpole"). */
export function describePreset(id: string, spec: RunSpecInput): PresetText {
  const known = PRESET_TEXT[id];
  if (known) return known;
  const algorithm = spec.algorithm ?? 'random';
  const what = ALGORITHM_TEXT[algorithm] ?? '';
  const episodes = spec.episodes ?? 10;
  const k = spec.model?.members ?? 1;
  const prob = spec.model?.probabilistic ?? false;
  const model = algorithm === 'random' || (k <= 1 && !prob) ? '' : k > 1 ? `${prob ? 'probabilistic ' : ''}ensemble ×${k}` : 'probabilistic model';
  return {
    title: `${algorithm} · ${spec.task}${model ? ` · ${model}` : ''}`,
    description: `${what}${what ? ' ' : ''}${model ? `With a ${model}. ` : ''}${episodes} episode${episodes === 1 ? '' : 's'}.`,
  };
}

/**
 * The picker's list: the engine's presets with titles, the ones with their own text first (in
 * {@link PRESET_TEXT}'s order), the rest by task then algorithm, then the renderer's extras (unless
 * the engine ships one with the same id).
 */
export function buildPresets(fromEngine: readonly EnginePreset[], extras: readonly Preset[] = EXTRA_PRESETS): Preset[] {
  const featured = Object.keys(PRESET_TEXT);
  const rank = (p: EnginePreset) => {
    const i = featured.indexOf(p.id);
    return i < 0 ? featured.length : i;
  };
  const sorted = [...fromEngine].sort(
    (a, b) =>
      rank(a) - rank(b) ||
      a.spec.task.localeCompare(b.spec.task) ||
      ALGORITHM_ORDER.indexOf(a.spec.algorithm) - ALGORITHM_ORDER.indexOf(b.spec.algorithm) ||
      a.id.localeCompare(b.id),
  );
  const ids = new Set(sorted.map((p) => p.id));
  return [
    ...sorted.map((p) => ({ id: p.id, ...describePreset(p.id, p.spec), spec: p.spec })),
    ...extras.filter((p) => !ids.has(p.id)),
  ];
}

/** The preset to select when a list arrives: {@link DEFAULT_PRESET_ID} if present, else the first. */
export function defaultPreset(presets: readonly Preset[]): Preset | undefined {
  return presets.find((p) => p.id === DEFAULT_PRESET_ID) ?? presets[0];
}
