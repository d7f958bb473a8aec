import * as tf from '@tensorflow/tfjs-core';
import type { VideoPredictionModel } from '../models/video';
import type { Objective } from './optimizer';
import { actionEffortCost, expectedDistanceCost, goalImageCost } from './pixel-distance-cost';

/** Where a visual-foresight plan starts: the latest frames and the actions between them. */
export interface ForesightContext {
  /** The last `context` frames: [context, S, S, C] row-major, in [0, 1]; the last is the current one. */
  frames: Float32Array;
  /** The actions between them: [context − 1, A]. */
  actions: Float32Array;
}

/** What the plan should achieve. */
export type ForesightGoal =
  | {
      kind: 'pixels';
      /** Current distribution of each designated pixel on the current frame: [S, S, D] (each map sums to 1). */
      maps: Float32Array;
      /** Distances to each designated pixel's goal: [S, S, D] (goalDistanceMaps). */
      distances: Float32Array;
    }
  | {
      kind: 'image';
      /** The goal image: [S, S, C] in [0, 1]. */
      image: Float32Array;
    };

/**
 * Objective over action sequences [N, H, A] → −cost [N] (higher is better): candidates are rolled
 * through the video model from the context in chunks of `chunk` (bounding memory at chunk × H
 * frames), scored by the expected distance of the designated pixels to their goals, or by the
 * pixel-wise distance to a goal image, with the last predicted step counted `terminalWeight` times
 * (1: the plain sum over steps), plus `actionCost` · Σ_t ‖a_t‖² (0: none; see {@link actionEffortCost}).
 */
export function visualForesightObjective(model: VideoPredictionModel, context: ForesightContext, goal: ForesightGoal, chunk = 50, terminalWeight = 1, actionCost = 0): Objective {
  if (!(actionCost >= 0)) throw new Error(`visual foresight: actionCost must be ≥ 0, got ${actionCost}`);
  const c = model.config;
  const S = c.imageSize;
  return (actions: tf.Tensor3D) =>
    tf.tidy(() => {
      const [N, H, A] = actions.shape;
      const ctx = tf.tensor(context.frames, [1, c.context, S, S, c.channels]) as tf.Tensor5D;
      const ctxActions = tf.tensor3d(context.actions, [1, c.context - 1, A]);
      const D = goal.kind === 'pixels' ? goal.maps.length / (S * S) : 0;
      const maps = goal.kind === 'pixels' ? tf.tensor4d(goal.maps, [1, S, S, D]) : undefined;
      const target = goal.kind === 'pixels' ? tf.tensor3d(goal.distances, [S, S, D]) : tf.tensor3d(goal.image, [S, S, c.channels]);
      const costs: tf.Tensor1D[] = [];
      for (let start = 0; start < N; start += chunk) {
        const n = Math.min(chunk, N - start);
        costs.push(
          tf.tidy(() => {
            const plans = tf.slice(actions, [start, 0, 0], [n, H, A]);
            const rollout = model.rollout({ context: ctx, contextActions: ctxActions, actions: plans, pixelMaps: maps });
            const cost = goal.kind === 'pixels' ? expectedDistanceCost(rollout.pixelMaps!, target, terminalWeight) : goalImageCost(rollout.frames, target, terminalWeight);
            return actionCost > 0 ? tf.add(cost, actionEffortCost(plans, actionCost)) : cost;
          }),
        );
      }
      return tf.neg(costs.length === 1 ? costs[0] : tf.concat(costs)) as tf.Tensor1D;
    });
}
