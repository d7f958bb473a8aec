/**
 * `mbrl-lab dataset export`: a recorded dataset's episodes (all, or a chosen subset) → robomimic
 * HDF5 (engine/run/robomimic-writer.ts) or an .npz replay buffer (obs, next_obs, action, reward,
 * terminated, truncated — mbrl-lib's ReplayBuffer.save layout, which openLocalDataset reads back).
 *
 * Episodes are read one at a time, and only the fields exported (images and other arrays left out
 * are never read); each is written to the output as soon as it is read (robomimic: one demo group;
 * NPZ: rows appended to each member's part file, zipped at the end), so memory holds one episode
 * whatever the export's size. The output is written beside the target and renamed over it. The
 * input is only ever opened read-only.
 *
 * What is exported, per episode of T steps:
 * - state s: the --state fields (default: the format's observation role), flattened and
 *   concatenated in order, as float32; action: --action (default: the action role).
 * - s′: where the observation fields hold T+1 rows (Minari), s_0 … s_T are those rows: T transitions.
 *   Else where next-observation fields are stored (robomimic next_obs/<key>, D4RL
 *   next_observations, .npz next_obs): T transitions, with s′ from them. Else s′ is the next row:
 *   T−1 transitions (the last step has no successor), as toTransitions does.
 * - robomimic needs s_0 … s_T (the layout stores next_obs/state = rows 1 … T): s_T is the last
 *   stored s′, and stored s′ rows before it are taken to equal the following observation row.
 *   The .npz gets the stored s′ rows as they are.
 * - reward, terminated, truncated: the format's roles (zeros where it has none), as float32 / bool.
 *   In the .npz an episode whose last exported step is neither terminated nor truncated gets
 *   truncated = 1 there, so the episode boundaries survive the round trip.
 * Episodes with no transitions (T = 0, or T = 1 without s′) are skipped.
 */
import { resolve } from 'node:path';
import { type DatasetReader, DatasetError, type FieldData, isNumeric, toFloat32 } from '../../mbrl/data/formats';
import { parseIndexList } from '../../mbrl/util';
import type { RecordedEpisode } from '../run/robomimic-writer';
import { NpzStreamWriter } from './npz-stream-writer';
import { openLocalDataset } from './open-local-dataset';
import { RobomimicStreamWriter } from './robomimic-stream-writer';

export type ExportFormat = 'robomimic' | 'npz';

export interface ExportOptions {
  to: ExportFormat;
  /** The file to write (replaced if it exists; never the input). */
  out: string;
  /** Episode indices, or a list such as '0,2,5-7' (parseIndexList); default: all. */
  episodes?: number[] | string;
  /** Fields concatenated into the state (default: the format's observation role). */
  state?: string[];
  /** The action field (default: the format's action role). */
  action?: string;
  /** Called after each episode has gone to the file (its index), before the next is read. */
  onEpisodeWritten?: (episode: number) => void;
}

export interface ExportResult {
  episodes: number;
  /** Transitions written. */
  steps: number;
  obsDim: number;
  actDim: number;
  /** Indices of chosen episodes with no transitions, left out. */
  skipped: number[];
}

interface Plan {
  obs: string[];
  next: string[];
  plusOne: boolean;
  action: string;
  reward?: string;
  terminated?: string;
  truncated?: string;
}

/** Which fields to read, checked against the summary before anything is read or written. */
function planFields(reader: DatasetReader, options: ExportOptions): Plan {
  const { summary } = reader;
  const { fields, roles } = summary;
  const fail = (field: string | undefined, problem: string) => new DatasetError(summary.path, field, problem);
  const check = (key: string, flag: string) => {
    const info = fields[key];
    if (!info) throw fail(key, `${flag}: no such field (fields: ${Object.keys(fields).join(', ') || 'none'})`);
    if (!isNumeric(info.dtype)) throw fail(key, `${flag}: ${info.dtype} values cannot be exported`);
  };
  const obs = options.state ?? roles.observation ?? [];
  if (!obs.length) throw fail(undefined, 'no observation fields: name them with --state');
  obs.forEach((k) => check(k, '--state'));
  const action = options.action ?? roles.action;
  if (!action) throw fail(undefined, 'no action field: name one with --action');
  check(action, '--action');
  const plusOne = obs.map((k) => fields[k].rows === 'steps+1');
  if (plusOne.some((p) => p !== plusOne[0])) throw fail(undefined, '--state: the fields mix T and T+1 rows');
  const nextOf = (k: string) => {
    const i = roles.observation?.indexOf(k) ?? -1;
    const name = i >= 0 ? roles.nextObservation?.[i] : fields[`next_${k}`] ? `next_${k}` : undefined;
    return name && fields[name] && isNumeric(fields[name].dtype) && fields[name].shape.join() === fields[k].shape.join() ? name : undefined;
  };
  const next = plusOne[0] ? [] : obs.map(nextOf);
  const scalar = (key: string | undefined) => (key && fields[key] && isNumeric(fields[key].dtype) && fields[key].shape.reduce((a, b) => a * b, 1) === 1 ? key : undefined);
  return {
    obs,
    next: next.every((n): n is string => n !== undefined) ? next : [],
    plusOne: plusOne[0],
    action,
    reward: scalar(roles.reward),
    terminated: scalar(roles.terminated),
    truncated: scalar(roles.truncated),
  };
}

/** Fields concatenated column-wise into [rows, Σ widths] float32. */
function concat(parts: FieldData[]): { data: Float32Array; rows: number; width: number } {
  const rows = parts[0].shape[0];
  const widths = parts.map((p) => p.shape.slice(1).reduce((a, b) => a * b, 1));
  const width = widths.reduce((a, b) => a + b, 0);
  const data = new Float32Array(rows * width);
  let col = 0;
  parts.forEach((p, j) => {
    const src = toFloat32(p.data);
    const w = widths[j];
    for (let r = 0; r < rows; r++) data.set(src.subarray(r * w, (r + 1) * w), r * width + col);
    col += w;
  });
  return { data, rows, width };
}

/** One exported episode: N transitions, obs s_0 … s_N, next the stored s′ rows (or obs rows 1 … N). */
interface Chunk extends RecordedEpisode {
  next: Float32Array;
  truncated: Uint8Array;
}

/** Where exported episodes go, one at a time. */
interface ExportSink {
  add(chunk: Chunk): Promise<void>;
  finish(): Promise<void>;
  abort(): Promise<void>;
}

/** robomimic: one demo group per episode (RobomimicStreamWriter). NPZ: rows appended per member (NpzStreamWriter). */
async function openSink(options: ExportOptions, summary: DatasetReader['summary'], D: number, A: number): Promise<ExportSink> {
  if (options.to === 'robomimic') {
    const env = summary.attributes.env_args as { env_name?: unknown } | undefined;
    const task = typeof env?.env_name === 'string' ? env.env_name : typeof summary.attributes.dataset_id === 'string' ? summary.attributes.dataset_id : summary.format;
    const writer = await RobomimicStreamWriter.create(options.out, { task, obsDim: D, actDim: A });
    return { add: async (c) => writer.add(c), finish: () => writer.finish(), abort: () => writer.abort() };
  }
  const writer = await NpzStreamWriter.create(options.out, [
    { name: 'obs', descr: '<f4', row: [D] },
    { name: 'next_obs', descr: '<f4', row: [D] },
    { name: 'action', descr: '<f4', row: [A] },
    { name: 'reward', descr: '<f4', row: [] },
    { name: 'terminated', descr: '|b1', row: [] },
    { name: 'truncated', descr: '|b1', row: [] },
  ]);
  return {
    add: async (c) => {
      const N = c.reward.length;
      // The episode boundary survives the round trip: a last step neither terminated nor truncated becomes truncated.
      if (!c.terminated[N - 1]) c.truncated[N - 1] = 1;
      await writer.append(N, [c.obs.subarray(0, N * D), c.next, c.act, c.reward, c.terminated, c.truncated]);
    },
    finish: () => writer.finish(),
    abort: () => writer.abort(),
  };
}

/** The first line of any error, as a DatasetError naming `file`. */
function asDatasetError(error: unknown, file: string): DatasetError {
  if (error instanceof DatasetError) return error;
  const message = String((error as Error)?.message ?? error).split('\n')[0].trim();
  return new DatasetError(file, undefined, message || 'failed');
}

/** Exports episodes of the dataset at `path` (see the file comment). Throws one-line DatasetErrors. */
export async function exportDataset(path: string, options: ExportOptions): Promise<ExportResult> {
  if (resolve(path) === resolve(options.out)) throw new DatasetError(options.out, undefined, '--out must not be the input');
  const reader = await openLocalDataset(path);
  try {
    const { summary } = reader;
    const plan = planFields(reader, options);
    let indices = summary.episodes.map((e) => e.index);
    if (typeof options.episodes === 'string') {
      try {
        indices = parseIndexList(options.episodes, summary.episodes.length, 'episode', 'the dataset');
      } catch (error) {
        throw new DatasetError(summary.path, undefined, `--episodes: ${(error as Error).message}`);
      }
    } else if (options.episodes) indices = options.episodes;
    for (const i of indices) if (!summary.episodes[i]) throw new DatasetError(summary.path, undefined, `no episode ${i} (the dataset has ${summary.episodes.length})`);
    const keys = [...new Set([...plan.obs, ...plan.next, plan.action, ...[plan.reward, plan.terminated, plan.truncated].filter((k): k is string => k !== undefined)])];
    const skipped: number[] = [];
    let D = -1;
    let A = -1;
    let episodes = 0;
    let steps = 0;
    // Opened with the first non-empty episode (its widths fix D and A); each episode goes to the
    // file as soon as it is read, so memory holds one episode whatever the export's size.
    let sink: ExportSink | null = null;
    try {
      for (const index of indices) {
        const T = summary.episodes[index].length;
        const data = await reader.readEpisode(index, keys);
        const s = concat(plan.obs.map((k) => data[k]));
        const s2 = plan.next.length ? concat(plan.next.map((k) => data[k])) : undefined;
        const act = concat([data[plan.action]]);
        const N = Math.max(0, Math.min(plan.plusOne || s2 ? T : T - 1, act.rows, plan.plusOne ? s.rows - 1 : s2 ? Math.min(s.rows, s2.rows) : s.rows - 1));
        if (N === 0) {
          skipped.push(index);
          continue;
        }
        if (D < 0) [D, A] = [s.width, act.width];
        if (s.width !== D || act.width !== A) throw new DatasetError(summary.path, undefined, `${summary.episodes[index].name} has other widths (state ${s.width}, action ${act.width}) than the first (${D}, ${A})`);
        const obs = new Float32Array((N + 1) * D);
        if (s2) {
          obs.set(s.data.subarray(0, N * D));
          obs.set(s2.data.subarray((N - 1) * D, N * D), N * D);
        } else obs.set(s.data.subarray(0, (N + 1) * D));
        const flag = (key: string | undefined) => {
          const f = key ? toFloat32(data[key].data) : undefined;
          return Uint8Array.from({ length: N }, (_, t) => (f && f[t] !== 0 ? 1 : 0));
        };
        const reward = plan.reward ? toFloat32(data[plan.reward].data).slice(0, N) : new Float32Array(N);
        const chunk: Chunk = {
          obs,
          next: s2 ? s2.data.slice(0, N * D) : obs.slice(D),
          act: act.data.slice(0, N * A),
          reward,
          terminated: flag(plan.terminated),
          truncated: flag(plan.truncated),
        };
        sink ??= await openSink(options, summary, D, A);
        await sink.add(chunk);
        episodes++;
        steps += N;
        options.onEpisodeWritten?.(index);
      }
      if (!sink) throw new DatasetError(summary.path, undefined, 'nothing to export: the chosen episodes have no transitions');
      await sink.finish();
    } catch (error) {
      await sink?.abort().catch(() => {});
      throw error instanceof DatasetError ? error : asDatasetError(error, options.out);
    }
    return { episodes, steps, obsDim: D, actDim: A, skipped };
  } finally {
    await reader.close();
  }
}
