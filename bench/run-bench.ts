/**
 * Run the benchmarks from a source checkout without the CLI: `npx tsx bench/run-bench.ts [groups]`,
 * groups a comma list of env, planning, training, pets, or "all" (default: all but pets). Prints one
 * JSON object a line on stdout (notes on stderr); recording into RESULTS.md is the CLI's job
 * (`mbrl-lab bench`).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { backendFromEnv, parseBenchGroups, runBenchSuite } from './suite';

const modelsDir = fileURLToPath(new URL('../resources/models/', import.meta.url));

await runBenchSuite({
  readModelXml: (fileName) => readFile(modelsDir + fileName, 'utf8'),
  only: parseBenchGroups(process.argv[2]),
  backend: backendFromEnv(),
  onResult: (r) => console.log(JSON.stringify(r)),
  log: (line) => console.error(line),
});
