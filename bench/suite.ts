/**
 * The benchmark suite behind `mbrl-lab bench` and `npx tsx bench/run-bench.ts`: env steps, MPC planning
 * latency and model training throughput, the last two each beside its PyTorch reference measured in
 * the same run (see bench/README.md for what each measures and the ratio convention).
 */
import * as tf from '@tensorflow/tfjs-core';
import { chooseBackend, BACKEND_PREFERENCE, type BackendChoice } from '../src-main/engine/tf-backend';
import type { TransitionBatch } from '../src-main/mbrl/data';
import type { ReadModelXml } from '../src-main/mbrl/env';
import { median, withReference, type BenchResult } from './bench-result';
import { collectCartpoleTransitions, transitionsFileBytes } from './cartpole-data';
import { benchEnvSteps } from './env-steps';
import { benchPetsPlanning, PETS_SHAPES } from './pets';
import { benchPlanning, PLANNING_SHAPES } from './planning';
import { describeReference, REFERENCE_MISSING, ReferenceProcess, referenceTempDir, torchPython, writeReferenceFile } from './reference';
import { benchTraining, TRAINING_SHAPES } from './training';

/** Benchmark groups, in the order they run. */
export const BENCH_GROUPS = ['env', 'planning', 'training', 'pets'] as const;
export type BenchGroup = (typeof BENCH_GROUPS)[number];
/** The groups run when none are named: all but the slow, opt-in "pets" (about a minute more). */
export const DEFAULT_BENCH_GROUPS: readonly BenchGroup[] = ['env', 'planning', 'training'];

/** Parses "planning,training" ("all": every group; undefined or empty: the default groups). Throws on an unknown name. */
export function parseBenchGroups(list: string | undefined): BenchGroup[] {
  if (!list) return [...DEFAULT_BENCH_GROUPS];
  if (list.trim() === 'all') return [...BENCH_GROUPS];
  const names = list.split(',').map((s) => s.trim()).filter(Boolean);
  for (const n of names) if (!(BENCH_GROUPS as readonly string[]).includes(n)) throw new Error(`bench: unknown group '${n}' (expected ${BENCH_GROUPS.join(', ')})`);
  return BENCH_GROUPS.filter((g) => names.includes(g));
}

export interface SuiteOptions {
  readModelXml: ReadModelXml;
  /** Groups to run (default all). */
  only?: BenchGroup[];
  /** Forces a tfjs backend (default: the fastest that loads, as the engine picks). */
  backend?: BackendChoice;
  /** Skips the PyTorch references even when python3-torch is there. */
  noReference?: boolean;
  /** Called with each result as soon as it is known. */
  onResult?: (result: BenchResult) => void;
  /** Progress and notes ("reference skipped: …"), one line each. */
  log?: (line: string) => void;
  /** Transitions for the training benchmark (default 10 000). */
  trainTransitions?: number;
}

/** Runs the selected groups; returns every result (also passed to onResult as it comes). */
export async function runBenchSuite(options: SuiteOptions): Promise<BenchResult[]> {
  const only = options.only ?? [...DEFAULT_BENCH_GROUPS];
  const log = options.log ?? (() => {});
  const results: BenchResult[] = [];
  const push = (r: BenchResult) => {
    results.push(r);
    options.onResult?.(r);
  };

  if (only.includes('env')) {
    log('env: simulation steps per second, each task');
    for (const r of await benchEnvSteps(options.readModelXml)) push(r);
  }

  const wantsModel = only.some((g) => g !== 'env');
  if (!wantsModel) return results;

  const report = await chooseBackend(options.backend);
  const backend = report.provider;
  log(`tfjs backend: ${tf.getBackend()} (${report.attempts.join('; ')})`);
  const python = options.noReference ? null : torchPython();
  if (!python) log(`reference skipped: ${options.noReference ? 'disabled' : REFERENCE_MISSING}`);

  const n = options.trainTransitions ?? 10_000;
  const data = await collectCartpoleTransitions(options.readModelXml, n);
  const temp = python ? await referenceTempDir() : null;
  try {
    const dataFile = temp ? await writeReferenceFile(temp.dir, 'cartpole-transitions.f32', transitionsFileBytes(data)) : '';
    let described = false;
    const interleaved: Interleaved = async (script, args, ours) => {
      let ref: ReferenceProcess | null = null;
      if (python) {
        try {
          ref = await ReferenceProcess.start(python, script, [...args, '--data', dataFile, '--n', String(n)]);
          if (!described) log(`reference: ${describeReference(ref.info)}`);
          described = true;
        } catch (error) {
          log(`reference skipped: ${(error as Error).message}`);
        }
      }
      const refTimes: number[] = [];
      try {
        const result = await ours(async () => {
          if (!ref) return;
          try {
            refTimes.push(await ref.step());
          } catch (error) {
            log(`reference skipped: ${(error as Error).message}`);
            ref.close();
            ref = null;
          }
        });
        return { ours: result, referenceMs: ref && refTimes.length ? median(refTimes) : undefined };
      } finally {
        ref?.close();
      }
    };

    if (only.includes('planning')) await planningGroup(data, backend, interleaved, push, log);
    if (only.includes('training')) await trainingGroup(data, backend, interleaved, push, log);
    if (only.includes('pets')) await petsGroup(data, backend, interleaved, push, log);
  } finally {
    await temp?.cleanup();
  }
  return results;
}

/**
 * Runs our measurement with the reference script alongside: the reference (started in --serve mode,
 * set up and warmed up first) times one unit after each of our timed units, so both see the same
 * background load. referenceMs: the median of the reference's units, undefined without a reference.
 */
type Interleaved = <T>(script: string, args: string[], ours: (afterRun: () => Promise<void>) => Promise<T>) => Promise<{ ours: T; referenceMs: number | undefined }>;

const hiddenLabel = (hidden: readonly number[]) => (hidden.every((h) => h === hidden[0]) ? `${hidden.length}x${hidden[0]}` : hidden.join('-'));

/** Command-line arguments of the CEM planner shapes, as the reference scripts read them. */
function cemArgs(s: { population: number; horizon: number; iterations: number; eliteFraction: number; alpha: number; hidden: readonly number[] }): string[] {
  return [
    `--population=${s.population}`,
    `--horizon=${s.horizon}`,
    `--iterations=${s.iterations}`,
    `--elite-fraction=${s.eliteFraction}`,
    `--alpha=${s.alpha}`,
    `--hidden=${s.hidden.join(',')}`,
    '--warmup=1',
  ];
}

async function planningGroup(data: TransitionBatch, backend: string, interleaved: Interleaved, push: (r: BenchResult) => void, log: (line: string) => void) {
  const s = PLANNING_SHAPES;
  const runs = 5;
  log(`planning: ${runs} MPC actions (CEM ${s.population}x${s.iterations}, horizon ${s.horizon}), alternating with the reference`);
  const args = cemArgs(s);
  const { ours, referenceMs } = await interleaved('mpc_planning.py', args, (afterRun) => benchPlanning(data, { runs, warmup: 1, afterRun }));
  if (ours.leakedTensors > 0) log(`warning: planning leaked ${ours.leakedTensors} tensors per MPC action`);
  const name = `cartpole mpc plan latency (CEM ${s.population}x${s.iterations}, H ${s.horizon}, MLP ${hiddenLabel(s.hidden)}; ${backend})`;
  push(withReference({ name, value: ours.ms, unit: 'ms' }, referenceMs));
}

async function trainingGroup(data: TransitionBatch, backend: string, interleaved: Interleaved, push: (r: BenchResult) => void, log: (line: string) => void) {
  const s = TRAINING_SHAPES;
  const epochs = 5;
  log(`training: ${epochs} epochs on ${data.size} transitions, alternating with the reference`);
  const args = [`--batch=${s.batchSize}`, '--warmup=1', `--hidden=${s.hidden.join(',')}`, `--lr=${s.learningRate}`, `--weight-decay=${s.weightDecay}`];
  const { ours, referenceMs } = await interleaved('train_step.py', args, (afterRun) => benchTraining(data, { epochs, warmup: 1, afterRun }));
  // The reference's unit is an epoch of the same steps × batch transitions.
  const refRate = referenceMs === undefined ? undefined : (ours.steps * ours.batchSize) / (referenceMs / 1000);
  const refStep = referenceMs === undefined ? undefined : referenceMs / ours.steps;
  const label = `cartpole, MLP ${hiddenLabel(s.hidden)}, batch ${ours.batchSize}, ${data.size} transitions; ${backend}`;
  push(withReference({ name: `train throughput (${label})`, value: ours.transitionsPerSecond, unit: 'transitions/s' }, refRate));
  push(withReference({ name: `train step (${label})`, value: ours.stepMs, unit: 'ms' }, refStep));
}

async function petsGroup(data: TransitionBatch, backend: string, interleaved: Interleaved, push: (r: BenchResult) => void, log: (line: string) => void) {
  const s = PETS_SHAPES;
  const runs = 3;
  log(`pets: ${runs} MPC actions (${s.members} members, ${s.particles} particles, CEM ${s.population}x${s.iterations}, horizon ${s.horizon}), alternating with the reference`);
  const args = [`--members=${s.members}`, `--particles=${s.particles}`, ...cemArgs(s)];
  const { ours, referenceMs } = await interleaved('pets_planning.py', args, (afterRun) => benchPetsPlanning(data, { runs, warmup: 1, afterRun }));
  const name = `cartpole pets plan latency (${s.members} members, ${s.particles} particles, CEM ${s.population}x${s.iterations}, H ${s.horizon}, MLP ${hiddenLabel(s.hidden)}; ${backend})`;
  push(withReference({ name, value: ours.ms, unit: 'ms' }, referenceMs));
}

/** The backend named by MBRL_LAB_BACKEND (as the engine reads it), or undefined. Throws on an unknown name. */
export function backendFromEnv(value = process.env.MBRL_LAB_BACKEND): BackendChoice | undefined {
  if (!value) return undefined;
  if (!(BACKEND_PREFERENCE as readonly string[]).includes(value)) throw new Error(`MBRL_LAB_BACKEND: expected one of ${BACKEND_PREFERENCE.join(', ')}, got '${value}'`);
  return value as BackendChoice;
}
