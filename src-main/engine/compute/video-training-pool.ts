import type { Worker } from 'node:worker_threads';
import type { ImageEpisode, PushingTask } from '../../mbrl/env';
import { checkShard, type BatchShard, type SequenceLossWeights, type ShardGradients, type VideoGradientShards, type VideoModelConfig } from '../../mbrl/models/video';
import type { PlannerEpisodeEnv, PlannerEpisodeSettings, PlannerEpisodeThreads } from '../jobs/foresight-planner-episode';
import { planningWorkerCount, poolBackend, type PlanningWorkersSetting } from './planning-workers';
import type { VideoTrainingRequest, VideoTrainingResult, VideoTrainingWorkerData } from './video-training-messages';
import { WorkerThreads } from './worker-threads';

/** Every video-training worker thread alive in this process (removed on its 'exit' event). */
const live = new Set<Worker>();

/** Video-training worker threads alive in this process right now. */
export function liveVideoTrainingWorkers(): number {
  return live.size;
}

/**
 * Threads that share each video-model training step for a spec's `train.fit.workers`: 'auto' = one
 * per CPU core (capped as for planning), never more than the minibatch's windows; the engine's own
 * thread is one of them, so 1 means no worker threads.
 */
export function videoTrainingThreads(setting: PlanningWorkersSetting, batchSize: number): number {
  return Math.max(1, Math.min(batchSize, planningWorkerCount(setting)));
}

/**
 * Worker threads computing shards of a video model's training steps (data-parallel: see
 * fitVideoModel's `shards`), each with its own tfjs backend and copy of the model; between fits they
 * run the foresight rounds' planner episodes with that copy. Start it with the model's config;
 * dispose() ends every thread.
 */
export class VideoTrainingPool implements VideoGradientShards, PlannerEpisodeThreads {
  private constructor(private readonly threads: WorkerThreads<VideoTrainingRequest, VideoTrainingResult>) {}

  /** Starts `workers` threads loading `backend` ('wasm' or 'cpu') with a model of shape `config`. */
  static async create(options: { workers: number; backend: 'wasm' | 'cpu'; config: VideoModelConfig }): Promise<VideoTrainingPool> {
    const workerData: VideoTrainingWorkerData = { backend: options.backend };
    const threads = await WorkerThreads.start<VideoTrainingRequest, VideoTrainingResult>({ count: options.workers, entryName: 'video-training-worker', workerData, label: 'video training', live });
    const pool = new VideoTrainingPool(threads);
    try {
      await Promise.all(Array.from({ length: threads.size }, (_, w) => threads.request(w, { type: 'start', config: options.config })));
    } catch (error) {
      await pool.dispose();
      throw error;
    }
    return pool;
  }

  get count(): number {
    return this.threads.size;
  }

  async gradients(index: number, weights: readonly Float32Array[], shard: BatchShard, lossWeights: SequenceLossWeights): Promise<ShardGradients> {
    checkShard(shard);
    const { batch, truthMask } = shard;
    const truth = new Uint8Array((batch.length - 1) * batch.batch);
    truthMask.forEach((step, t) => step.forEach((v, b) => (truth[t * batch.batch + b] = v ? 1 : 0)));
    const reply = await this.threads.request(index, { type: 'gradients', weights: [...weights], frames: batch.frames, actions: batch.actions, rows: batch.batch, length: batch.length, truth, lossWeights, ...(batch.points ? { points: batch.points } : {}) });
    if (!reply.gradients) throw new Error('video training worker: no gradients in its reply');
    return { loss: reply.loss, gradients: reply.gradients };
  }

  async plannerEpisode(index: number, weights: readonly Float32Array[], env: PlannerEpisodeEnv, task: PushingTask, settings: PlannerEpisodeSettings): Promise<ImageEpisode> {
    const reply = await this.threads.request(index, { type: 'episode', weights: [...weights], env, task, settings });
    if (!reply.episode) throw new Error('video training worker: no episode in its reply');
    return reply.episode;
  }

  /** tf.memory().numTensors in each worker. */
  async workerTensors(): Promise<number[]> {
    return Promise.all(Array.from({ length: this.count }, (_, w) => this.threads.request(w, { type: 'memory' }).then((r) => r.numTensors)));
  }

  /** Terminates the workers and resolves once every thread has exited. */
  dispose(): Promise<void> {
    return this.threads.dispose();
  }
}

/**
 * Runs `fit` with the video-training threads a spec's `workers` setting asks for: a pool of
 * threads − 1 workers (the calling thread computes one shard too) when that is more than none and the
 * backend in use computes on one thread (wasm, cpu: see planning-workers.ts's poolBackend); else
 * `fit(undefined)`, all on the calling thread — also when the workers cannot start, since training
 * alone is still correct. `where` is for a progress message: ' on N threads', '' or why not. The pool
 * ends when `fit` does.
 */
export async function withVideoTrainingShards<T>(
  setting: PlanningWorkersSetting,
  batchSize: number,
  config: VideoModelConfig,
  fit: (pool: VideoTrainingPool | undefined, where: string) => Promise<T>,
): Promise<T> {
  const threads = videoTrainingThreads(setting, batchSize);
  const backend = poolBackend();
  if (threads <= 1 || !backend) return fit(undefined, '');
  let pool: VideoTrainingPool;
  try {
    pool = await VideoTrainingPool.create({ workers: threads - 1, backend, config });
  } catch (error) {
    return fit(undefined, ` on one thread (worker threads did not start: ${(error as Error).message})`);
  }
  try {
    return await fit(pool, ` on ${threads} threads`);
  } finally {
    await pool.dispose();
  }
}
