import * as tf from '@tensorflow/tfjs-core';
import { AdamStep } from './adam-step';
import { memberForward, memberVariables, type Member } from './member';
import { memberLossGradients } from './member-gradients';

/** Minibatch settings of a fit. */
export interface MemberTrainingSettings {
  batchSize: number;
  learningRate: number;
  weightDecay: number;
}

/**
 * Normalized training data as row-major arrays: inputs [n, inDim], targets [n, outDim]; the first
 * `nVal` rows are the validation split, the rest the training split (rows in the order fit uses).
 */
export interface MemberTrainingData {
  inputs: Float32Array;
  targets: Float32Array;
  n: number;
  nVal: number;
}

/**
 * Members training side by side, wherever that happens (this thread, or worker threads in the
 * engine: engine/compute/training-pool.ts). Every member has its own Adam state and its own
 * minibatches, so members are independent: a split across threads computes exactly what one thread
 * computes.
 */
export interface MemberTrainingSession {
  /**
   * One epoch: for each member k, minibatch b is rows perms[k][b·B … (b+1)·B) of the training split.
   * Resolves with each member's mean training loss over the epoch's steps.
   */
  epoch(perms: readonly Int32Array[]): Promise<number[]>;
  /** Each member's validation MSE of its mean prediction. */
  validationLoss(): Promise<number[]>;
  /** Remembers the current weights as the best so far. */
  keepBest(): Promise<void>;
  /** Ends the session: the caller's members get the kept best weights (or, if none were kept, the current ones). */
  finish(): Promise<void>;
  /** Frees everything (also after a failure); the members keep whatever weights they have. */
  dispose(): Promise<void>;
}

/** Starts a training session for `members` (the caller's; they hold the result after finish()). */
export type MemberTrainingCompute = (members: readonly Member[], data: MemberTrainingData, settings: MemberTrainingSettings) => Promise<MemberTrainingSession>;

/**
 * The training loop's inner part for a group of members on this thread: minibatches gathered from
 * the uploaded split, hand-written gradients (member-gradients.ts), one Adam per member
 * (adam-step.ts), losses summed on the backend and read back once per epoch.
 */
export class MemberGroupTrainer {
  private readonly xTrain: tf.Tensor2D;
  private readonly yTrain: tf.Tensor2D;
  private readonly xVal: tf.Tensor2D | null;
  private readonly yVal: tf.Tensor2D | null;
  private readonly optimizers: AdamStep[];
  readonly nTrain: number;

  constructor(readonly members: readonly Member[], data: MemberTrainingData, private readonly settings: MemberTrainingSettings) {
    const inDim = data.inputs.length / data.n;
    const outDim = data.targets.length / data.n;
    const { n, nVal } = data;
    this.nTrain = n - nVal;
    this.xTrain = tf.tensor2d(data.inputs.subarray(nVal * inDim), [this.nTrain, inDim]);
    this.yTrain = tf.tensor2d(data.targets.subarray(nVal * outDim), [this.nTrain, outDim]);
    this.xVal = nVal ? tf.tensor2d(data.inputs.subarray(0, nVal * inDim), [nVal, inDim]) : null;
    this.yVal = nVal ? tf.tensor2d(data.targets.subarray(0, nVal * outDim), [nVal, outDim]) : null;
    this.optimizers = members.map((m) => new AdamStep(memberVariables(m), { learningRate: settings.learningRate }));
  }

  /** Minibatch steps of one epoch; each member's mean loss over them (NaN if the epoch has no full batch). */
  async epoch(perms: readonly Int32Array[]): Promise<number[]> {
    const B = Math.min(this.settings.batchSize, this.nTrain);
    const sums: tf.Tensor[] = this.members.map(() => tf.scalar(0));
    let steps = 0;
    try {
      for (let start = 0; start + B <= this.nTrain; start += B) {
        this.members.forEach((member, k) => {
          const next = tf.tidy(() => {
            const idx = tf.tensor1d(perms[k].subarray(start, start + B), 'int32');
            const x = tf.gather(this.xTrain, idx) as tf.Tensor2D;
            const y = tf.gather(this.yTrain, idx) as tf.Tensor2D;
            const { loss, grads } = memberLossGradients(member, x, y, this.settings.weightDecay);
            this.optimizers[k].apply(grads);
            return tf.add(sums[k], loss);
          });
          sums[k].dispose();
          sums[k] = next;
        });
        steps++;
      }
      // One read-back per epoch: syncing every step would stall a GPU backend.
      const totals = await readAll(sums);
      return totals.map((s) => (steps ? s / steps : NaN));
    } finally {
      tf.dispose(sums);
    }
  }

  /** Each member's validation MSE of its mean (needs a validation split). */
  async validationLoss(): Promise<number[]> {
    if (!this.xVal || !this.yVal) throw new Error('member training: no validation split');
    const losses = this.members.map((m) => tf.tidy(() => tf.mean(tf.square(tf.sub(memberForward(m, this.xVal!).mean, this.yVal!)))));
    try {
      return await readAll(losses);
    } finally {
      tf.dispose(losses);
    }
  }

  dispose(): void {
    tf.dispose([this.xTrain, this.yTrain]);
    if (this.xVal) tf.dispose([this.xVal, this.yVal!]);
    this.optimizers.forEach((o) => o.dispose());
  }
}

/** Reads scalars back with one transfer. */
async function readAll(scalars: readonly tf.Tensor[]): Promise<number[]> {
  const stacked = tf.stack(scalars as tf.Tensor[]);
  try {
    return Array.from(await stacked.data());
  } finally {
    stacked.dispose();
  }
}

/** Copies of every variable of every member, [member][variable]. */
export async function readMemberWeights(members: readonly Member[]): Promise<Float32Array[][]> {
  return Promise.all(members.map((m) => Promise.all(memberVariables(m).map(async (v) => ((await v.data()) as Float32Array).slice()))));
}

/** Sets every member's variables from arrays in readMemberWeights' layout. */
export function assignMemberWeights(members: readonly Member[], weights: readonly Float32Array[][]): void {
  members.forEach((m, k) => memberVariables(m).forEach((v, i) => tf.tidy(() => v.assign(tf.tensor(weights[k][i], v.shape, 'float32')))));
}

/** The members train on this thread (the default). */
export const serialMemberTraining: MemberTrainingCompute = async (members, data, settings) => {
  const trainer = new MemberGroupTrainer(members, data, settings);
  let best: Float32Array[][] | null = null;
  return {
    epoch: (perms) => trainer.epoch(perms),
    validationLoss: () => trainer.validationLoss(),
    keepBest: async () => {
      best = await readMemberWeights(members);
    },
    finish: async () => {
      if (best) assignMemberWeights(members, best);
    },
    dispose: async () => trainer.dispose(),
  };
};
