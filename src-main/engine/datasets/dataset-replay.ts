import type { EngineEvent } from '../../protocol';
import type { Env, TaskInfo } from '../../mbrl/env';
import { type DatasetReader, DatasetError, fieldWidth, toFloat32 } from '../../mbrl/data/formats';

type ReplayEvent = Extract<EngineEvent, { type: 'dataset/replay' }>;

/** What a replay needs of the engine: the tasks and a way to make one's simulator. */
export interface ReplayTasks {
  listTasks(): TaskInfo[];
  makeEnv(task: string): Promise<Env>;
}

/** Longest episode replayed (poses for 20 000 steps of a 20-body task are 11 MB). */
const MAX_REPLAY_STEPS = 20_000;

/**
 * An episode of a dataset drawn in a built-in task: the chosen state fields, concatenated per step,
 * are taken as the task's observation and turned into body poses by `Env.posesFor` (no simulation
 * is stepped). This is only meaningful when the state is the task's own observation: a run's
 * data/transitions.hdf5 (env_args names the task), or a dataset whose state the user says matches.
 * Throws DatasetError when the widths differ or the task cannot draw observations.
 */
export async function replayEpisode(reader: DatasetReader, datasetId: string, episode: number, taskId: string, fields: readonly string[] | undefined, tasks: ReplayTasks): Promise<ReplayEvent> {
  const { summary } = reader;
  const info = tasks.listTasks().find((t) => t.id === taskId);
  if (!info) throw new DatasetError(summary.path, undefined, `replay: unknown task '${taskId}' (tasks: ${tasks.listTasks().map((t) => t.id).join(', ')})`);
  const keys = fields ?? summary.roles.observation ?? [];
  if (!keys.length) throw new DatasetError(summary.path, undefined, 'replay: the dataset names no state fields; choose them');
  for (const k of keys) {
    const f = summary.fields[k];
    if (!f) throw new DatasetError(summary.path, k, 'replay: no such field');
    if (f.shape.length > 1 || f.dtype === 'string' || f.dtype === 'video' || f.dtype === 'other') throw new DatasetError(summary.path, k, `replay: not a state vector (${f.dtype} [${f.shape.join(', ')}] per step)`);
  }
  const width = keys.reduce((n, k) => n + fieldWidth(summary.fields[k]), 0);
  if (width !== info.obsDim) throw new DatasetError(summary.path, undefined, `replay: the state (${keys.join(' + ')}) has ${width} dimensions, ${taskId} observes ${info.obsDim}`);
  const ep = summary.episodes[episode];
  if (!ep) throw new DatasetError(summary.path, undefined, `no episode ${episode} (the dataset has ${summary.episodes.length})`);
  const data = await reader.readEpisode(episode, keys, { start: 0, end: MAX_REPLAY_STEPS });
  const rows = Math.min(...keys.map((k) => data[k].shape[0]));
  const obs = new Float32Array(rows * width);
  let col = 0;
  for (const k of keys) {
    const w = fieldWidth(summary.fields[k]);
    const src = toFloat32(data[k].data);
    for (let r = 0; r < rows; r++) obs.set(src.subarray(r * w, (r + 1) * w), r * width + col);
    col += w;
  }
  const env = await tasks.makeEnv(taskId);
  try {
    if (!env.posesFor) throw new DatasetError(summary.path, undefined, `replay: ${taskId} cannot draw observations`);
    const poses = env.posesFor(obs);
    return { type: 'dataset/replay', datasetId, episode, task: taskId, scene: env.scene(), info, steps: rows, poses };
  } finally {
    env.dispose();
  }
}
