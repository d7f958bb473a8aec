/**
 * `mbrl-lab dataset inspect PATH [--json]`: the detected format, episodes, steps and every array
 * with its shape and dtype, after checking float arrays for NaN/Inf. A file it cannot read is a
 * CliError: one line naming the file, the array and the problem.
 */
import { parseArgs } from 'node:util';
import { inspectDataset } from '../engine/datasets';
import { exportDataset } from '../engine/datasets/export-dataset';
import { DatasetError, type DatasetSummary, formatShape } from '../mbrl/data/formats';
import { ProgressBar } from './progress-bar';
import { CliError } from './spec-file';

const USAGE = 'dataset inspect PATH [--json]   a recorded dataset (robomimic/D4RL/Minari HDF5, LeRobot, .npy/.npz): format, episodes, arrays';

/** Scans below this many float elements finish too fast to need a progress bar. */
const PROGRESS_ELEMENTS = 1 << 24;

/** The --json object: exactly the fields the issue names. */
export function summaryJson(summary: DatasetSummary): object {
  return { format: summary.format, episodes: summary.episodes.length, steps: summary.steps, arrays: summary.arrays, warnings: summary.warnings };
}

/** The human-readable report. */
export function formatSummary(summary: DatasetSummary): string {
  const entries = Object.entries(summary.arrays);
  const nameWidth = Math.min(60, Math.max(4, ...entries.map(([name]) => name.length)));
  const shapeWidth = Math.max(5, ...entries.map(([, a]) => formatShape(a.shape).length));
  const lines = [
    summary.path,
    `  format    ${summary.format}${summary.layout ? `  (${summary.layout})` : ''}`,
    `  episodes  ${summary.episodes.length}`,
    `  steps     ${summary.steps}`,
    `arrays (${entries.length}):`,
    ...entries.map(([name, a]) => `  ${name.padEnd(nameWidth)}  ${formatShape(a.shape).padEnd(shapeWidth)}  ${a.dtype}`),
  ];
  if (summary.warnings.length) lines.push(`warnings (${summary.warnings.length}):`, ...summary.warnings.map((w) => `  - ${w}`));
  return lines.join('\n');
}

export async function datasetCommand(argv: string[]): Promise<void> {
  const [sub, ...rest] = argv;
  if (sub === 'train') return datasetTrainCommand(rest);
  if (sub === 'export') return datasetExport(rest);
  if (sub !== 'inspect') throw new CliError(sub ? `dataset: unknown subcommand '${sub}'\nUsage: mbrl-lab ${USAGE}` : `dataset: expected a subcommand\nUsage: mbrl-lab ${USAGE}`);
  let parsed;
  try {
    parsed = parseArgs({ args: rest, options: { json: { type: 'boolean', default: false } }, allowPositionals: true, strict: true });
  } catch (error) {
    throw new CliError(`dataset inspect: ${(error as Error).message}`);
  }
  if (parsed.positionals.length !== 1) throw new CliError('dataset inspect: expected one PATH');
  const [path] = parsed.positionals;
  const bar = process.stderr.isTTY ? new ProgressBar(process.stderr) : undefined;
  let summary: DatasetSummary;
  try {
    summary = await inspectDataset(path, {
      onProgress: (done, total) => {
        if (bar && total >= PROGRESS_ELEMENTS) bar.update(done, total, undefined, 'checking float arrays for NaN/Inf');
      },
    });
  } catch (error) {
    if (error instanceof DatasetError) throw new CliError(error.message);
    throw error;
  }
  console.log(parsed.values.json ? JSON.stringify(summaryJson(summary)) : formatSummary(summary));
}

const EXPORT_USAGE = 'dataset export PATH --to robomimic|npz --out FILE [--episodes 0,2,5-7] [--state KEY,...] [--action KEY]';

/**
 * `mbrl-lab dataset export PATH --to robomimic|npz --out FILE [--episodes LIST] [--state KEYS] [--action KEY]`:
 * the chosen episodes (default: all) as robomimic HDF5 or an .npz replay buffer (see
 * engine/datasets/export-dataset.ts for what goes where). Usage and dataset problems are one-line
 * CliErrors naming the file or flag; the output appears only when complete, the input is untouched.
 */
export async function datasetExport(argv: string[]): Promise<void> {
  const fail = (problem: string) => new CliError(`dataset export: ${problem}`);
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: { to: { type: 'string' }, out: { type: 'string' }, episodes: { type: 'string' }, state: { type: 'string' }, action: { type: 'string' } },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw fail((error as Error).message.split('\n')[0]);
  }
  const { to, out, episodes, state, action } = parsed.values;
  if (parsed.positionals.length !== 1) throw fail(`expected one PATH (usage: mbrl-lab ${EXPORT_USAGE})`);
  if (to !== 'robomimic' && to !== 'npz') throw fail(to === undefined ? '--to is required: robomimic or npz' : `--to: expected robomimic or npz, got '${to}'`);
  if (!out) throw fail('--out FILE is required');
  const [path] = parsed.positionals;
  const keys = state?.split(',').map((k) => k.trim());
  if (keys && keys.some((k) => !k)) throw fail(`--state: empty key in '${state}'`);
  try {
    const result = await exportDataset(path, { to, out, episodes, state: keys, action });
    const skipped = result.skipped.length ? ` (skipped ${result.skipped.length} with no transitions: ${result.skipped.join(',')})` : '';
    console.log(`${out}: ${result.episodes} episodes, ${result.steps} transitions, state ${result.obsDim}, action ${result.actDim} (${to})${skipped}`);
  } catch (error) {
    if (error instanceof DatasetError) throw new CliError(error.message);
    throw error;
  }
}

export const TRAIN_USAGE =
  'dataset train PATH --out DIR [--state KEY,...] [--action KEY] [--members K] [--probabilistic] [--epochs N] [--hidden 200,200] [--holdout 0.2] [--horizon H] [--batch N] [--seed S] [--backend B]';

/** A positive integer option, or a CliError naming it. */
function intOption(name: string, value: string, min: number): number {
  const n = Number(value);
  if (!Number.isSafeInteger(n) || n < min) throw new CliError(`dataset train: --${name}: expected an integer ≥ ${min}, got '${value}'`);
  return n;
}

/**
 * `mbrl-lab dataset train PATH --out DIR ...`: fits a dynamics model (or ensemble) on the dataset's
 * episodes, holds some episodes out, and reports open-loop RMSE against horizon on each of them.
 * Writes DIR/run.json, DIR/metrics.jsonl and DIR/checkpoints/. Input problems are one-line CliErrors
 * and write nothing.
 */
export async function datasetTrainCommand(argv: string[]): Promise<void> {
  let parsed;
  try {
    parsed = parseArgs({
      args: argv,
      options: {
        out: { type: 'string' },
        state: { type: 'string' },
        action: { type: 'string' },
        members: { type: 'string', default: '1' },
        probabilistic: { type: 'boolean', default: false },
        epochs: { type: 'string', default: '50' },
        hidden: { type: 'string', default: '200,200' },
        holdout: { type: 'string', default: '0.2' },
        horizon: { type: 'string', default: '25' },
        batch: { type: 'string', default: '256' },
        seed: { type: 'string', default: '0' },
        backend: { type: 'string' },
      },
      allowPositionals: true,
      strict: true,
    });
  } catch (error) {
    throw new CliError(`dataset train: ${(error as Error).message}`);
  }
  const { values: v, positionals } = parsed;
  if (positionals.length !== 1) throw new CliError(`dataset train: expected one PATH\nUsage: mbrl-lab ${TRAIN_USAGE}`);
  if (!v.out) throw new CliError('dataset train: --out DIR is required');
  const holdout = Number(v.holdout);
  if (!(holdout >= 0 && holdout < 1)) throw new CliError(`dataset train: --holdout: expected a share in [0, 1), got '${v.holdout}'`);
  const hidden = v.hidden.split(',').map((h) => intOption('hidden', h.trim(), 1));
  const seed = Number(v.seed);
  if (!Number.isSafeInteger(seed)) throw new CliError(`dataset train: --seed: expected an integer, got '${v.seed}'`);
  const keys = (s: string) => s.split(',').map((k) => k.trim()).filter(Boolean);
  const { BACKEND_PREFERENCE } = await import('../engine/tf-backend');
  if (v.backend !== undefined && !(BACKEND_PREFERENCE as readonly string[]).includes(v.backend)) {
    throw new CliError(`dataset train: --backend: expected one of ${BACKEND_PREFERENCE.join(', ')}, got '${v.backend}'`);
  }
  const { trainOnDataset, DatasetTrainError } = await import('../engine/datasets/train-on-dataset');
  const bar = new ProgressBar(process.stderr);
  const fmt = (x: number | null) => (x === null || Number.isNaN(x) ? '-' : x.toPrecision(4));
  const started = Date.now();
  let result;
  try {
    result = await trainOnDataset(
      {
        path: positionals[0],
        out: v.out,
        state: v.state === undefined ? undefined : keys(v.state),
        action: v.action,
        members: intOption('members', v.members, 1),
        probabilistic: v.probabilistic,
        epochs: intOption('epochs', v.epochs, 1),
        hidden,
        holdout,
        horizon: intOption('horizon', v.horizon, 1),
        batchSize: intOption('batch', v.batch, 1),
        seed,
        backend: v.backend as import('../engine/tf-backend').BackendChoice | undefined,
      },
      (e) => {
        const eta = ((Date.now() - started) / 1000 / e.epoch) * (e.epochs - e.epoch);
        bar.update(e.epoch, e.epochs, eta, `train ${fmt(e.trainLoss)} val ${fmt(e.valLoss)} held-out 1-step RMSE ${fmt(e.heldOutRmse)}`);
      },
    );
  } catch (error) {
    if (error instanceof DatasetTrainError || error instanceof DatasetError) throw new CliError(`dataset train: ${error.message.split('\n')[0]}`);
    throw error;
  }
  const last = result.history.at(-1);
  if (last && last.epoch < last.epochs) process.stderr.write(`stopped early after epoch ${last.epoch} (no validation improvement)\n`);
  const lines = [
    `${result.dir}: ${result.format}, ${result.trainEpisodes.length} training episodes (${result.transitions} transitions), ${result.heldOutEpisodes.length} held out`,
    ...result.heldOut.map((h) => {
      const at = [1, 5, 10, h.rmse.length].filter((n, i, a) => n <= h.rmse.length && a.indexOf(n) === i).map((n) => `h=${n} ${fmt(h.rmse[n - 1])}`);
      const cal = h.calibration && h.calibration.nll !== null ? `; NLL ${fmt(h.calibration.nll)}, within 1σ ${fmt(h.calibration.within1Sigma)}, 2σ ${fmt(h.calibration.within2Sigma)}` : '';
      return `  ${h.name} (${h.steps} steps): open-loop RMSE ${at.join(', ')}${cal}`;
    }),
  ];
  console.log(lines.join('\n'));
}
