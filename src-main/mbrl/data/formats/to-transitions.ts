/**
 * Episodes of a recorded dataset → (s, a, r, s′, terminated) transitions for model training.
 */
import type { DatasetReader, FieldData } from './dataset-reader';
import { toFloat32 } from './dtype';
import { DatasetError } from './sources';
import { type TransitionBatch, TransitionBuffer } from '../transition-buffer';

export interface TransitionOptions {
  /** Fields concatenated into s, in order (default: the format's observation role). */
  observation?: string[];
  /** Fields for s′, one per observation field (default: the format's nextObservation role). null: take s′ from the next row. */
  nextObservation?: string[] | null;
  /** Default: the format's action role. */
  action?: string;
  /** Default: the format's reward role; zeros where the dataset has none. */
  reward?: string;
  /** Default: the format's terminated role; zeros where the dataset has none. */
  terminated?: string;
  /** Episode indices (default: all). */
  episodes?: number[];
}

/** Rows × width Float32 view of a field, with its width. */
function matrix(field: FieldData): { data: Float32Array; rows: number; width: number } {
  const rows = field.shape[0];
  return { data: toFloat32(field.data), rows, width: rows ? field.data.length / rows : field.shape.slice(1).reduce((a, b) => a * b, 1) };
}

/** Concatenates fields column-wise: [rows, Σ widths], rows [from, to). */
function concat(fields: Array<{ data: Float32Array; width: number }>, from: number, to: number): Float32Array {
  const D = fields.reduce((n, f) => n + f.width, 0);
  const out = new Float32Array((to - from) * D);
  for (let r = from; r < to; r++) {
    let col = 0;
    for (const f of fields) {
      out.set(f.data.subarray(r * f.width, (r + 1) * f.width), (r - from) * D + col);
      col += f.width;
    }
  }
  return out;
}

/**
 * Reads the chosen episodes into one TransitionBatch. s′ comes from the next-observation fields
 * where the dataset stores them, else from the next row: T transitions from a Minari episode
 * (T+1 observations), T−1 from formats that store T observations and no s′ (the last step has no
 * successor, as in d4rl.qlearning_dataset).
 * obs, nextObs: [N, D] with D the summed widths of the observation fields; act: [N, A].
 */
export async function toTransitions(reader: DatasetReader, options: TransitionOptions = {}): Promise<TransitionBatch> {
  const { summary } = reader;
  const fail = (problem: string) => new DatasetError(summary.path, undefined, `toTransitions: ${problem}`);
  const obsKeys = options.observation ?? summary.roles.observation ?? [];
  const nextKeys = options.nextObservation === null ? [] : (options.nextObservation ?? summary.roles.nextObservation ?? []);
  const actKey = options.action ?? summary.roles.action;
  const rewardKey = options.reward ?? summary.roles.reward;
  const termKey = options.terminated ?? summary.roles.terminated;
  if (!obsKeys.length) throw fail('no observation fields (name them)');
  if (!actKey) throw fail('no action field (name one)');
  if (nextKeys.length && nextKeys.length !== obsKeys.length) throw fail(`${obsKeys.length} observation fields but ${nextKeys.length} next-observation fields`);
  const plusOne = obsKeys.map((k) => summary.fields[k]?.rows === 'steps+1');
  if (plusOne.some((p) => p !== plusOne[0])) throw fail('observation fields mix T and T+1 rows');
  for (const key of [...obsKeys, ...nextKeys, actKey, rewardKey, termKey]) if (key && !summary.fields[key]) throw fail(`no field '${key}'`);

  let buffer: TransitionBuffer | undefined;
  for (const index of options.episodes ?? summary.episodes.map((e) => e.index)) {
    const T = summary.episodes[index]?.length;
    if (T === undefined) throw fail(`no episode ${index}`);
    const keys = [...new Set([...obsKeys, ...nextKeys, actKey, ...(rewardKey ? [rewardKey] : []), ...(termKey ? [termKey] : [])])];
    const data = await reader.readEpisode(index, keys);
    const obs = obsKeys.map((k) => matrix(data[k]));
    const next = nextKeys.map((k) => matrix(data[k]));
    const act = matrix(data[actKey]);
    const reward = rewardKey ? matrix(data[rewardKey]) : undefined;
    const term = termKey ? matrix(data[termKey]) : undefined;
    if (reward && reward.width !== 1) throw fail(`reward field '${rewardKey}' has ${reward.width} values a step, expected 1`);
    // N transitions; s′ from stored next fields, or row i + 1 of the observations.
    const N = next.length > 0 || plusOne[0] ? T : Math.max(0, T - 1);
    const s = concat(obs, 0, N);
    const s2 = next.length ? concat(next, 0, N) : concat(obs, 1, N + 1);
    const D = obs.reduce((n, f) => n + f.width, 0);
    buffer ??= new TransitionBuffer(D, act.width, Math.max(1, summary.steps));
    if (buffer.obsDim !== D || buffer.actDim !== act.width) throw fail(`episode ${index} has other widths (${D}, ${act.width}) than the first (${buffer.obsDim}, ${buffer.actDim})`);
    for (let i = 0; i < N; i++) {
      buffer.add(s.subarray(i * D, (i + 1) * D), act.data.subarray(i * act.width, (i + 1) * act.width), s2.subarray(i * D, (i + 1) * D), reward ? reward.data[i] : 0, term ? term.data[i * term.width] !== 0 : false);
    }
  }
  return (buffer ?? new TransitionBuffer(0, 0, 1)).view();
}
