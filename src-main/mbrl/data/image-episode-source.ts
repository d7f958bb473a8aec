/**
 * Image episodes from a recorded dataset, for the image models (latent models, video prediction):
 * the frames of one image field resized to the model's size as RGB bytes, the actions between them,
 * rewards, and a true state for colouring plots where the dataset has one. The same `ImageEpisode`
 * layout as `collectImageEpisodes`, so a model trains on recorded data exactly as on collected data.
 *
 * Frames o_0 … o_T: robomimic stores obs/<key> [T, H, W, C] and next_obs/<key> [T, H, W, C], so the
 * last frame is next_obs's last row; Minari stores T + 1 rows; a field without a next twin gives T
 * frames, and its last action is dropped (nothing shows where it led).
 *
 * Reads through a DatasetReader (pure: no files here): the engine opens the file. LeRobot video
 * features are not arrays — only a video decoder (the renderer's Chromium) can read their frames.
 */
import type { ImageEpisode } from '../env';
import type { DatasetReader, DatasetSummary, FieldInfo } from './formats/dataset-reader';
import { toFloat32 } from './formats/dtype';
import { DatasetError } from './formats/sources';
import { frameResizer } from './resize-frame';

/** What to read. */
export interface ImageEpisodeOptions {
  /** The image field, as the dataset summary names it ('obs/agentview_image', 'obs'). */
  imageKey: string;
  /** The action field (default: the dataset's action role). */
  actionKey?: string;
  /** Low-dimensional fields concatenated into the true state (default: the observation role's vector fields, else a `states`/`state` field; none: the step index). */
  stateKeys?: string[];
  /** Frame size the model takes (default: the field's own). */
  width?: number;
  height?: number;
  /** Only these episodes, by index (default: all, up to maxEpisodes). */
  episodes?: number[];
  maxEpisodes?: number;
  /** Episodes with fewer frames are skipped (default 2: one transition). */
  minFrames?: number;
  /** Most bytes of resized frames held (default 1 GiB). */
  maxBytes?: number;
  signal?: AbortSignal;
  onEpisode?: (done: number, total: number) => void;
}

/** Image episodes with what the models and the views need to know about them. */
export interface ImageEpisodeSet {
  /** Frames [(T+1), height, width, 3] bytes, states [(T+1) · stateDim], actions [T · actDim], rewards [T]. */
  episodes: ImageEpisode[];
  /** The dataset's index of each episode. */
  indices: number[];
  /** Frame size of `episodes` (after resizing). */
  height: number;
  width: number;
  /** The stored frames' size and channels. */
  source: { height: number; width: number; channels: number };
  imageKey: string;
  /** The field whose last row gives frame T, where there is one. */
  nextImageKey?: string;
  actionKey: string;
  actDim: number;
  /** Per-dimension range of the recorded actions (planning bounds where there is no simulator). */
  actionLow: Float32Array;
  actionHigh: Float32Array;
  /** One name per state dimension ('obs/eef_pos[0]'; 'step' when the dataset has no state). */
  stateNames: string[];
  stateDim: number;
  /** Episodes skipped (too short), and other things worth saying. */
  warnings: string[];
}

const DEFAULT_MAX_BYTES = 1024 ** 3;
/** Frames read per slice (bounded memory for long episodes of large frames). */
const ROWS_PER_READ = 32;

/** An image field: uint8 with step shape [H, W] or [H, W, C], C ∈ {1, 3, 4}. */
function imageShape(info: FieldInfo): { height: number; width: number; channels: number } | null {
  if (info.dtype !== 'uint8' || (info.shape.length !== 2 && info.shape.length !== 3)) return null;
  const [height, width, channels = 1] = info.shape;
  return height > 0 && width > 0 && [1, 3, 4].includes(channels) ? { height, width, channels } : null;
}

/** Image fields of a summary (what a user may pick as imageKey). */
export function imageFieldsOf(summary: DatasetSummary): string[] {
  return Object.keys(summary.fields).filter((name) => imageShape(summary.fields[name]) !== null);
}

/** The field holding o_{t+1} for `field`, where the dataset stores one ('next_obs/<key>', 'next_obs'). */
function nextTwin(summary: DatasetSummary, field: string): string | undefined {
  const roles = summary.roles;
  const i = roles.observation?.indexOf(field) ?? -1;
  const candidates = [`next_${field}`, field.replace(/^observations\b/, 'next_observations'), i >= 0 ? roles.nextObservation?.[i] : undefined];
  return candidates.find((c): c is string => !!c && c !== field && summary.fields[c]?.shape.join() === summary.fields[field].shape.join());
}

/** Checks the image field and returns its geometry, or throws a DatasetError naming file and field. */
function checkImageField(summary: DatasetSummary, key: string): { height: number; width: number; channels: number } {
  if (summary.videos?.[key]) {
    throw new DatasetError(summary.path, key, 'is a video feature: its frames are decoded only by the viewer (the Datasets view plays them); training reads image arrays (robomimic obs/<key>, .npz)');
  }
  const info = summary.fields[key];
  const images = imageFieldsOf(summary);
  if (!info) throw new DatasetError(summary.path, key, `no such field (image fields: ${images.length ? images.join(', ') : 'none'})`);
  const shape = imageShape(info);
  if (!shape) throw new DatasetError(summary.path, key, `not an image field: ${info.dtype} [${info.shape.join(', ')}] per step, expected uint8 [H, W, 3] (or 1 or 4 channels)`);
  return shape;
}

/** The state fields: the ones asked for (checked), else the observation role's numeric vectors. */
function stateFields(summary: DatasetSummary, keys: string[] | undefined, imageKey: string): { keys: string[]; names: string[] } {
  const ok = (f: FieldInfo | undefined) => !!f && f.shape.length <= 1 && f.dtype !== 'string' && f.dtype !== 'video' && f.dtype !== 'other';
  if (keys) {
    for (const k of keys) {
      const f = summary.fields[k];
      if (!f) throw new DatasetError(summary.path, k, 'no such field (asked for as a state field)');
      if (!ok(f)) throw new DatasetError(summary.path, k, `not a state field: ${f.dtype} [${f.shape.join(', ')}] per step, expected a number or a vector`);
    }
  }
  const fromRoles = (summary.roles.observation ?? []).filter((k) => k !== imageKey && ok(summary.fields[k]));
  // A replay buffer whose obs are images may keep the state beside them (decoded LeRobot videos: `state`).
  const chosen = keys ?? (fromRoles.length ? fromRoles : ['states', 'state'].filter((k) => ok(summary.fields[k])).slice(0, 1));
  const names = chosen.flatMap((k) => {
    const n = summary.fields[k].shape[0] ?? 1;
    return summary.fields[k].shape.length === 0 ? [k] : Array.from({ length: n }, (_, i) => `${k}[${i}]`);
  });
  return { keys: chosen, names };
}

/**
 * Reads image episodes from an open dataset. Throws a DatasetError (one line naming the file and
 * the field) when the image field is missing, is not an image, is a video feature, when there is
 * no action field, or when no episode has `minFrames` frames; shorter episodes are skipped with a
 * warning.
 */
export async function readImageEpisodes(reader: DatasetReader, options: ImageEpisodeOptions): Promise<ImageEpisodeSet> {
  const { summary } = reader;
  const file = summary.path;
  const src = checkImageField(summary, options.imageKey);
  const height = options.height ?? src.height;
  const width = options.width ?? src.width;
  const actionKey = options.actionKey ?? summary.roles.action;
  if (!actionKey) throw new DatasetError(file, undefined, 'no action field: the dataset names none; choose one (actionKey)');
  const actInfo = summary.fields[actionKey];
  if (!actInfo) throw new DatasetError(file, actionKey, 'no such field (asked for as the action)');
  if (actInfo.shape.length > 1 || actInfo.dtype === 'string' || actInfo.dtype === 'video' || actInfo.dtype === 'other') {
    throw new DatasetError(file, actionKey, `not an action field: ${actInfo.dtype} [${actInfo.shape.join(', ')}] per step, expected a number or a vector`);
  }
  const actDim = actInfo.shape[0] ?? 1;
  const state = stateFields(summary, options.stateKeys, options.imageKey);
  const stateDim = state.names.length || 1;
  const nextImageKey = summary.fields[options.imageKey].rows === 'steps+1' ? undefined : nextTwin(summary, options.imageKey);
  const resize = frameResizer(src.height, src.width, src.channels, height, width);
  const minFrames = options.minFrames ?? 2;
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const frameBytes = height * width * 3;
  const srcBytes = src.height * src.width * src.channels;
  const wanted = options.episodes ?? summary.episodes.map((e) => e.index).slice(0, options.maxEpisodes ?? Infinity);
  for (const i of wanted) if (!summary.episodes[i]) throw new DatasetError(file, undefined, `no episode ${i} (the dataset has ${summary.episodes.length})`);

  const warnings: string[] = [];
  const skipped: string[] = [];
  const episodes: ImageEpisode[] = [];
  const indices: number[] = [];
  let longest = 0;
  // Everything is held in memory for training: refuse up front what would not fit.
  const bytes = wanted.reduce((n, i) => n + (summary.episodes[i].length + 1) * frameBytes, 0);
  if (bytes > maxBytes) {
    throw new DatasetError(file, options.imageKey, `the frames of ${wanted.length} episodes at ${height}×${width} need ${mib(bytes)}, more than the ${mib(maxBytes)} allowed: read fewer episodes or smaller frames`);
  }
  for (const index of wanted) {
    if (options.signal?.aborted) break;
    const ep = summary.episodes[index];
    const imageRows = ep.length + (summary.fields[options.imageKey].rows === 'steps+1' ? 1 : 0);
    // Frames o_0 … o_F−1 and the F − 1 actions between them.
    const F = nextImageKey ? ep.length + 1 : Math.min(imageRows, ep.length + 1);
    longest = Math.max(longest, F);
    if (F < minFrames) {
      skipped.push(ep.name);
      continue;
    }
    const T = F - 1;
    const frames = new Uint8Array(F * frameBytes);
    for (let start = 0; start < Math.min(F, imageRows); start += ROWS_PER_READ) {
      const end = Math.min(F, imageRows, start + ROWS_PER_READ);
      const data = (await reader.readEpisode(index, [options.imageKey], { start, end }))[options.imageKey].data;
      if (!(data instanceof Uint8Array) || data.length !== (end - start) * srcBytes) throw new DatasetError(reader.fileOf(options.imageKey, 0), options.imageKey, `${ep.name}: read ${data.length} values for ${end - start} frames of ${src.height}×${src.width}×${src.channels} bytes`);
      for (let r = 0; r < end - start; r++) resize(data.subarray(r * srcBytes, (r + 1) * srcBytes), frames, (start + r) * frameBytes);
    }
    if (nextImageKey) {
      const last = (await reader.readEpisode(index, [nextImageKey], { start: ep.length - 1, end: ep.length }))[nextImageKey].data;
      if (!(last instanceof Uint8Array) || last.length !== srcBytes) throw new DatasetError(file, nextImageKey, `${ep.name}: read ${last.length} values for one ${src.height}×${src.width}×${src.channels} frame`);
      resize(last, frames, T * frameBytes);
    }
    const actions = toFloat32((await reader.readEpisode(index, [actionKey], { start: 0, end: T }))[actionKey].data).slice(0, T * actDim);
    const rewards = summary.roles.reward ? toFloat32((await reader.readEpisode(index, [summary.roles.reward], { start: 0, end: T }))[summary.roles.reward].data).slice(0, T) : new Float32Array(T);
    const terminated = new Uint8Array(T);
    if (summary.roles.terminated) {
      const flags = (await reader.readEpisode(index, [summary.roles.terminated], { start: 0, end: T }))[summary.roles.terminated].data;
      for (let t = 0; t < T; t++) terminated[t] = Number(flags[t]) !== 0 ? 1 : 0;
    }
    const states = await readStates(reader, index, state.keys.map((k) => ({ key: k, next: nextTwin(summary, k) })), F, stateDim);
    episodes.push({ frames, states, actions, rewards, terminated });
    indices.push(index);
    options.onEpisode?.(episodes.length, wanted.length);
  }
  if (skipped.length) warnings.push(`${skipped.length} episode(s) with fewer than ${minFrames} frames skipped (${skipped.slice(0, 3).join(', ')}${skipped.length > 3 ? ', …' : ''})`);
  if (!episodes.length && !options.signal?.aborted) {
    throw new DatasetError(file, options.imageKey, wanted.length ? `too few frames: no episode has the ${minFrames} frames needed (the longest has ${longest})` : 'no episodes to read');
  }
  const { low, high } = actionRange(episodes, actDim);
  return {
    episodes,
    indices,
    height,
    width,
    source: src,
    imageKey: options.imageKey,
    ...(nextImageKey ? { nextImageKey } : {}),
    actionKey,
    actDim,
    actionLow: low,
    actionHigh: high,
    stateNames: state.names.length ? state.names : ['step'],
    stateDim,
    warnings,
  };
}

/** States s_0 … s_{F−1} [F · stateDim]: the state fields (the last row repeated where s_T is not stored), or the step index. */
async function readStates(reader: DatasetReader, index: number, keys: Array<{ key: string; next?: string }>, F: number, stateDim: number): Promise<Float32Array> {
  const states = new Float32Array(F * stateDim);
  if (!keys.length) {
    for (let t = 0; t < F; t++) states[t] = t;
    return states;
  }
  let col = 0;
  for (const { key, next } of keys) {
    const { data, shape } = (await reader.readEpisode(index, [key], { start: 0, end: F }))[key];
    const w = shape.slice(1).reduce((a, b) => a * b, 1);
    const rows = shape[0];
    const values = toFloat32(data);
    for (let t = 0; t < Math.min(F, rows); t++) for (let j = 0; j < w; j++) states[t * stateDim + col + j] = values[t * w + j];
    if (rows < F && rows > 0) {
      // s_T from the next-observation twin (robomimic next_obs/<key>), else the last stored state again.
      const last = next ? toFloat32((await reader.readEpisode(index, [next], { start: rows - 1, end: rows }))[next].data) : values.subarray((rows - 1) * w, rows * w);
      for (let t = rows; t < F; t++) for (let j = 0; j < w; j++) states[t * stateDim + col + j] = last[j];
    }
    col += w;
  }
  return states;
}

const mib = (bytes: number) => `${(bytes / 1024 ** 2).toPrecision(3)} MiB`;

function actionRange(episodes: readonly ImageEpisode[], actDim: number): { low: Float32Array; high: Float32Array } {
  const low = new Float32Array(actDim).fill(Infinity);
  const high = new Float32Array(actDim).fill(-Infinity);
  for (const e of episodes) {
    for (let i = 0; i < e.actions.length; i++) {
      const d = i % actDim;
      if (e.actions[i] < low[d]) low[d] = e.actions[i];
      if (e.actions[i] > high[d]) high[d] = e.actions[i];
    }
  }
  for (let d = 0; d < actDim; d++) {
    if (!Number.isFinite(low[d]) || !Number.isFinite(high[d])) [low[d], high[d]] = [-1, 1];
    else if (low[d] === high[d]) [low[d], high[d]] = [low[d] - 1, high[d] + 1];
  }
  return { low, high };
}
