// Registers the gradients of tfjs-core's ops for the library's other trainers (members use hand-written ones).
import '@tensorflow/tfjs-layers';
import { gatherRows } from '../data';
import { Rng } from '../util';
import type { EpochReport, FitOptions, FitResult } from './dynamics-model';
import type { Member } from './member';
import { serialMemberTraining, type MemberTrainingCompute } from './member-training';

/** How each member of an ensemble sees the training data. */
export type MemberSampling = 'shuffle' | 'bootstrap';

/** Gives the event loop a turn (progress messages, cancel requests) between epochs. */
const yieldTurn = () => new Promise<void>((resolve) => setTimeout(resolve, 0));

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
 * one Adam step on its loss (each member has its own Adam state, so this is the same as one step on
 * the sum of their losses). A held-out split (shared by all members) gives the validation MSE;
 * training stops after `patience` epochs without improvement of its mean over members and the best
 * weights are restored. `compute` says where the members train (default: this thread); all
 * randomness is drawn here, so any compute gives the same result.
 * inputs: [n, inputDim], targets: [n, outputDim], both already normalized, row-major.
 */
export async function fitMembers(
  members: Member[],
  inputs: Float32Array,
  targets: Float32Array,
  n: number,
  options: FitOptions & { sampling?: MemberSampling; compute?: MemberTrainingCompute },
  onEpoch?: (r: EpochReport) => void | Promise<void>,
  signal?: AbortSignal,
): Promise<MembersFitResult> {
  const inDim = inputs.length / n;
  const outDim = targets.length / n;
  const rng = new Rng(options.seed);
  const order = permutation(n, rng);
  const nVal = options.valFraction > 0 && n >= 10 ? Math.max(1, Math.floor(n * options.valFraction)) : 0;
  const valIdx = order.subarray(0, nVal);
  const nTrain = n - nVal;
  // Each member's rows of the training split (indices into it): all of them, or a resample.
  const views = members.map(() => (options.sampling === 'bootstrap' ? bootstrapSample(nTrain, rng) : null));
  // Validation rows first, then the training split, as MemberTrainingData lays them out.
  const data = { inputs: gatherRows(inputs, inDim, order), targets: gatherRows(targets, outDim, order), n, nVal };
  const settings = { batchSize: options.batchSize, learningRate: options.learningRate, weightDecay: options.weightDecay };
  const session = await (options.compute ?? serialMemberTraining)(members, data, settings);
  const history: EpochReport[] = [];
  let best = { loss: Infinity, epoch: 0, perMember: members.map(() => NaN) };

  try {
    for (let epoch = 1; epoch <= options.epochs; epoch++) {
      if (signal?.aborted) break;
      const perms = members.map((_, k) => {
        const p = permutation(nTrain, rng);
        const view = views[k];
        return view ? p.map((i) => view[i]) : p;
      });
      const memberTrain = await session.epoch(perms);
      const trainLoss = memberTrain.reduce((a, b) => a + b, 0) / members.length;
      const perMember = nVal ? await session.validationLoss() : members.map(() => NaN);
      const valLoss = nVal ? perMember.reduce((a, b) => a + b, 0) / members.length : NaN;
      const report: EpochReport = { epoch, epochs: options.epochs, trainLoss, valLoss };
      history.push(report);
      await onEpoch?.(report);
      if (!Number.isFinite(trainLoss)) throw new Error(`training diverged at epoch ${epoch} (loss ${trainLoss}); lower the learning rate`);
      if (nVal) {
        if (valLoss < best.loss) {
          best = { loss: valLoss, epoch, perMember };
          await session.keepBest();
        } else if (epoch - best.epoch >= options.patience) break;
      } else best = { loss: trainLoss, epoch, perMember };
      await yieldTurn();
    }
    await session.finish();
    return { history, bestEpoch: best.epoch, memberValLoss: best.perMember, validationRows: valIdx.slice() };
  } finally {
    await session.dispose();
  }
}
