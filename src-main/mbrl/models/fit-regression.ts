import * as tf from '@tensorflow/tfjs-core';
// Registers the gradients of tfjs-core's ops (tfjs-core alone has kernels but no gradients).
import '@tensorflow/tfjs-layers';
import { gatherRows } from '../data';
import { Rng } from '../util';
import type { EpochReport, FitOptions, FitResult } from './dynamics-model';
import type { Mlp } from './mlp';

/** Gives the event loop a turn (progress messages, cancel requests) between epochs. */
const yieldTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

/** Computes a scalar in a tidy scope, reads it back and frees it. */
async function readScalar(compute: () => tf.Tensor): Promise<number> {
  const t = tf.tidy(compute);
  const [value] = await t.data();
  t.dispose();
  return value;
}

/** A random permutation of 0…n−1 (Fisher–Yates with our seeded Rng). */
export function permutation(n: number, rng: Rng): Int32Array {
  const p = new Int32Array(n);
  for (let i = 0; i < n; i++) p[i] = i;
  for (let i = n - 1; i > 0; i--) {
    const j = Math.floor(rng.nextFloat() * (i + 1));
    const t = p[i];
    p[i] = p[j];
    p[j] = t;
  }
  return p;
}

/**
 * Fits `mlp` to (inputs → targets) by minibatch Adam on MSE + weightDecay · Σ‖W‖², with a held-out
 * validation split and early stopping that restores the best weights.
 * inputs: [n, inputDim], targets: [n, outputDim], both already normalized, row-major.
 */
export async function fitRegression(
  mlp: Mlp,
  inputs: Float32Array,
  targets: Float32Array,
  n: number,
  options: FitOptions,
  onEpoch?: (r: EpochReport) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<FitResult> {
  const inDim = inputs.length / n;
  const outDim = targets.length / n;
  const rng = new Rng(options.seed);
  const order = permutation(n, rng);
  const nVal = options.valFraction > 0 && n >= 10 ? Math.max(1, Math.floor(n * options.valFraction)) : 0;
  const valIdx = order.subarray(0, nVal);
  const trainIdx = order.slice(nVal);
  const nTrain = trainIdx.length;

  const xTrain = tf.tensor2d(gatherRows(inputs, inDim, trainIdx), [nTrain, inDim]);
  const yTrain = tf.tensor2d(gatherRows(targets, outDim, trainIdx), [nTrain, outDim]);
  const xVal = nVal ? tf.tensor2d(gatherRows(inputs, inDim, valIdx), [nVal, inDim]) : null;
  const yVal = nVal ? tf.tensor2d(gatherRows(targets, outDim, valIdx), [nVal, outDim]) : null;
  const optimizer = tf.train.adam(options.learningRate);
  const history: EpochReport[] = [];
  let best = { loss: Infinity, epoch: 0, weights: null as Float32Array[] | null };
  const batchSize = Math.min(options.batchSize, nTrain);

  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      if (signal?.aborted) break;
      const perm = permutation(nTrain, rng);
      const losses: tf.Scalar[] = [];
      for (let start = 0; start + batchSize <= nTrain; start += batchSize) {
        const idx = tf.tensor1d(perm.subarray(start, start + batchSize), 'int32');
        const loss = optimizer.minimize(() => {
          const x = tf.gather(xTrain, idx) as tf.Tensor2D;
          const y = tf.gather(yTrain, idx);
          const mse = tf.mean(tf.square(tf.sub(mlp.forward(x), y)));
          return (options.weightDecay > 0 ? tf.add(mse, tf.mul(options.weightDecay, mlp.kernelSquaredNorm())) : mse) as tf.Scalar;
        }, true, mlp.variables);
        idx.dispose();
        if (loss) losses.push(loss);
      }
      // One read-back per epoch: syncing every step would stall the backend.
      const trainLoss = losses.length ? await readScalar(() => tf.div(tf.addN(losses), losses.length)) : NaN;
      tf.dispose(losses);
      const valLoss = xVal && yVal ? await readScalar(() => tf.mean(tf.square(tf.sub(mlp.forward(xVal), yVal)))) : NaN;
      const report: EpochReport = { epoch, epochs: options.epochs, trainLoss, valLoss };
      history.push(report);
      await onEpoch?.(report);
      if (!Number.isFinite(trainLoss)) throw new Error(`training diverged at epoch ${epoch} (loss ${trainLoss}); lower the learning rate`);
      if (nVal) {
        if (valLoss < best.loss) best = { loss: valLoss, epoch, weights: await mlp.weights() };
        else if (epoch - best.epoch >= options.patience) break;
      } else best = { loss: trainLoss, epoch, weights: null };
      await yieldTurn();
    }
    const kept = best.weights;
    if (kept) mlp.variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(kept[i], v.shape))));
    return { history, bestEpoch: best.epoch };
  } finally {
    tf.dispose([xTrain, yTrain]);
    if (xVal) tf.dispose([xVal, yVal!]);
    optimizer.dispose();
  }
}
