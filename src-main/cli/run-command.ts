import { resolve } from 'node:path';
import { createEngineServices } from '../engine/services';
import { runHeadless } from '../engine/run/headless-run';
import type { BackendChoice } from '../engine/tf-backend';
import { ProgressBar } from './progress-bar';
import { CliError, readRunSpec } from './spec-file';

/** `mbrl-lab run SPEC.json --out DIR [--backend B]`: a headless experiment. */
export async function runCommand(specPath: string, outDir: string, backend?: BackendChoice): Promise<void> {
  const spec = await readRunSpec(specPath);
  const services = await createEngineServices('in-process', backend);
  const known = services.listTasks().map((t) => t.id);
  if (!known.includes(spec.task)) throw new CliError(`${specPath}: invalid spec: task: unknown task '${spec.task}'; known tasks: ${known.join(', ')}`);
  const out = resolve(outDir);
  const bar = new ProgressBar();
  const controller = new AbortController();
  // Ctrl-C stops after the current episode and still leaves a valid run folder.
  process.once('SIGINT', () => controller.abort());
  const outcome = await runHeadless(spec, out, services, (p) => bar.update(p.done, p.total, p.etaSeconds, p.message ?? ''), controller.signal);
  const last = outcome.returns.at(-1);
  console.log(`${outcome.status}: ${outcome.returns.length} episode(s) of ${spec.algorithm} on ${spec.task}${last === undefined ? '' : `, last return ${last.toFixed(2)}`}; written to ${out}`);
}
