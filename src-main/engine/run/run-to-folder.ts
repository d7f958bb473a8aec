import { runExperiment, type ExperimentHooks } from '../../mbrl/algorithms';
import type { Env } from '../../mbrl/env';
import type { RunSpec } from '../../protocol';
import type { EngineServices } from '../engine';
import { planningWorkerCount, poolBackend, startPooledPlanning, type PooledCompute } from '../compute/planning-workers';
import { startPooledTraining, trainingWorkerCount, type PooledTraining } from '../compute/pooled-training';
import { RunRecorder } from './run-recorder';

/** How a run ended. */
export interface RunOutcome {
  status: 'finished' | 'cancelled';
  returns: number[];
  dir: string;
}

/**
 * Runs a validated spec to completion (or cancellation) and writes its run folder: run.json,
 * metrics.jsonl, and checkpoints/ with the final model. Unknown tasks are rejected before anything
 * is written. The same path serves `mbrl-lab run` and the Experiments view. With
 * `compute.planningWorkers` > 1 planning runs on a pool of worker threads, and with
 * `compute.trainingWorkers` > 1 an ensemble's members are fitted on another; both end with the run
 * (finished, cancelled or failed). Either pool gives exactly the results of the engine's thread.
 */
export async function runToFolder(
  spec: RunSpec,
  dir: string,
  services: EngineServices,
  options: { label?: string; hooks?: ExperimentHooks; signal?: AbortSignal; onEnv?: (env: Env) => void } = {},
): Promise<RunOutcome> {
  const info = services.listTasks().find((t) => t.id === spec.task);
  if (!info) throw new Error(`task: unknown task '${spec.task}'; known tasks: ${services.listTasks().map((t) => t.id).join(', ')}`);
  const env = await services.makeEnv(spec.task);
  let recorder: RunRecorder | null = null;
  let pooled: PooledCompute | null = null;
  let training: PooledTraining | null = null;
  let status = 'failed';
  try {
    options.onEnv?.(env);
    recorder = await RunRecorder.create(dir, spec, services.info, options.label);
    const workers = spec.algorithm === 'random' ? 1 : planningWorkerCount(spec.compute.planningWorkers);
    const backend = poolBackend();
    if (workers > 1 && backend) {
      try {
        pooled = await startPooledPlanning(workers, spec.task, backend);
        services.log(`[engine] planning on ${workers} worker threads (${backend})`);
      } catch (error) {
        // Planning is the same on one thread, only slower: a run never fails for want of workers.
        services.log(`[engine] planning on the engine's thread: the planning workers did not start (${(error as Error).message})`);
      }
    } else if (workers > 1) services.log(`[engine] planning on the engine's thread: the ${services.info.backend} backend uses its own parallelism`);
    const trainers = spec.algorithm === 'random' ? 1 : trainingWorkerCount(spec.compute.trainingWorkers, spec.model.members);
    if (trainers > 1 && backend) {
      try {
        training = await startPooledTraining(trainers, backend);
        services.log(`[engine] training on ${trainers} worker threads (${backend})`);
      } catch (error) {
        // As for planning: the same fit on one thread, only slower.
        services.log(`[engine] training on the engine's thread: the training workers did not start (${(error as Error).message})`);
      }
    } else if (trainers > 1) services.log(`[engine] training on the engine's thread: the ${services.info.backend} backend uses its own parallelism`);
    const rec = recorder;
    const hooks = options.hooks ?? {};
    const result = await runExperiment(
      spec,
      { env, functions: services.taskFunctions(spec.task), angleDims: info.angleDims },
      {
        ...hooks,
        onMetric: async (m) => {
          await rec.append(m);
          await hooks.onMetric?.(m);
        },
        onEpisodeEnd: async (ep) => {
          await rec.recordEpisode(ep, { task: spec.task, obsDim: info.obsDim, actDim: info.actDim });
          await hooks.onEpisodeEnd?.(ep);
        },
      },
      options.signal,
      pooled?.compute,
      training?.compute ?? null,
    );
    if (result.model) {
      await rec.saveModel(await result.model.save());
      result.model.dispose();
    }
    status = options.signal?.aborted ? 'cancelled' : 'finished';
    return { status: status as RunOutcome['status'], returns: result.returns, dir };
  } catch (error) {
    status = `failed: ${(error as Error).message}`;
    throw error;
  } finally {
    // Both pools end whatever happened; a failing dispose must not keep the other's threads alive.
    await Promise.allSettled([pooled?.dispose(), training?.dispose()]);
    env.dispose();
    await recorder?.finish(status);
  }
}
