import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { cpus, totalmem } from 'node:os';
import { join } from 'node:path';
import { benchEnvSteps } from '../../bench/env-steps';
import { readModelXml } from '../engine/resources';
import { writeFileAtomic } from '../engine/run/atomic-write';
import { PROJECT_ROOT } from './serve/renderer-build';

/** One benchmark result; `reference`/`ratio` where a reference was measured in the same run. */
export interface BenchResult {
  name: string;
  value: number;
  unit: string;
  reference?: number;
  ratio?: number;
}

/** A one-line description of this machine for RESULTS.md. */
export function machineDescription(): string {
  const cpu = cpus();
  return `${cpu[0]?.model.trim() ?? 'unknown CPU'}, ${cpu.length} cores, ${Math.round(totalmem() / 2 ** 30)} GiB, ${process.platform}-${process.arch}, Node ${process.versions.node}`;
}

const HEADER = `# Benchmark results

Written by \`npm run bench\`: each run appends its rows with the date and the machine. Compare rows
of the same machine only; ratios compare against a reference measured in the same run.

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

/** `mbrl-lab bench [--json]`: runs the benchmarks, prints them, records them. */
export async function benchCommand(json: boolean): Promise<void> {
  const results: BenchResult[] = await benchEnvSteps(readModelXml);
  for (const r of results) {
    if (json) console.log(JSON.stringify(r));
    else console.log(`${r.name.padEnd(36)} ${r.value.toFixed(0).padStart(10)} ${r.unit}`);
  }
  await recordResults(results);
  if (!json) console.log(`Recorded in bench/RESULTS.md (${machineDescription()}).`);
}
