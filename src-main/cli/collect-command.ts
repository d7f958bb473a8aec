/**
 * `mbrl-lab collect TASK --episodes N --out DIR [--steps T] [--seed S] [--repeat K] [--aim P] [--size WxH]`:
 * autonomous random data collection on an image task into a run folder (robomimic layout, frames as
 * obs/<camera>_image), with a progress bar; Ctrl-C stops after the current episode and keeps the data.
 */
import { resolve } from 'node:path';
import { PIXEL_TASK_IDS, isPixelTaskId } from '../mbrl/env';
import { collectToFolder } from '../engine/run/collect-images';
import { readModelXml } from '../engine/resources';
import { ProgressBar } from './progress-bar';
import { CliError } from './spec-file';

/** Options as parsed from the command line (strings), validated here. */
export interface CollectArgs {
  task: string;
  out: string;
  episodes?: string;
  steps?: string;
  seed?: string;
  repeat?: string;
  aim?: string;
  size?: string;
}

function positiveInt(name: string, value: string | undefined, fallback?: number): number | undefined {
  if (value === undefined) return fallback;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1) throw new CliError(`--${name}: expected a positive integer, got '${value}'`);
  return n;
}

export async function collectCommand(args: CollectArgs): Promise<void> {
  if (!isPixelTaskId(args.task)) throw new CliError(`collect: unknown image task '${args.task}'; known image tasks: ${PIXEL_TASK_IDS.join(', ')}`);
  const seedText = args.seed ?? '0';
  const seed = Number(seedText);
  if (!Number.isSafeInteger(seed)) throw new CliError(`--seed: expected an integer, got '${seedText}'`);
  let width: number | undefined;
  let height: number | undefined;
  if (args.size !== undefined) {
    const m = /^(\d+)x(\d+)$/.exec(args.size);
    if (!m) throw new CliError(`--size: expected WxH such as 64x64, got '${args.size}'`);
    width = Number(m[1]);
    height = Number(m[2]);
  }
  let aimProbability: number | undefined;
  if (args.aim !== undefined) {
    aimProbability = Number(args.aim);
    if (!(aimProbability >= 0 && aimProbability <= 1)) throw new CliError(`--aim: expected a probability in [0, 1], got '${args.aim}'`);
  }
  const spec = {
    task: args.task,
    episodes: positiveInt('episodes', args.episodes, 10)!,
    steps: positiveInt('steps', args.steps),
    seed,
    actionRepeat: positiveInt('repeat', args.repeat, 1),
    ...(aimProbability === undefined ? {} : { aimProbability }),
    width,
    height,
  };
  const out = resolve(args.out);
  const bar = new ProgressBar();
  const controller = new AbortController();
  process.once('SIGINT', () => controller.abort());
  let outcome;
  try {
    outcome = await collectToFolder(spec, out, readModelXml, (p) => bar.update(p.done, p.total, p.etaSeconds, p.message), controller.signal);
  } catch (error) {
    throw new CliError(`collect: ${(error as Error).message}`);
  }
  console.log(`${outcome.status}: ${outcome.episodes} episode(s), ${outcome.transitions} transitions of ${spec.task}; written to ${outcome.path}`);
}
