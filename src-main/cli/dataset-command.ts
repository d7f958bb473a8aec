/**
 * `mbrl-lab dataset inspect PATH [--json]`: the detected format, episodes, steps and every array
 * with its shape and dtype, after checking float arrays for NaN/Inf. A file it cannot read is a
 * CliError: one line naming the file, the array and the problem.
 */
import { parseArgs } from 'node:util';
import { inspectDataset } from '../engine/datasets';
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
