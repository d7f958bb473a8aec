/**
 * `mbrl-lab dataset train`: fits an EnsembleDynamicsModel on a recorded dataset and measures its
 * open-loop prediction on held-out episodes. Episodes (never single transitions) are split into
 * train and held-out by the seed, so the held-out numbers come from trajectories the model never saw.
 *
 * Datasets carry no angle metadata, so the model sees every state dimension as it is stored
 * (angleDims []): an unwrapped angle is learned as a plain number.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import { type DatasetReader, DatasetError, isNumeric, type TransitionBatch, toTransitions } from '../../mbrl/data';
import { type CalibrationReport, calibrationReport, EnsembleDynamicsModel, type EpochReport, multiStepError, permutation } from '../../mbrl/models';
import { Rng } from '../../mbrl/util';
import { RunRecorder } from '../run/run-recorder';
import { type BackendChoice, chooseBackend, describeBackend } from '../tf-backend';
import { engineVersions } from '../versions';
import { openLocalDataset } from './open-local-dataset';
import { type OpenLoopPrediction, openLoopPrediction } from './open-loop-prediction';

export interface DatasetTrainOptions {
  /** The dataset file or folder. */
  path: string;
  /** The run folder to write. */
  out: string;
  /** Fields concatenated into the state (default: the format's observation role). */
  state?: string[];
  /** Default: the format's action role. */
  action?: string;
  members: number;
  probabilistic: boolean;
  epochs: number;
  hidden: number[];
  /** Share of episodes held out, in [0, 1). */
  holdout: number;
  seed: number;
  /** Longest open-loop horizon evaluated on each held-out episode. */
  horizon: number;
  backend?: BackendChoice;
  /**
   * Transitions per gradient step. Default: 256, or for datasets too small to give 16 steps an
   * epoch at that size, the power of two (at least 16) that does.
   */
  batchSize?: number;
}

/** One epoch: the fit's losses plus the held-out episodes' 1-step RMSE (observation units). */
export interface DatasetEpoch extends EpochReport {
  heldOutRmse: number | null;
  /** Training transitions. */
  transitions: number;
}

/** What one held-out episode showed. */
export interface HeldOutResult {
  episode: number;
  name: string;
  steps: number;
  /** Open-loop RMSE at horizons 1…H: rmse[h − 1]. */
  rmse: number[];
  calibration?: CalibrationReport;
}

export interface DatasetTrainResult {
  format: string;
  trainEpisodes: number[];
  heldOutEpisodes: number[];
  transitions: number;
  history: DatasetEpoch[];
  heldOut: HeldOutResult[];
  dir: string;
  /** True when the signal stopped it (no held-out evaluation was done). */
  cancelled?: boolean;
}

/** One held-out episode's open-loop prediction from its first state (for plotting against the truth). */
export interface HeldOutPrediction extends OpenLoopPrediction {
  episode: number;
  name: string;
  /** The recorded states s_0 … s_N: [(N + 1) · D]. */
  truth: Float32Array;
  /** A name per state dimension ('obs/joint_pos[2]'). */
  dimNames: string[];
  /** Open-loop RMSE at horizons 1…H over all starts. */
  rmse: number[];
}

/** Hooks of a training run started from the engine (the CLI needs none). */
export interface DatasetTrainHooks {
  onEpoch?: (e: DatasetEpoch) => void;
  /** Aborting stops the fit after the current epoch; the run folder is marked cancelled. */
  signal?: AbortSignal;
  /** Called for each held-out episode after the fit (at most `predictEpisodes` of them). */
  onPrediction?: (p: HeldOutPrediction) => void;
  /** Longest open-loop prediction sent to onPrediction (default 500 steps). */
  predictSteps?: number;
  predictEpisodes?: number;
}

/** A problem with the inputs: one line naming the file and field. Nothing has been written. */
export class DatasetTrainError extends Error {}

/** Fit settings not exposed on the command line (the run-spec defaults). */
const FIT = { batchSize: 256, learningRate: 1e-3, weightDecay: 5e-5, valFraction: 0.1, patience: 5 } as const;

interface Selection {
  observation: string[];
  nextObservation: string[] | null;
  action: string;
  /** Width of each observation field, for naming the field behind a column. */
  widths: number[];
  actWidth: number;
}

/** Resolves and checks the state and action fields; throws DatasetTrainError naming the field. */
function selectFields(reader: DatasetReader, state: string[] | undefined, action: string | undefined): Selection {
  const { summary } = reader;
  const fail = (problem: string) => new DatasetTrainError(`${summary.path}: ${problem}`);
  const known = Object.keys(summary.fields);
  const check = (key: string, flag: string) => {
    const info = summary.fields[key];
    if (!info) throw fail(`${flag}: no field '${key}' (fields: ${known.join(', ')})`);
    if (!isNumeric(info.dtype)) throw fail(`${flag}: field '${key}' is ${info.dtype}, not numeric`);
    if (info.shape.length > 1) throw fail(`${flag}: field '${key}' has step shape [${info.shape.join(', ')}]; expected a vector`);
    return info.shape.length ? info.shape[0] : 1;
  };
  const observation = state ?? summary.roles.observation ?? [];
  if (!observation.length) throw fail('--state: the format names no state fields; name them');
  const act = action ?? summary.roles.action;
  if (!act) throw fail('--action: the format names no action field; name one');
  const widths = observation.map((k) => check(k, '--state'));
  const actWidth = check(act, '--action');
  // s′: the stored next-observation twins of the chosen fields where all exist, else the next row.
  const roleObs = summary.roles.observation ?? [];
  const roleNext = summary.roles.nextObservation ?? [];
  const twins = observation.map((k) => roleNext[roleObs.indexOf(k)]);
  const nextObservation = roleNext.length && twins.every((t) => t && summary.fields[t]) ? twins : null;
  return { observation, nextObservation, action: act, widths, actWidth };
}

/** Throws DatasetTrainError naming the field and episode of the first NaN/Inf in s, s′ or a. */
function checkFinite(batch: TransitionBatch, sel: Selection, path: string, episodeName: string): void {
  const fieldOf = (column: number) => {
    let c = column;
    for (let i = 0; i < sel.widths.length; i++) {
      if (c < sel.widths[i]) return { key: sel.observation[i], next: sel.nextObservation?.[i] };
      c -= sel.widths[i];
    }
    return { key: '?', next: undefined };
  };
  const D = batch.obsDim;
  const bad = (a: Float32Array) => a.findIndex((v) => !Number.isFinite(v));
  let i = bad(batch.obs);
  if (i >= 0) throw new DatasetTrainError(`${path}: field '${fieldOf(i % D).key}' has NaN/Inf in ${episodeName} step ${Math.floor(i / D)}`);
  i = bad(batch.nextObs);
  if (i >= 0) {
    const f = fieldOf(i % D);
    throw new DatasetTrainError(`${path}: field '${f.next ?? f.key}' has NaN/Inf in ${episodeName} (next state of step ${Math.floor(i / D)})`);
  }
  i = bad(batch.act);
  if (i >= 0) throw new DatasetTrainError(`${path}: field '${sel.action}' has NaN/Inf in ${episodeName} step ${Math.floor(i / batch.actDim)}`);
}

/** Episodes split by the seed: `holdout` of them (at least one when > 0) held out. */
export function splitEpisodes(count: number, holdout: number, seed: number): { train: number[]; heldOut: number[] } {
  const order = Array.from(permutation(count, new Rng(seed)));
  const nHeld = holdout > 0 && count > 0 ? Math.max(1, Math.round(count * holdout)) : 0;
  return { heldOut: order.slice(0, nHeld).sort((a, b) => a - b), train: order.slice(nHeld).sort((a, b) => a - b) };
}

/** Mean 1-step RMSE (observation units) of the model's prediction over held-out transitions. */
async function oneStepRmse(model: EnsembleDynamicsModel, batches: TransitionBatch[]): Promise<number | null> {
  let sum = 0;
  let count = 0;
  for (const b of batches) {
    if (!b.size) continue;
    const sq = tf.tidy(() => {
      const pred = model.predict(tf.tensor2d(b.obs, [b.size, b.obsDim]), tf.tensor2d(b.act, [b.size, b.actDim]));
      return tf.sum(tf.square(tf.sub(pred, tf.tensor2d(b.nextObs, [b.size, b.obsDim]))));
    });
    sum += (await sq.data())[0];
    sq.dispose();
    count += b.size * b.obsDim;
  }
  return count ? Math.sqrt(sum / count) : null;
}

/** One episode's trajectory from its transitions: obs [(N + 1) · D] (s_0…s_N), act [N · A]. */
function trajectory(b: TransitionBatch): { obs: Float32Array; act: Float32Array } {
  const D = b.obsDim;
  const obs = new Float32Array((b.size + 1) * D);
  obs.set(b.obs.subarray(0, b.size * D));
  obs.set(b.nextObs.subarray((b.size - 1) * D, b.size * D), b.size * D);
  return { obs, act: b.act.subarray(0, b.size * b.actDim) };
}

/**
 * Reads and checks everything first (a bad key, no training episodes or NaN fail before anything is
 * written), then writes DIR/run.json, DIR/metrics.jsonl and DIR/checkpoints/ via RunRecorder.
 */
export async function trainOnDataset(options: DatasetTrainOptions, hooksOrOnEpoch?: DatasetTrainHooks | ((e: DatasetEpoch) => void)): Promise<DatasetTrainResult> {
  const hooks: DatasetTrainHooks = typeof hooksOrOnEpoch === 'function' ? { onEpoch: hooksOrOnEpoch } : (hooksOrOnEpoch ?? {});
  const { onEpoch, signal } = hooks;
  if (existsSync(resolve(options.out, 'run.json'))) throw new DatasetTrainError(`${options.out}: already holds a run (run.json); choose another --out`);
  const reader = await openLocalDataset(options.path);
  let model: EnsembleDynamicsModel | undefined;
  try {
    const { summary } = reader;
    const sel = selectFields(reader, options.state, options.action);
    const E = summary.episodes.length;
    const split = splitEpisodes(E, options.holdout, options.seed);
    if (!split.train.length) throw new DatasetTrainError(`${summary.path}: no episodes left for training (${E} episode${E === 1 ? '' : 's'}, ${split.heldOut.length} held out by --holdout ${options.holdout})`);
    const read = (episodes: number[]) => toTransitions(reader, { observation: sel.observation, nextObservation: sel.nextObservation, action: sel.action, episodes });
    const train = await read(split.train);
    checkFinite(train, sel, summary.path, `the training episodes`);
    if (train.size < 2) throw new DatasetTrainError(`${summary.path}: the training episodes hold ${train.size} transition(s); need at least 2`);
    const batchSize = options.batchSize ?? Math.min(FIT.batchSize, Math.max(16, 2 ** Math.floor(Math.log2(Math.max(1, train.size / 16)))));
    const held: TransitionBatch[] = [];
    for (const index of split.heldOut) {
      const b = await read([index]);
      checkFinite(b, sel, summary.path, summary.episodes[index].name);
      held.push(b);
    }

    let backend;
    try {
      backend = await chooseBackend(options.backend);
    } catch (error) {
      throw new DatasetTrainError(`--backend: ${(error as Error).message.split('\n')[0]}`);
    }
    const spec = {
      command: 'dataset train',
      dataset: resolve(options.path),
      format: summary.format,
      state: sel.observation,
      action: sel.action,
      nextState: sel.nextObservation ?? 'next row',
      members: options.members,
      probabilistic: options.probabilistic,
      epochs: options.epochs,
      hidden: options.hidden,
      holdout: options.holdout,
      horizon: options.horizon,
      seed: options.seed,
      angleDims: [],
      fit: { ...FIT, batchSize },
      trainEpisodes: split.train,
      heldOutEpisodes: split.heldOut,
    };
    const recorder = await RunRecorder.create(
      options.out,
      spec,
      { type: 'engine/info', backend: backend.backend, backendDetail: describeBackend(backend), host: 'cli', versions: engineVersions(), pid: process.pid },
      `dataset train ${summary.path}`,
    );
    const append = (record: { kind: string; [field: string]: unknown }) => recorder.append(record);
    try {
      const m = EnsembleDynamicsModel.create({
        obsDim: train.obsDim,
        actDim: train.actDim,
        angleDims: [],
        hidden: options.hidden,
        activation: 'swish',
        members: options.members,
        probabilistic: options.probabilistic,
        sampling: 'shuffle',
        elites: options.members,
        seed: options.seed,
      });
      model = m;
      const history: DatasetEpoch[] = [];
      await m.fit(train, { ...FIT, batchSize, epochs: options.epochs, seed: options.seed }, async (r) => {
        const e: DatasetEpoch = { ...r, heldOutRmse: await oneStepRmse(m, held), transitions: train.size };
        history.push(e);
        await append({
          kind: 'train',
          fit: 0,
          epoch: r.epoch,
          epochs: r.epochs,
          train_loss: r.trainLoss,
          val_loss: Number.isNaN(r.valLoss) ? null : r.valLoss,
          heldout_rmse: e.heldOutRmse,
          transitions: train.size,
        });
        onEpoch?.(e);
      }, signal);
      await recorder.saveModel(await m.save());
      if (signal?.aborted) {
        await recorder.finish('cancelled');
        return { format: summary.format, trainEpisodes: split.train, heldOutEpisodes: split.heldOut, transitions: train.size, history, heldOut: [], dir: options.out, cancelled: true };
      }
      const dimNames = sel.observation.flatMap((k, i) => (sel.widths[i] === 1 ? [k] : Array.from({ length: sel.widths[i] }, (_, d) => `${k}[${d}]`)));

      const heldOut: HeldOutResult[] = [];
      for (const [i, b] of held.entries()) {
        const index = split.heldOut[i];
        const name = summary.episodes[index].name;
        if (!b.size) continue;
        const { obs, act } = trajectory(b);
        const rmse = Array.from(await multiStepError(m, obs, act, options.horizon));
        await append({ kind: 'prediction', fit: 0, episode: index, name, steps: b.size, rmse });
        const result: HeldOutResult = { episode: index, name, steps: b.size, rmse };
        if (options.members > 1 || options.probabilistic) {
          const c = await calibrationReport(m, b);
          await append({ kind: 'calibration', fit: 0, episode: index, name, nll: c.nll, within_1sigma: c.within1Sigma, within_2sigma: c.within2Sigma, samples: c.samples });
          result.calibration = c;
        }
        heldOut.push(result);
        if (hooks.onPrediction && i < (hooks.predictEpisodes ?? 4)) {
          const p = await openLoopPrediction(m, obs, act, hooks.predictSteps ?? 500);
          hooks.onPrediction({ ...p, episode: index, name, truth: obs.slice(0, (p.steps + 1) * p.obsDim), dimNames, rmse });
        }
        if (signal?.aborted) break;
      }
      await recorder.finish(signal?.aborted ? 'cancelled' : 'finished');
      return { ...(signal?.aborted ? { cancelled: true } : {}), format: summary.format, trainEpisodes: split.train, heldOutEpisodes: split.heldOut, transitions: train.size, history, heldOut, dir: options.out };
    } catch (error) {
      await recorder.finish(`failed: ${String((error as Error)?.message ?? error).split('\n')[0]}`).catch(() => {});
      throw error;
    }
  } catch (error) {
    if (error instanceof DatasetError) throw new DatasetTrainError(error.message);
    throw error;
  } finally {
    model?.dispose();
    await reader.close();
  }
}
