import * as tf from '@tensorflow/tfjs-core';
import type { VideoPredictionModel } from './video-prediction-model';

/** One plan's predicted future, read back from the backend. */
export interface RolloutValues {
  /** Predicted frames [H, S, S, C] in [0, 1]. */
  frames: Float32Array;
  /** Each designated pixel's distribution at each step: [H, S, S, D]; empty without maps. */
  maps: Float32Array;
}

/**
 * Rolls one plan through the model from a single context and reads the result back with
 * `await data()` (WebGPU in Node has no synchronous read), freeing every tensor whatever happens.
 * context: frames [context, S, S, C] and the actions between them [context − 1, A] (flat);
 * plan: [H · A]; maps: the designated pixels' distributions on the last context frame [S, S, D]
 * (flat), or null.
 */
export async function readRollout(model: VideoPredictionModel, context: { frames: Float32Array; actions: Float32Array }, plan: Float32Array, maps: Float32Array | null): Promise<RolloutValues> {
  const c = model.config;
  const S = c.imageSize;
  const H = plan.length / c.actDim;
  if (!Number.isInteger(H) || H < 1) throw new Error(`video model: a plan of ${plan.length} values is not whole steps of ${c.actDim} actions`);
  const D = maps ? maps.length / (S * S) : 0;
  const out = tf.tidy(() => {
    const r = model.rollout({
      context: tf.tensor(context.frames, [1, c.context, S, S, c.channels]) as tf.Tensor5D,
      contextActions: tf.tensor3d(context.actions, [1, c.context - 1, c.actDim]),
      actions: tf.tensor3d(plan, [1, H, c.actDim]),
      pixelMaps: maps && D ? tf.tensor4d(maps, [1, S, S, D]) : undefined,
    });
    return r.pixelMaps ? [r.frames, r.pixelMaps] : [r.frames];
  });
  try {
    const frames = (await out[0].data()) as Float32Array;
    const mapValues = out[1] ? ((await out[1].data()) as Float32Array) : new Float32Array(0);
    return { frames, maps: mapValues };
  } finally {
    tf.dispose(out);
  }
}
