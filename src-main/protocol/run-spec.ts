import { z } from 'zod';

/**
 * An experiment spec for `mbrl-lab run SPEC.json --out DIR` (and, later, the Experiments view).
 * Strict: an unknown (e.g. misspelt) field is an error, never silently ignored.
 *
 * Fields and defaults:
 * - `task` (required): a task id, e.g. "cartpole" or "pendulum".
 * - `algorithm`: "random" — a uniformly random policy (later issues add the MBRL algorithms). Default "random".
 * - `episodes`: number of episodes, 1…100000. Default 10.
 * - `seed`: integer 0…2³¹−1; episode k starts from seed + k. Default 0.
 */
export const RunSpec = z.strictObject({
  task: z.string().min(1),
  algorithm: z.enum(['random']).default('random'),
  episodes: z.number().int().min(1).max(100_000).default(10),
  seed: z.number().int().min(0).max(2 ** 31 - 1).default(0),
});

export type RunSpec = z.infer<typeof RunSpec>;
