import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import type { BenchResult } from '../../bench/bench-result';
import { backendFromEnv, parseBenchGroups, runBenchSuite } from '../../bench/suite';
import { parseBackendList } from '../../bench/bench-backends';
import { readModelXml } from '../engine/resources';
import { writeFileAtomic } from '../engine/run/atomic-write';
import { PROJECT_ROOT } from './serve/renderer-build';
import { CliError } from './spec-file';

/** One benchmark result; `reference`/`ratio` where a reference was measured in the same run (ratio > 1: we are faster). */
export type { BenchResult };

/** A one-line description of this machine for RESULTS.md. */
export function machineDescription(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}-${process.arch}, Node ${process.versions.node}`;
}

const HEADER = `# Benchmark results

Written by \`npm run bench\`: each run appends its rows with the date and the machine. Compare rows
of the same machine only; ratios compare against a reference measured in the same run.
Ratio convention: ratio > 1 means we are faster than the reference. For times (unit ms)
ratio = reference / value; for rates (unit …/s) ratio = value / reference. The reference is the
same computation in PyTorch (bench/reference/*.py); see bench/README.md.

| date | machine | benchmark | value | unit | reference | ratio |
| --- | --- | --- | --- | --- | --- | --- |
`;

/** Appends results to bench/RESULTS.md (atomically rewritten). */
export async function recordResults(results: BenchResult[], file = join(PROJECT_ROOT, 'bench', 'RESULTS.md')): Promise<void> {
  const before = existsSync(file) ? await readFile(file, 'utf8') : HEADER;
  const date = new Date().toISOString().slice(0, 10);
  const machine = machineDescription();
  const fmt = (v?: number) => (v === undefined ? '' : Number(v.toPrecision(4)).toString());
  const rows = results.map((r) => `| ${date} | ${machine} | ${r.name} | ${fmt(r.value)} | ${r.unit} | ${fmt(r.reference)} | ${fmt(r.ratio)} |`);
  await writeFileAtomic(file, `${before.trimEnd()}\n${rows.join('\n')}\n`);
}

/** Options of `mbrl-lab bench` beyond --json. */
export interface BenchCommandOptions {
  /**
   * Comma list of groups to run: env, planning, training, pets, or all (default: all but the slow pets;
   * also read from MBRL_BENCH_ONLY).
   */
  only?: string;
  /** Comma list of backends to measure in turn (--backend); default MBRL_LAB_BACKEND's, else every one that loads but cpu. */
  backends?: string;
}

function formatResult(r: BenchResult): string {
  const digits = r.value >= 100 ? 0 : r.value >= 10 ? 1 : 2;
  const line = `${r.name.padEnd(84)} ${r.value.toFixed(digits).padStart(10)} ${r.unit}`;
  if (r.reference === undefined || r.ratio === undefined) return line;
  const refDigits = r.reference >= 100 ? 0 : r.reference >= 10 ? 1 : 2;
  return `${line}  (reference ${r.reference.toFixed(refDigits)}, ratio ${r.ratio.toFixed(2)}${r.ratio >= 1 ? '' : ': slower'})`;
}

/**
 * `mbrl-lab bench [--json]`: runs the benchmarks, prints them, records them. With --json stdout holds
 * only the results, one JSON object a line ({"name","value","unit"} plus "reference","ratio" where a
 * reference was measured); notes such as "reference skipped: …" go to stderr.
 */
export async function benchCommand(json: boolean, options: BenchCommandOptions = {}): Promise<void> {
  let only;
  let backends;
  try {
    only = parseBenchGroups(options.only ?? process.env.MBRL_BENCH_ONLY);
    const fromEnv = backendFromEnv();
    backends = options.backends ? parseBackendList(options.backends) : fromEnv ? [fromEnv] : undefined;
  } catch (error) {
    throw new CliError((error as Error).message);
  }
  const results = await runBenchSuite({
    readModelXml,
    only,
    backends,
    onResult: (r) => console.log(json ? JSON.stringify(r) : formatResult(r)),
    log: (line) => (json ? console.error(line) : console.log(line)),
  });
  await recordResults(results);
  if (!json) console.log(`Recorded in bench/RESULTS.md (${machineDescription()}).`);
}
