import * as tf from '@tensorflow/tfjs-core';
// Registers the gradients of tfjs-core's ops (tfjs-core alone has kernels but no gradients).
import '@tensorflow/tfjs-layers';
import { gatherRows } from '../../data';
import { Rng } from '../../util';
import { permutation } from '../fit-regression';
import { pixelCount } from './image-codec';
import { checkImageTransitions, imageRows, type ImageTransitions } from './image-transitions';

/** Training settings of a latent model. */
export interface LatentFitOptions {
  epochs: number;
  /** Transitions per Adam step. */
  batchSize: number;
  learningRate: number;
  /** Share of the transitions held out to report validation losses, in [0, 0.5]; 0 = none. */
  valFraction: number;
  /** Seeds the split, the minibatch order and the reparameterisation noise. */
  seed: number;
}

/** One minibatch as tensors: images [B, H·W·C] in [0, 1], actions [B, A], rewards [B, 1]. */
export interface LatentBatch {
  obs: tf.Tensor2D;
  act: tf.Tensor2D;
  reward: tf.Tensor2D;
  nextObs: tf.Tensor2D;
  /**
   * For models with {@link LatentTrainable.rolloutSteps} K > 1: the actions a_t … a_{t+K−1} [B, K·A] and
   * rewards r_t … r_{t+K−1} [B, K] that follow each row's o_t in its episode (absent otherwise).
   */
  actSeq?: tf.Tensor2D;
  rewardSeq?: tf.Tensor2D;
  /** For models with {@link LatentTrainable.aheadSteps}: the observations o_{t+j} [B, H·W·C], one per offset j, in its order. */
  obsAhead?: tf.Tensor2D[];
}

/** The loss of a latent model as named terms; `total` is their weighted sum (what Adam minimises). */
export interface LossTerms {
  total: tf.Scalar;
  /** One scalar per name of {@link LatentTrainable.termNames}, unweighted. */
  terms: tf.Scalar[];
}

/** What {@link fitLatent} needs from a model. */
export interface LatentTrainable {
  /** Names of the loss terms, e.g. ['reconstruction', 'dynamics', 'reward']. */
  readonly termNames: readonly string[];
  trainableVariables(): tf.Variable[];
  /**
   * Steps K of the multi-step term, when the model has one (default 1: none). With K > 1 every batch
   * carries the K actions and rewards after o_t, and only rows followed by K − 1 more of the same
   * episode are trained on.
   */
  readonly rolloutSteps?: number;
  /**
   * Offsets j (1 ≤ j ≤ rolloutSteps) whose observations o_{t+j} every batch carries in `obsAhead`, for
   * multi-step terms on codes (default none).
   */
  readonly aheadSteps?: readonly number[];
  /** The loss on a batch; `seed` drives any sampling (training) — evaluation uses means. */
  lossTerms(batch: LatentBatch, training: boolean, seed: number): LossTerms;
}

/** Per-term losses of one epoch: train (mean over its steps) and validation, by term name plus 'total'. */
export interface LatentEpochReport {
  epoch: number;
  epochs: number;
  train: Record<string, number>;
  /** Empty without a validation split. */
  val: Record<string, number>;
  /** Training throughput this epoch: transitions (two images each) per second. */
  transitionsPerSecond: number;
}

export interface LatentFitResult {
  history: LatentEpochReport[];
}

const yieldTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

function batchOf(data: ImageTransitions, idx: Int32Array, steps = 1, ahead: readonly number[] = []): LatentBatch {
  const P = pixelCount(data.imageShape);
  const batch: LatentBatch = {
    obs: imageRows(data.obs, P, idx),
    nextObs: imageRows(data.nextObs, P, idx),
    act: tf.tensor2d(gatherRows(data.act, data.actDim, idx), [idx.length, data.actDim]),
    reward: tf.tensor2d(gatherRows(data.reward, 1, idx), [idx.length, 1]),
  };
  if (steps > 1) {
    // Rows idx … idx + K − 1 are consecutive steps of one episode (see sequenceRuns).
    const A = data.actDim;
    const act = new Float32Array(idx.length * steps * A);
    const reward = new Float32Array(idx.length * steps);
    for (let i = 0; i < idx.length; i++) {
      act.set(data.act.subarray(idx[i] * A, (idx[i] + steps) * A), i * steps * A);
      reward.set(data.reward.subarray(idx[i], idx[i] + steps), i * steps);
    }
    batch.actSeq = tf.tensor2d(act, [idx.length, steps * A]);
    batch.rewardSeq = tf.tensor2d(reward, [idx.length, steps]);
    // o_{t+j} is the next observation of row t + j − 1.
    if (ahead.length) batch.obsAhead = ahead.map((j) => imageRows(data.nextObs, P, idx.map((i) => i + j - 1)));
  }
  return batch;
}

function disposeBatch(b: LatentBatch): void {
  tf.dispose([b.obs, b.act, b.reward, b.nextObs, ...(b.actSeq ? [b.actSeq] : []), ...(b.rewardSeq ? [b.rewardSeq] : []), ...(b.obsAhead ?? [])]);
}

/**
 * For each row, how many rows from it on (itself included) are consecutive steps of one episode: [size].
 * Row i + 1 continues row i when its o_t is byte-identical to row i's o_{t+1}, which holds for
 * transitions laid out episode by episode (collected or loaded) and fails at episode starts (a reset frame).
 */
export function sequenceRuns(data: ImageTransitions): Int32Array {
  const P = pixelCount(data.imageShape);
  const runs = new Int32Array(data.size);
  runs[data.size - 1] = 1;
  for (let i = data.size - 2; i >= 0; i--) {
    let same = true;
    for (let j = 0, a = (i + 1) * P, b = i * P; j < P; j++) {
      if (data.obs[a + j] !== data.nextObs[b + j]) {
        same = false;
        break;
      }
    }
    runs[i] = same ? runs[i + 1] + 1 : 1;
  }
  return runs;
}

/**
 * Trains all parts of a latent model jointly by backprop (Adam) on the weighted sum of its loss
 * terms, reporting every term's train and validation mean after each epoch (one read-back per epoch).
 * Stops early on abort; throws if the loss stops being finite.
 */
export async function fitLatent(
  model: LatentTrainable,
  data: ImageTransitions,
  options: LatentFitOptions,
  onEpoch?: (r: LatentEpochReport) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<LatentFitResult> {
  checkImageTransitions(data);
  if (options.valFraction < 0 || options.valFraction > 0.5) throw new Error(`fit: valFraction must be in [0, 0.5], got ${options.valFraction}`);
  const rng = new Rng(options.seed);
  const order = permutation(data.size, rng);
  const steps = model.rolloutSteps ?? 1;
  const ahead = model.aheadSteps ?? [];
  if (ahead.some((j) => !(Number.isInteger(j) && j >= 1 && j <= steps))) throw new Error(`fit: aheadSteps must be integers in 1..${steps} (rolloutSteps), got ${ahead.join(', ')}`);
  let nVal = options.valFraction > 0 && data.size >= 10 ? Math.max(1, Math.floor(data.size * options.valFraction)) : 0;
  let valIdx = order.slice(0, nVal);
  let trainIdx = order.slice(nVal);
  if (steps > 1) {
    // Multi-step terms need K consecutive rows from each start.
    const runs = sequenceRuns(data);
    valIdx = valIdx.filter((i) => runs[i] >= steps);
    trainIdx = trainIdx.filter((i) => runs[i] >= steps);
    nVal = valIdx.length;
    if (!trainIdx.length) throw new Error(`fit: no row starts ${steps} consecutive steps of an episode (rolloutSteps ${steps})`);
  }
  const batchSize = Math.min(options.batchSize, trainIdx.length);
  const variables = model.trainableVariables();
  const optimizer = tf.train.adam(options.learningRate);
  const names = [...model.termNames, 'total'];
  const history: LatentEpochReport[] = [];
  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      if (signal?.aborted) break;
      const started = performance.now();
      const perm = permutation(trainIdx.length, rng);
      const stepTerms: tf.Tensor1D[] = [];
      for (let start = 0; start + batchSize <= trainIdx.length; start += batchSize) {
        const idx = perm.subarray(start, start + batchSize).map((i) => trainIdx[i]);
        const batch = batchOf(data, idx, steps, ahead);
        const seed = rng.nextUint32();
        const loss = optimizer.minimize(
          () => {
            const { total, terms } = model.lossTerms(batch, true, seed);
            stepTerms.push(tf.keep(tf.stack([...terms, total]) as tf.Tensor1D));
            return total;
          },
          false,
          variables,
        );
        loss?.dispose();
        disposeBatch(batch);
      }
      const trainMeans = await readMeans(stepTerms);
      tf.dispose(stepTerms);
      const seconds = (performance.now() - started) / 1000;
      const val: Record<string, number> = {};
      if (nVal) {
        const values = await validationMeans(model, data, valIdx, Math.max(batchSize, 256), steps, ahead);
        names.forEach((n, i) => (val[n] = values[i]));
      }
      const train: Record<string, number> = {};
      names.forEach((n, i) => (train[n] = trainMeans[i]));
      const report: LatentEpochReport = { epoch, epochs: options.epochs, train, val, transitionsPerSecond: (stepTerms.length * batchSize) / seconds };
      history.push(report);
      await onEpoch?.(report);
      if (!Number.isFinite(train.total)) throw new Error(`training diverged at epoch ${epoch} (loss ${train.total}); lower the learning rate`);
      await yieldTurn();
    }
    return { history };
  } finally {
    optimizer.dispose();
  }
}

/** Loss terms on the held-out rows (encoder means, no sampling), in chunks so memory stays bounded. */
async function validationMeans(model: LatentTrainable, data: ImageTransitions, rows: Int32Array, chunk: number, steps: number, ahead: readonly number[]): Promise<Float32Array> {
  const parts: tf.Tensor1D[] = [];
  for (let s = 0; s < rows.length; s += chunk) {
    const idx = rows.subarray(s, s + chunk);
    const batch = batchOf(data, idx, steps, ahead);
    parts.push(
      tf.tidy(() => {
        const { total, terms } = model.lossTerms(batch, false, 0);
        // Weighted by the chunk's share of rows: the terms are per-row means.
        return tf.mul(tf.stack([...terms, total]), idx.length / rows.length) as tf.Tensor1D;
      }),
    );
    disposeBatch(batch);
  }
  const sum = tf.tidy(() => tf.addN(parts));
  const values = (await sum.data()) as Float32Array;
  tf.dispose([sum, ...parts]);
  return values;
}

/** Mean over steps of each term: [T] per step → [T] numbers, one read-back. */
async function readMeans(steps: tf.Tensor1D[]): Promise<number[]> {
  if (!steps.length) return [NaN];
  const mean = tf.tidy(() => tf.mean(tf.stack(steps), 0));
  const values = Array.from(await mean.data());
  mean.dispose();
  return values;
}
