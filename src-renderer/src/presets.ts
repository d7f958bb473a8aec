import type { RunSpecInput } from '@protocol';

/** A named experiment spec the Experiments view offers in its preset picker. */
export interface Preset {
  /** Stable id (mirrors the file name under resources/presets/). */
  id: string;
  title: string;
  /** One line on what the preset shows. */
  description: string;
  /** The spec as written (defaults left out); the form fills in the rest. */
  spec: RunSpecInput;
}

const cartpoleMpc = { task: 'cartpole', episodes: 10, seed: 0, optimizer: { population: 300, iterations: 5 }, mpc: { horizon: 25 } } as const;

/**
 * The presets, mirroring resources/presets/*.json. Embedded until the engine can list presets;
 * then this list becomes the fallback.
 */
export const PRESETS: readonly Preset[] = [
  {
    id: 'tiny',
    title: 'Tiny (smoke test)',
    description: 'Two short pendulum episodes with a tiny model: checks the whole loop in seconds.',
    spec: { task: 'pendulum', algorithm: 'v1.5', episodes: 2, initialEpisodes: 1, seed: 0, model: { hidden: [32, 32], epochs: 5 }, optimizer: { population: 50, iterations: 2 }, mpc: { horizon: 8 } },
  },
  {
    id: 'cartpole-v1.5',
    title: 'MPC cart-pole (v1.5)',
    description: 'Replan every step with CEM through the learned model, refit after each episode.',
    spec: { ...cartpoleMpc, algorithm: 'v1.5' },
  },
  {
    id: 'cartpole-v0.5',
    title: 'v0.5 cart-pole',
    description: 'Fit once on random data, then plan without collecting more: shows distribution shift.',
    spec: { ...cartpoleMpc, algorithm: 'v0.5' },
  },
  {
    id: 'cartpole-v1.0',
    title: 'v1.0 cart-pole',
    description: 'Execute whole plans open-loop, add the data and refit each episode.',
    spec: { ...cartpoleMpc, algorithm: 'v1.0' },
  },
  {
    id: 'cartpole-random',
    title: 'Random baseline (cart-pole)',
    description: 'A uniformly random policy: the floor every learned controller must beat.',
    spec: { task: 'cartpole', algorithm: 'random', episodes: 10 },
  },
];

/** The preset with this id, if any. */
export function findPreset(id: string): Preset | undefined {
  return PRESETS.find((p) => p.id === id);
}
