/**
 * A training worker thread: its own tfjs backend instance (the one the engine chose) and, during a
 * fit, its own copies of one group of ensemble members, trained with the library's own
 * MemberGroupTrainer. Every random number (the permutations) arrives from the main thread, so what
 * it computes is a pure function of the messages: exactly what the serial fit computes for these
 * members.
 */
import { parentPort, workerData } from 'node:worker_threads';
import * as tf from '@tensorflow/tfjs-core';
import { LogVarBounds, MemberGroupTrainer, Mlp, readMemberWeights, type Member } from '../../mbrl/models';
import { chooseBackend, type BackendChoice } from '../tf-backend';
import type { MemberWeights, TrainingReply, TrainingRequest, TrainingWorkerData } from './training-messages';

const port = parentPort!;
const data = workerData as TrainingWorkerData;

interface Group {
  members: Member[];
  trainer: MemberGroupTrainer;
  best: Float32Array[][] | null;
}
let group: Group | null = null;

function memberFrom(m: MemberWeights): Member {
  const layers = 2 * (m.config.hidden.length + 1);
  return {
    mlp: Mlp.fromWeights(m.config, m.weights.slice(0, layers)),
    bounds: m.probabilistic ? LogVarBounds.fromArrays(m.weights[layers], m.weights[layers + 1]) : null,
  };
}

function endGroup(): void {
  if (!group) return;
  group.trainer.dispose();
  group.members.forEach((m) => {
    m.mlp.dispose();
    m.bounds?.dispose();
  });
  group = null;
}

function requireGroup(): Group {
  if (!group) throw new Error('training worker: no members (send start first)');
  return group;
}

/** Handles one request; returns the values and weights to send back. */
async function handle(request: TrainingRequest): Promise<{ values?: Float64Array; weights?: Float32Array[][] }> {
  switch (request.type) {
    case 'start': {
      endGroup();
      const members = request.members.map(memberFrom);
      const trainer = new MemberGroupTrainer(members, { inputs: request.inputs, targets: request.targets, n: request.n, nVal: request.nVal }, request.settings);
      group = { members, trainer, best: null };
      return {};
    }
    case 'epoch':
      return { values: Float64Array.from(await requireGroup().trainer.epoch(request.perms)) };
    case 'validate':
      return { values: Float64Array.from(await requireGroup().trainer.validationLoss()) };
    case 'keep-best': {
      const g = requireGroup();
      g.best = await readMemberWeights(g.members);
      return {};
    }
    case 'finish': {
      const g = requireGroup();
      const weights = g.best ?? (await readMemberWeights(g.members));
      endGroup();
      return { weights };
    }
    case 'end':
      endGroup();
      return {};
    case 'memory':
      return {};
  }
}

try {
  await chooseBackend((data.backend ?? undefined) as BackendChoice | undefined);
  // Requests are handled one at a time, in order.
  let queue: Promise<void> = Promise.resolve();
  port.on('message', (request: TrainingRequest) => {
    queue = queue.then(async () => {
      try {
        const { values, weights } = await handle(request);
        const transfer = [...(values ? [values.buffer as ArrayBuffer] : []), ...(weights ?? []).flat().map((w) => w.buffer as ArrayBuffer)];
        const reply: TrainingReply = { type: 'result', id: request.id, values: values ?? null, weights: weights ?? null, numTensors: tf.memory().numTensors };
        port.postMessage(reply, transfer);
      } catch (error) {
        port.postMessage({ type: 'error', id: request.id, message: (error as Error).message } satisfies TrainingReply);
      }
    });
  });
  port.postMessage({ type: 'ready' } satisfies TrainingReply);
} catch (error) {
  port.postMessage({ type: 'fatal', message: `training worker: ${(error as Error).message}` } satisfies TrainingReply);
}
