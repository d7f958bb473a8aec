import { assignMemberWeights, memberVariables, readMemberWeights, type Member, type MemberTrainingCompute, type MemberTrainingSession } from '../../mbrl/models';
import { planningWorkerCount, type PlanningWorkersSetting } from './planning-workers';
import { splitRows } from './pooled-planning';
import { TrainingPool } from './training-pool';

/**
 * Ensemble members trained on a {@link TrainingPool}: contiguous groups of members per worker (5
 * members on 2 workers: 3 + 2), each worker with its own copies, data and Adam states. The main
 * thread draws every permutation (fit-regression.ts), sends each worker its members' rows, and makes
 * the early-stopping decision from the gathered losses; at the end the members here get the
 * workers' kept weights. Members are independent given their minibatches, and the workers run the
 * same kernels on the same backend as the serial fit, so the result equals the serial fit's bit for
 * bit (test/engine/compute/pooled-training.test.ts).
 * A fit with fewer members than workers uses one worker per member.
 * The caller's members keep their starting weights until `finish()`: a fit whose per-epoch callback
 * predicts with the model (dataset train's held-out RMSE per epoch) would see stale weights, so
 * such fits stay on the calling thread.
 */
export function pooledMemberTraining(pool: TrainingPool): MemberTrainingCompute {
  return async (members, data, settings): Promise<MemberTrainingSession> => {
    const groups = splitRows(members.length, pool.size);
    const started: number[] = [];
    const weights = await readMemberWeights(members);
    const all = (message: Parameters<TrainingPool['request']>[1]) => Promise.all(groups.map((_, w) => pool.request(w, message)));
    const gather = async (replies: Promise<{ values: Float64Array | null }[]>) => (await replies).flatMap((r) => Array.from(r.values!));
    try {
      await Promise.all(
        groups.map(({ start, count }, w) =>
          pool
            .request(w, {
              type: 'start',
              members: members.slice(start, start + count).map((m, i) => describe(m, weights[start + i])),
              // Structured clone copies the data to each worker (the caller keeps its arrays).
              inputs: data.inputs,
              targets: data.targets,
              n: data.n,
              nVal: data.nVal,
              settings,
            })
            .then(() => void started.push(w)),
        ),
      );
    } catch (error) {
      await Promise.allSettled(started.map((w) => pool.request(w, { type: 'end' })));
      throw error;
    }
    let finished = false;
    return {
      epoch: (perms) => gather(Promise.all(groups.map(({ start, count }, w) => pool.request(w, { type: 'epoch', perms: perms.slice(start, start + count) as Int32Array[] })))),
      validationLoss: () => gather(all({ type: 'validate' })),
      keepBest: async () => void (await all({ type: 'keep-best' })),
      finish: async () => {
        const replies = await all({ type: 'finish' });
        finished = true;
        assignMemberWeights(members, replies.flatMap((r) => r.weights!));
      },
      dispose: async () => {
        if (!finished && !pool.isDisposed) await Promise.allSettled(groups.map((_, w) => pool.request(w, { type: 'end' })));
      },
    };
  };
}

function describe(member: Member, weights: Float32Array[]) {
  if (weights.length !== memberVariables(member).length) throw new Error('pooled training: weights do not match the member');
  return { config: member.mlp.config, probabilistic: member.bounds !== null, weights };
}

/**
 * Training threads for a run spec's `compute.trainingWorkers` and an ensemble of `members`: 'auto' =
 * one per CPU core (capped as for planning), never more than the members (a worker trains whole
 * members). 1 means fit on the calling thread.
 */
export function trainingWorkerCount(setting: PlanningWorkersSetting, members: number): number {
  return Math.max(1, Math.min(members, planningWorkerCount(setting)));
}

/** A training pool and the member-training compute that uses it; `dispose` ends both. */
export interface PooledTraining {
  compute: MemberTrainingCompute;
  pool: TrainingPool;
  dispose(): Promise<void>;
}

/**
 * Starts `workers` training threads loading `backend` (wasm or cpu: see planning-workers.ts's
 * poolBackend — the same reasoning applies). Set `model.trainingCompute = pooled.compute`.
 */
export async function startPooledTraining(workers: number, backend: 'wasm' | 'cpu'): Promise<PooledTraining> {
  const pool = await TrainingPool.create({ workers, backend });
  return { pool, compute: pooledMemberTraining(pool), dispose: () => pool.dispose() };
}
