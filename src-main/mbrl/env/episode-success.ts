/**
 * Whether a control episode achieved its task, judged from the true states (never seen by the agent):
 * the success measure of issue 6's result tables ("reach the goal within one body radius", "upright and
 * held for the last 50 steps"). One predicate per state task, so an image task and its state task
 * are judged alike; tasks without one report no success.
 */
import { pendulumOutcome } from './tasks/pendulum';
import { pointMassOutcome } from './tasks/point-mass';

/** A judged episode: success, and the numbers behind it (e.g. finalDistance in metres). */
export interface EpisodeOutcome {
  success: boolean;
  /** Named measures, each a plain number in the task's units (e.g. { finalDistance: 0.03 }). */
  measures: Record<string, number>;
}

/**
 * Judges one episode from its true states after each step: states [T · stateDim], T ≥ 1 (the state
 * task's observation after step 1…T, so the last row is the final state).
 */
export type EpisodeJudge = (states: Float32Array, stateDim: number) => EpisodeOutcome;

/**
 * The success predicate of each state task that has one. Hook for more tasks: add an entry keyed by
 * the state task id (e.g. 'pendulum': upright and held for the last 50 steps).
 */
const JUDGES: Readonly<Record<string, EpisodeJudge>> = {
  'point-mass': pointMassOutcome,
  pendulum: pendulumOutcome,
};

/** Whether `stateTaskId` has a success predicate. */
export function hasEpisodeJudge(stateTaskId: string): boolean {
  return Object.hasOwn(JUDGES, stateTaskId);
}

/**
 * The outcome of an episode of `stateTaskId` (a state task id such as 'point-mass', or an image task's
 * id with '-pixels'), or null when the task has no success predicate.
 * @throws RangeError when states is empty or not a whole number of rows.
 */
export function judgeEpisode(stateTaskId: string, states: Float32Array, stateDim: number): EpisodeOutcome | null {
  const id = stateTaskId.endsWith('-pixels') ? stateTaskId.slice(0, -'-pixels'.length) : stateTaskId;
  if (!hasEpisodeJudge(id)) return null;
  if (!(stateDim > 0) || states.length === 0 || states.length % stateDim) throw new RangeError(`judgeEpisode: ${states.length} state values are not whole rows of ${stateDim}`);
  return JUDGES[id](states, stateDim);
}
