import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { RunSpec } from '../../protocol';
import type { EngineServices } from '../engine';
import { ProgressClock } from '../jobs/progress-clock';
import { RolloutJob } from '../jobs/rollout-job';
import { writeFileAtomic } from './atomic-write';
import { MetricsLog } from './metrics-log';

/** What a headless run reports while it works. */
export interface RunProgress {
  done: number;
  total: number;
  etaSeconds?: number;
  message?: string;
}

/**
 * Runs a validated spec to completion in this process and writes the run folder:
 * `run.json` (spec, versions, tfjs backend, seed; atomic) and `metrics.jsonl` (one record a line).
 * Unknown tasks are rejected before anything is written. Resolves to the number of episodes run.
 */
export async function runHeadless(
  spec: RunSpec,
  outDir: string,
  services: EngineServices,
  onProgress: (p: RunProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<number> {
  const known = services.listTasks().map((t) => t.id);
  if (!known.includes(spec.task)) throw new Error(`task: unknown task '${spec.task}'; known tasks: ${known.join(', ')}`);
  await mkdir(outDir, { recursive: true });
  const { info } = services;
  const runInfo = {
    spec,
    seed: spec.seed,
    backend: info.backend,
    backendDetail: info.backendDetail,
    versions: info.versions,
    startedAt: new Date().toISOString(),
  };
  await writeFileAtomic(join(outDir, 'run.json'), `${JSON.stringify(runInfo, null, 2)}\n`);
  const metrics = await MetricsLog.open(join(outDir, 'metrics.jsonl'));
  let episodes = 0;
  try {
    const job = new RolloutJob({ kind: 'rollout', task: spec.task, seed: spec.seed, episodes: spec.episodes }, services.makeEnv, async (record) => {
      await metrics.append(record);
      episodes++;
    });
    const controller = new AbortController();
    signal?.addEventListener('abort', () => controller.abort(), { once: true });
    const clock = new ProgressClock();
    await job.run({
      jobId: 'headless',
      signal: controller.signal,
      emit: () => {},
      progress: (done, total, message) => onProgress({ done, total, message, etaSeconds: clock.eta(done, total) }),
    });
  } finally {
    await metrics.close();
  }
  await writeFileAtomic(join(outDir, 'run.json'), `${JSON.stringify({ ...runInfo, finishedAt: new Date().toISOString(), episodesCompleted: episodes }, null, 2)}\n`);
  return episodes;
}
