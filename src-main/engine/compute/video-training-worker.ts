/**
 * A video-training worker thread: its own tfjs backend instance and a copy of the video model being
 * fitted; for each request it loads the weights sent with it and computes the loss and gradients of
 * one shard of the minibatch with the library's own shardGradients, so what it returns is a pure
 * function of the message: exactly what the fitting thread computes for those rows.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { makePixelEnv, type ImageEnv, type ImageEpisode } from '../../mbrl/env';
import { shardGradients, VideoPredictionModel, writeWeights } from '../../mbrl/models/video';
import { runPlannerEpisode, type PlannerEpisodeEnv } from '../jobs/foresight-planner-episode';
import { readModelXml } from '../resources';
import { chooseBackend, type BackendChoice } from '../tf-backend';
import type { VideoTrainingRequest, VideoTrainingResult, VideoTrainingWorkerData } from './video-training-messages';
import type { WorkerReply } from './worker-threads';

const port = parentPort!;
const data = workerData as VideoTrainingWorkerData;
let model: VideoPredictionModel | null = null;
/** The env of the last planner episode, kept for the next one (a MuJoCo model and its renderer). */
let env: { key: string; env: ImageEnv } | null = null;

async function envFor(spec: PlannerEpisodeEnv): Promise<ImageEnv> {
  const key = `${spec.task}@${spec.size}`;
  if (env?.key !== key) {
    env?.env.dispose();
    env = null;
    env = { key, env: await makePixelEnv(spec.task, readModelXml, { width: spec.size, height: spec.size }) };
  }
  return env.env;
}

/** Handles one request; returns what to send back: a loss and gradients, or an episode. */
async function handle(request: VideoTrainingRequest): Promise<{ loss: number; gradients: Float32Array[] | null; episode?: ImageEpisode }> {
  switch (request.type) {
    case 'start':
      model?.dispose();
      model = VideoPredictionModel.create(request.config);
      return { loss: 0, gradients: null };
    case 'gradients': {
      if (!model) throw new Error('video training worker: no model (send start first)');
      writeWeights(model, request.weights);
      // A mask of the wrong size fails in shardGradients (checkShard), naming it.
      const { rows, length, truth } = request;
      const truthMask = Array.from({ length: length - 1 }, (_, t) => Array.from(truth.subarray(t * rows, (t + 1) * rows), Boolean));
      const batch = { frames: request.frames, actions: request.actions, batch: rows, length, ...(request.points ? { points: request.points } : {}) };
      const result = shardGradients(model, { batch, truthMask }, request.lossWeights);
      try {
        const loss = (await result.loss.data())[0];
        const gradients = await Promise.all(result.gradients.map(async (g) => Float32Array.from((await g.data()) as Float32Array)));
        return { loss, gradients };
      } finally {
        tf.dispose([result.loss, ...result.gradients]);
      }
    }
    case 'episode': {
      if (!model) throw new Error('video training worker: no model (send start first)');
      writeWeights(model, request.weights);
      const episode = await runPlannerEpisode(await envFor(request.env), model, request.task, request.settings);
      return { loss: 0, gradients: null, episode };
    }
    case 'memory':
      return { loss: 0, gradients: null };
  }
}

try {
  await chooseBackend(data.backend as BackendChoice);
  // Requests are handled one at a time, in order.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (request: VideoTrainingRequest) => {
    queue = queue.then(async () => {
      try {
        const { loss, gradients, episode } = await handle(request);
        const reply: VideoTrainingResult = { type: 'result', id: request.id, loss, gradients, ...(episode ? { episode } : {}), numTensors: tf.memory().numTensors };
        const arrays = episode ? [episode.frames, episode.states, episode.actions, episode.rewards, episode.terminated, ...(episode.points ? [episode.points] : [])] : [];
        port.postMessage(reply, [...(gradients ?? []), ...arrays].map((a) => a.buffer as ArrayBuffer));
      } catch (error) {
        port.postMessage({ type: 'error', id: request.id, message: (error as Error).message } satisfies WorkerReply<VideoTrainingResult>);
      }
    });
  });
  port.postMessage({ type: 'ready' } satisfies WorkerReply<VideoTrainingResult>);
} catch (error) {
  port.postMessage({ type: 'fatal', message: `video training worker: ${(error as Error).message}` } satisfies WorkerReply<VideoTrainingResult>);
}
