/**
 * Run the benchmarks from a source checkout without building the CLI: `npx tsx bench/run-bench.ts`.
 * Prints one JSON object a line; recording into RESULTS.md is the CLI's job (`mbrl-lab bench`).
 */
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { benchEnvSteps } from './env-steps';

const modelsDir = fileURLToPath(new URL('../resources/models/', import.meta.url));

const results = await benchEnvSteps((fileName) => readFile(modelsDir + fileName, 'utf8'));
for (const r of results) console.log(JSON.stringify(r));
