/**
 * A planning worker thread: its own tfjs backend instance (the one the engine chose) and its own
 * copy of the dynamics model, refreshed after each fit. It rolls out the candidate or particle rows
 * it is sent and replies with their returns; every random number arrives from the main thread, so
 * what it computes is a pure function of the message.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { taskFunctions } from '../../mbrl/env';
import { EnsembleDynamicsModel } from '../../mbrl/models';
import { modelReturnObjective, rolloutParticleRows } from '../../mbrl/planning';
import { chooseBackend, type BackendChoice } from '../tf-backend';
import type { PlanningReply, PlanningRequest, PlanningWorkerData } from './planning-messages';

const port = parentPort!;
const data = workerData as PlanningWorkerData;
let model: EnsembleDynamicsModel | null = null;

function reply(message: PlanningReply, transfer: ArrayBuffer[] = []): void {
  port.postMessage(message, transfer);
}

/** Handles one request; returns the values to send back (null for acknowledgements). */
async function handle(request: PlanningRequest): Promise<Float32Array | null> {
  switch (request.type) {
    case 'model':
      model?.dispose();
      model = EnsembleDynamicsModel.load({ modelJson: request.modelJson, weightData: request.weightData });
      return null;
    case 'memory':
      return null;
    case 'model-return': {
      const m = requireModel();
      const { obs0, samples, H, A, start, count } = request;
      const objective = modelReturnObjective(m, task, obs0);
      const out = tf.tidy(() => objective(tf.tensor3d(samples.subarray(start * H * A, (start + count) * H * A), [count, H, A])));
      return readAndDispose(out);
    }
    case 'particle-rows': {
      const m = requireModel();
      const { obs0, samples, N, H, A, candidateOf, blocks, noise } = request;
      const out = tf.tidy(() => rolloutParticleRows(m, task, obs0, tf.tensor3d(samples, [N, H, A]), { candidateOf, blocks, noise }));
      return readAndDispose(out);
    }
  }
}

function requireModel(): EnsembleDynamicsModel {
  if (!model) throw new Error('planning worker: no model yet (send the weights after each fit)');
  return model;
}

async function readAndDispose(t: tf.Tensor): Promise<Float32Array> {
  // A copy that owns its whole buffer, so transferring it detaches nothing the backend still uses.
  const values = ((await t.data()) as Float32Array).slice();
  t.dispose();
  return values;
}

let task: ReturnType<typeof taskFunctions>;
try {
  task = taskFunctions(data.task);
  await chooseBackend((data.backend ?? undefined) as BackendChoice | undefined);
  // Requests are handled one at a time, in order (the pool sends one at a time per worker anyway).
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (request: PlanningRequest) => {
    queue = queue.then(async () => {
      try {
        const values = await handle(request);
        reply({ type: 'result', id: request.id, values, numTensors: tf.memory().numTensors }, values ? [values.buffer as ArrayBuffer] : []);
      } catch (error) {
        reply({ type: 'error', id: request.id, message: (error as Error).message });
      }
    });
  });
  reply({ type: 'ready' });
} catch (error) {
  reply({ type: 'fatal', message: `planning worker: ${(error as Error).message}` });
}
