/**
 * Exploring starts for data collection: a state task's distribution of episode starts that covers the
 * states its goal is about (the pendulum: any angle), as opposed to the task's own start distribution
 * (hanging down), which evaluation always uses. A pixel env draws from one while
 * {@link PixelEnv.useStarts} is set (collect.exploringStarts of a latent job).
 */
import type { Rng } from '../util/rng';
import { pendulumExploringStart } from './tasks/pendulum';

/**
 * Writes a start state into MuJoCo's qpos [nq] and qvel [nv], which arrive holding the task's own start
 * for the same seed; draws all randomness from rng.
 */
export type StartSampler = (rng: Rng, qpos: Float64Array, qvel: Float64Array) => void;

/**
 * How far exploring starts spread. Meaning per task: the pendulum's hinge angle |θ| ≤ maxAngle (rad,
 * default π) and speed |θ̇| ≤ maxSpeed (rad/s, default 0: at rest).
 */
export interface ExploringStartRange {
  maxAngle?: number;
  maxSpeed?: number;
}

/** Exploring starts of each state task that has one (hook for more tasks: key by the state task id). */
const STARTS: Readonly<Record<string, (range: ExploringStartRange) => StartSampler>> = {
  pendulum: (range) => (rng, qpos, qvel) => pendulumExploringStart(rng, qpos, qvel, range.maxSpeed ?? 0, range.maxAngle ?? Math.PI),
};

/** The exploring starts of `stateTaskId` (a state task id, or an image task's id with '-pixels') over `range`, or null when it has none. */
export function exploringStart(stateTaskId: string, range: ExploringStartRange = {}): StartSampler | null {
  const id = stateTaskId.endsWith('-pixels') ? stateTaskId.slice(0, -'-pixels'.length) : stateTaskId;
  return Object.hasOwn(STARTS, id) ? STARTS[id](range) : null;
}
