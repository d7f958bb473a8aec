/**
 * The benchmark suite behind `mbrl-lab bench` and `npx tsx bench/run-bench.ts`: env steps, MPC planning
 * latency and model training throughput, the last two each beside its PyTorch reference measured in
 * the same run (see bench/README.md for what each measures and the ratio convention).
 */
import { benchLatent } from './latent';
import { benchVideo } from './video';
import * as tf from '@tensorflow/tfjs-core';
import { chooseBackend, BACKEND_PREFERENCE, type BackendChoice } from '../src-main/engine/tf-backend';
import type { TransitionBatch } from '../src-main/mbrl/data';
import type { ReadModelXml } from '../src-main/mbrl/env';
import { median, withReference, type BenchResult } from './bench-result';
import { collectCartpoleTransitions, transitionsFileBytes } from './cartpole-data';
import { benchEnvSteps } from './env-steps';
import { benchRender } from './render';
import { benchTracker } from './tracker';
import { benchPetsPlanning, PETS_SHAPES } from './pets';
import { benchPlanning, PLANNING_SHAPES } from './planning';
import { describeReference, REFERENCE_MISSING, ReferenceProcess, referenceTempDir, torchPython, writeReferenceFile } from './reference';
import { benchTraining, ENSEMBLE_TRAINING_SHAPES, TRAINING_SHAPES } from './training';
import { benchDatasets, h5pyPython } from './datasets';
import { benchBackendLabel, benchBackends, benchPlanningForward } from './bench-backends';
import { planningWorkerCount, poolBackend } from '../src-main/engine/compute/planning-workers';

/** Benchmark groups, in the order they run. */
export const BENCH_GROUPS = ['env', 'render', 'planning', 'training', 'pets', 'datasets', 'latent', 'video'] as const;
export type BenchGroup = (typeof BENCH_GROUPS)[number];
/** The groups run when none are named: all but the slow, opt-in "pets" (about a minute more). */
export const DEFAULT_BENCH_GROUPS: readonly BenchGroup[] = ['env', 'render', 'planning', 'training'];

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
  /** Backends to measure, each in turn (default: `backend`, else every one that loads; see bench-backends.ts). */
  backends?: BackendChoice[];
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

  if (only.includes('render')) {
    log('render: image observations (software rasterizer) per image task');
    for (const r of await benchRender(options.readModelXml)) push(r);
    log('render: the visual-foresight registration tracker on pushing frames');
    for (const r of await benchTracker(options.readModelXml)) push(r);
  }

  if (only.includes('datasets')) {
    // Opt-in: writes a 1 GiB file to the temp folder (bench/datasets.ts).
    log('datasets: open, summarise and scrub a 1 GiB robomimic HDF5 file, beside h5py');
    for (const r of await benchDatasets(await h5pyPython(), log)) push(r);
  }

  const wantsModel = only.some((g) => g !== 'env' && g !== 'render' && g !== 'datasets');
  if (!wantsModel) return results;

  const backends = await benchBackends(options.backends ?? (options.backend ? [options.backend] : undefined), log);
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

    for (const choice of backends) {
      // Named, webgpu may be a software adapter (labelled so, e.g. webgpu-swiftshader).
      const report = await chooseBackend(choice);
      const backend = benchBackendLabel(report);
      log(`tfjs backend: ${tf.getBackend()} on ${report.device} (${report.attempts.join('; ')})`);
      push(await benchPlanningForward(backend));
      if (report.software) {
        log(`${backend}: planning and training not run (a software GPU runs them about 100× slower than wasm: hours); forward pass only`);
        continue;
      }
      if (only.includes('planning')) await planningGroup(data, backend, interleaved, push, log);
      if (only.includes('training')) await trainingGroup(data, backend, interleaved, push, log);
      if (only.includes('pets')) await petsGroup(data, backend, interleaved, push, log);
      // Opt-in (minutes each): latent models from pixels (issue 6) and CDNA video prediction (issue 7).
      if (only.includes('latent')) {
        log(`latent: E2C training throughput and latent planning latency (${backend}), beside PyTorch`);
        for (const r of await benchLatent(backend, log, { reference: !!python })) push(r);
      }
      if (only.includes('video')) {
        log(`video: CDNA predicted frames/s, planning latency and training throughput (${backend}), beside PyTorch`);
        await benchVideo(backend, python, log, {}, 3, push);
      }
    }
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
  const workers = poolBackend() ? benchPlanningWorkers() : 1;
  // Serial, then on the planning pool (engine/compute), both alternating with the same reference.
  const { ours, referenceMs } = await interleaved('mpc_planning.py', args, async (afterRun) => ({
    serial: await benchPlanning(data, { runs, warmup: 1, afterRun }),
    pooled: workers > 1 ? await benchPlanning(data, { runs, warmup: 1, afterRun, workers }) : null,
  }));
  for (const m of [ours.serial, ours.pooled]) if (m && m.leakedTensors > 0) log(`warning: planning leaked ${m.leakedTensors} tensors per MPC action`);
  const label = `CEM ${s.population}x${s.iterations}, H ${s.horizon}, MLP ${hiddenLabel(s.hidden)}; ${backend}`;
  pushPlanning(push, 'cartpole mpc plan', label, ours.serial, referenceMs);
  if (ours.pooled) pushPlanning(push, 'cartpole mpc plan', `${label}, ${workers} planning workers`, ours.pooled, referenceMs);
}

/** Planning workers for the pooled rows: MBRL_BENCH_PLANNING_WORKERS, default one per core (at least 2). */
function benchPlanningWorkers(value = process.env.MBRL_BENCH_PLANNING_WORKERS, variable = 'MBRL_BENCH_PLANNING_WORKERS'): number {
  if (value === undefined || value === '') return Math.max(2, planningWorkerCount('auto'));
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new Error(`${variable}: expected an integer ≥ 1, got '${value}'`);
  return n;
}

/**
 * A planning latency row (with the reference ratio), its CPU time per action over all threads, and
 * the CPU time of its busiest thread. On a busy machine the wall time is noisy; the total CPU time
 * shows what the pool costs, the busiest thread's what bounds its latency with a core per thread.
 */
function pushPlanning(push: (r: BenchResult) => void, what: string, label: string, m: { ms: number; cpuMs: number; busiestThreadMs: number }, referenceMs: number | undefined) {
  push(withReference({ name: `${what} latency (${label})`, value: m.ms, unit: 'ms' }, referenceMs));
  push({ name: `${what} cpu time, all threads (${label})`, value: m.cpuMs, unit: 'ms' });
  if (Number.isFinite(m.busiestThreadMs)) push({ name: `${what} cpu time, busiest thread (${label})`, value: m.busiestThreadMs, unit: 'ms' });
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
  await ensembleTrainingGroup(data, backend, interleaved, push, log);
}

/** Issue 8's ensemble step (5 probabilistic members), on this thread and on the training pool, beside the same reference. */
async function ensembleTrainingGroup(data: TransitionBatch, backend: string, interleaved: Interleaved, push: (r: BenchResult) => void, log: (line: string) => void) {
  const s = ENSEMBLE_TRAINING_SHAPES;
  const epochs = 3;
  const workers = poolBackend() ? benchPlanningWorkers(process.env.MBRL_BENCH_TRAINING_WORKERS, 'MBRL_BENCH_TRAINING_WORKERS') : 1;
  log(`training: ${s.members}-member ensemble, ${epochs} epochs serial${workers > 1 ? ` and on ${workers} training workers` : ''}, alternating with the reference`);
  const args = [`--batch=${s.batchSize}`, '--warmup=1', `--hidden=${s.hidden.join(',')}`, `--lr=${s.learningRate}`, `--weight-decay=${s.weightDecay}`, `--members=${s.members}`, ...(s.probabilistic ? ['--probabilistic'] : [])];
  const { ours, referenceMs } = await interleaved('train_step.py', args, async (afterRun) => ({
    serial: await benchTraining(data, { epochs, warmup: 1, afterRun, shapes: s }),
    pooled: workers > 1 ? await benchTraining(data, { epochs, warmup: 1, afterRun, shapes: s, workers }) : null,
  }));
  const refStep = referenceMs === undefined ? undefined : referenceMs / ours.serial.steps;
  const kind = s.probabilistic ? 'probabilistic' : 'deterministic';
  const label = `cartpole, ${s.members} ${kind} members, MLP ${hiddenLabel(s.hidden)}, batch ${ours.serial.batchSize}, ${data.size} transitions; ${backend}`;
  for (const [m, suffix] of [[ours.serial, ''], [ours.pooled, `, ${workers} training workers`]] as const) {
    if (!m) continue;
    push(withReference({ name: `ensemble train step (${label}${suffix})`, value: m.stepMs, unit: 'ms' }, refStep));
    push({ name: `ensemble train step cpu time, all threads (${label}${suffix})`, value: m.stepCpuMs, unit: 'ms' });
    if (Number.isFinite(m.stepBusiestThreadMs)) push({ name: `ensemble train step cpu time, busiest thread (${label}${suffix})`, value: m.stepBusiestThreadMs, unit: 'ms' });
  }
}

async function petsGroup(data: TransitionBatch, backend: string, interleaved: Interleaved, push: (r: BenchResult) => void, log: (line: string) => void) {
  const s = PETS_SHAPES;
  const runs = 3;
  log(`pets: ${runs} MPC actions (${s.members} members, ${s.particles} particles, CEM ${s.population}x${s.iterations}, horizon ${s.horizon}), alternating with the reference`);
  const args = [`--members=${s.members}`, `--particles=${s.particles}`, ...cemArgs(s)];
  const workers = poolBackend() ? benchPlanningWorkers() : 1;
  const { ours, referenceMs } = await interleaved('pets_planning.py', args, async (afterRun) => ({
    serial: await benchPetsPlanning(data, { runs, warmup: 1, afterRun }),
    pooled: workers > 1 ? await benchPetsPlanning(data, { runs, warmup: 1, afterRun, workers }) : null,
  }));
  const label = `${s.members} members, ${s.particles} particles, CEM ${s.population}x${s.iterations}, H ${s.horizon}, MLP ${hiddenLabel(s.hidden)}; ${backend}`;
  pushPlanning(push, 'cartpole pets plan', label, ours.serial, referenceMs);
  if (ours.pooled) pushPlanning(push, 'cartpole pets plan', `${label}, ${workers} planning workers`, ours.pooled, referenceMs);
}

/** The backend named by MBRL_LAB_BACKEND (as the engine reads it), or undefined. Throws on an unknown name. */
export function backendFromEnv(value = process.env.MBRL_LAB_BACKEND): BackendChoice | undefined {
  if (!value) return undefined;
  if (!(BACKEND_PREFERENCE as readonly string[]).includes(value)) throw new Error(`MBRL_LAB_BACKEND: expected one of ${BACKEND_PREFERENCE.join(', ')}, got '${value}'`);
  return value as BackendChoice;
}
