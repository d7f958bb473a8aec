import * as tf from '@tensorflow/tfjs-core';
// Registers the gradients of tfjs-core's ops (tfjs-core alone has kernels but no gradients).
import '@tensorflow/tfjs-layers';
import { gatherRows } from '../data';
import { Rng } from '../util';
import type { EpochReport, FitOptions, FitResult } from './dynamics-model';
import { type Member, memberForward, memberLoss, memberVariables } from './member';

/** How each member of an ensemble sees the training data. */
export type MemberSampling = 'shuffle' | 'bootstrap';

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

/** n draws with replacement from 0…n−1 (a bootstrap resample). */
export function bootstrapSample(n: number, rng: Rng): Int32Array {
  const out = new Int32Array(n);
  for (let i = 0; i < n; i++) out[i] = Math.floor(rng.nextFloat() * n);
  return out;
}

/** What a fit of several members did, per member too. */
export interface MembersFitResult extends FitResult {
  /** Validation MSE of each member's mean at the kept epoch (NaN without validation). */
  memberValLoss: number[];
  /** Rows of the data held out for validation (empty without validation). */
  validationRows: Int32Array;
}

/**
 * Fits one or more members side by side: every gradient step draws a minibatch for each member
 * from that member's own view of the data (independent shuffles, or a bootstrap resample) and takes
 * one Adam step on the sum of their losses. A held-out split (shared by all members) gives the
 * validation MSE; training stops after `patience` epochs without improvement of its mean over
 * members and the best weights are restored.
 * inputs: [n, inputDim], targets: [n, outputDim], both already normalized, row-major.
 */
export async function fitMembers(
  members: Member[],
  inputs: Float32Array,
  targets: Float32Array,
  n: number,
  options: FitOptions & { sampling?: MemberSampling },
  onEpoch?: (r: EpochReport) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<MembersFitResult> {
  const inDim = inputs.length / n;
  const outDim = targets.length / n;
  const rng = new Rng(options.seed);
  const order = permutation(n, rng);
  const nVal = options.valFraction > 0 && n >= 10 ? Math.max(1, Math.floor(n * options.valFraction)) : 0;
  const valIdx = order.subarray(0, nVal);
  const trainIdx = order.slice(nVal);
  const nTrain = trainIdx.length;
  // Each member's rows of the training split (indices into it): all of them, or a resample.
  const views = members.map(() => (options.sampling === 'bootstrap' ? bootstrapSample(nTrain, rng) : null));

  const xTrain = tf.tensor2d(gatherRows(inputs, inDim, trainIdx), [nTrain, inDim]);
  const yTrain = tf.tensor2d(gatherRows(targets, outDim, trainIdx), [nTrain, outDim]);
  const xVal = nVal ? tf.tensor2d(gatherRows(inputs, inDim, valIdx), [nVal, inDim]) : null;
  const yVal = nVal ? tf.tensor2d(gatherRows(targets, outDim, valIdx), [nVal, outDim]) : null;
  const variables = members.flatMap(memberVariables);
  const optimizer = tf.train.adam(options.learningRate);
  const history: EpochReport[] = [];
  const batchSize = Math.min(options.batchSize, nTrain);
  let best = { loss: Infinity, epoch: 0, weights: null as Float32Array[] | null, perMember: members.map(() => NaN) };
  const memberValLosses = async () => Promise.all(members.map((m) => readScalar(() => tf.mean(tf.square(tf.sub(memberForward(m, xVal!).mean, yVal!))))));

  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      if (signal?.aborted) break;
      const perms = members.map((_, k) => {
        const p = permutation(nTrain, rng);
        const view = views[k];
        return view ? p.map((i) => view[i]) : p;
      });
      const losses: tf.Scalar[] = [];
      for (let start = 0; start + batchSize <= nTrain; start += batchSize) {
        const idx = perms.map((p) => tf.tensor1d(p.subarray(start, start + batchSize), 'int32'));
        const loss = optimizer.minimize(
          () => tf.addN(members.map((m, k) => memberLoss(m, tf.gather(xTrain, idx[k]) as tf.Tensor2D, tf.gather(yTrain, idx[k]) as tf.Tensor2D, options.weightDecay))) as tf.Scalar,
          true,
          variables,
        );
        tf.dispose(idx);
        if (loss) losses.push(loss);
      }
      // One read-back per epoch: syncing every step would stall the backend.
      const trainLoss = losses.length ? (await readScalar(() => tf.div(tf.addN(losses), losses.length))) / members.length : NaN;
      tf.dispose(losses);
      const perMember = xVal ? await memberValLosses() : members.map(() => NaN);
      const valLoss = xVal ? perMember.reduce((a, b) => a + b, 0) / members.length : NaN;
      const report: EpochReport = { epoch, epochs: options.epochs, trainLoss, valLoss };
      history.push(report);
      await onEpoch?.(report);
      if (!Number.isFinite(trainLoss)) throw new Error(`training diverged at epoch ${epoch} (loss ${trainLoss}); lower the learning rate`);
      if (nVal) {
        if (valLoss < best.loss) best = { loss: valLoss, epoch, weights: await Promise.all(variables.map(async (v) => (await v.data()) as Float32Array)), perMember };
        else if (epoch - best.epoch >= options.patience) break;
      } else best = { loss: trainLoss, epoch, weights: null, perMember };
      await yieldTurn();
    }
    const kept = best.weights;
    if (kept) variables.forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(kept[i], v.shape))));
    return { history, bestEpoch: best.epoch, memberValLoss: best.perMember, validationRows: valIdx.slice() };
  } finally {
    tf.dispose([xTrain, yTrain]);
    if (xVal) tf.dispose([xVal, yVal!]);
    optimizer.dispose();
  }
}
