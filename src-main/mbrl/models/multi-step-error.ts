import * as tf from '@tensorflow/tfjs-core';
import type { DynamicsModel } from './dynamics-model';

/**
 * Open-loop prediction error against horizon on one recorded episode: from every start t, roll the
 * model h = 1…H steps on the recorded actions and compare with the recorded observation at t + h.
 * obs: [T + 1, D], act: [T, A]. Returns RMSE over starts and dimensions (observation units): [H].
 * Why it matters: planners chain predictions, so error growth with h is what limits the horizon.
 */
export async function multiStepError(model: DynamicsModel, obs: Float32Array, act: Float32Array, horizon: number): Promise<Float32Array> {
  const D = model.obsDim;
  const A = model.actDim;
  const T = act.length / A;
  const H = Math.min(horizon, T);
  const starts = T - H + 1; // every start has all H steps, so each h averages over the same starts
  const errors = tf.tidy(() => {
    const obsT = tf.tensor2d(obs, [T + 1, D]);
    const actT = tf.tensor2d(act, [T, A]);
    let state = tf.slice(obsT, [0, 0], [starts, D]) as tf.Tensor2D;
    const out: tf.Scalar[] = [];
    for (let h = 1; h <= H; h++) {
      state = model.predict(state, tf.slice(actT, [h - 1, 0], [starts, A]) as tf.Tensor2D);
      const truth = tf.slice(obsT, [h, 0], [starts, D]);
      out.push(tf.sqrt(tf.mean(tf.square(tf.sub(state, truth)))) as tf.Scalar);
    }
    return tf.stack(out);
  });
  const values = (await errors.data()) as Float32Array;
  errors.dispose();
  return values;
}
