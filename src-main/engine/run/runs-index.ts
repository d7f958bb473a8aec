import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { MetricRecord, RunSummary } from '../../protocol';

/** A run folder name: sortable timestamp, task and algorithm, e.g. 20261125-091500-123-cartpole-v1.5. */
export function newRunId(task: string, algorithm: string, now = new Date()): string {
  const stamp = now.toISOString().replace(/[-:]/g, '').replace('T', '-').replace('.', '-').slice(0, 19);
  return `${stamp}-${task}-${algorithm}`.replace(/[^A-Za-z0-9._-]/g, '_');
}

/** Reads metrics.jsonl, keeping valid records; a torn or foreign line is skipped, not fatal. */
export async function readMetrics(dir: string): Promise<MetricRecord[]> {
  const text = await readFile(join(dir, 'metrics.jsonl'), 'utf8').catch(() => '');
  const out: MetricRecord[] = [];
  for (const line of text.split('\n')) {
    if (!line.trim()) continue;
    try {
      const parsed = MetricRecord.safeParse(JSON.parse(line));
      if (parsed.success) out.push(parsed.data);
    } catch {
      // A torn last line (a run killed mid-write) is expected; skip it.
    }
  }
  return out;
}

/** Reads run.json of a folder, or null if it is not a run folder. */
export async function readRunInfo(dir: string): Promise<Record<string, unknown> | null> {
  try {
    return JSON.parse(await readFile(join(dir, 'run.json'), 'utf8')) as Record<string, unknown>;
  } catch {
    return null;
  }
}

/** Summaries of the run folders in `root`, newest first; folders that are not runs are ignored. */
export async function listRuns(root: string): Promise<RunSummary[]> {
  const entries = await readdir(root, { withFileTypes: true }).catch(() => []);
  const runs: RunSummary[] = [];
  for (const entry of entries) {
    if (!entry.isDirectory()) continue;
    const dir = join(root, entry.name);
    const info = await readRunInfo(dir);
    const spec = info?.spec as { task?: string; algorithm?: string; seed?: number } | undefined;
    if (!info || !spec?.task) continue;
    const episodes = (await readMetrics(dir)).filter((r) => r.kind === 'episode');
    const summary = RunSummary.safeParse({
      id: entry.name,
      label: info.label,
      task: spec.task,
      algorithm: spec.algorithm ?? 'random',
      seed: spec.seed ?? 0,
      startedAt: info.startedAt,
      finishedAt: info.finishedAt,
      returns: episodes.map((e) => e.return),
      policies: episodes.map((e) => e.policy ?? 'random'),
    });
    if (summary.success) runs.push(summary.data);
  }
  return runs.sort((a, b) => b.startedAt.localeCompare(a.startedAt));
}
