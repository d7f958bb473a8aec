/**
 * The robot's own limits for the visual-foresight planner (`planning.actuatorLimits`): which robot a
 * pixel task's env drives, and the repair that makes its candidate plans what it will really do.
 */
import { planarPushSlideRepair, type ImageEnv } from '../../mbrl/env';
import type { HeldCandidateRepair, VisualForesightSettings } from '../../mbrl/planning';

/**
 * The repair for `env`'s robot when `planning.actuatorLimits` asks for one, else undefined. It reads
 * only the robot's own position from the env's state (proprioception, as a real arm knows its
 * joints), never the objects'.
 * @throws when the env's robot has no known limits (only the pushing task's pusher has).
 */
export function foresightLimitRepair(planning: Pick<VisualForesightSettings, 'actuatorLimits'>, env: Pick<ImageEnv, 'id' | 'state'>): HeldCandidateRepair | undefined {
  if (!planning.actuatorLimits) return undefined;
  if (env.id !== 'planar-push-pixels') throw new Error(`foresight: actuatorLimits knows the pusher of planar-push-pixels only, not task ${env.id}`);
  return planarPushSlideRepair(() => env.state());
}
