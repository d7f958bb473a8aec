/**
 * One reader API for every recorded-dataset format: a summary from metadata alone (episodes with
 * their lengths, every array with shape and dtype, warnings), and row slices of episodes on demand.
 * The same reader feeds `mbrl-lab dataset inspect`, offline training (`toTransitions`) and the UI's
 * episode list and scrubbing.
 */
import { type ArrayInfo, type DType, type NumericArray, rowSize } from './dtype';
import { DatasetError, type LazyArray } from './sources';

export type DatasetFormat = 'robomimic' | 'd4rl' | 'minari' | 'lerobot-v2' | 'lerobot-v3' | 'npz' | 'npy';

export interface EpisodeInfo {
  index: number;
  /** The format's own name for it: 'demo_3', 'episode_12', 'episode 4'. */
  name: string;
  /** Steps (actions) T. */
  length: number;
}

/** A per-step quantity readEpisode can return. */
export interface FieldInfo {
  /** Shape of one step: [] for a scalar, [D], [H, W, 3]. */
  shape: number[];
  dtype: DType;
  /** 'steps+1' where a field holds T+1 rows (Minari's observations include the final one). */
  rows: 'steps' | 'steps+1';
}

/** Which fields mean what, where the format says so (used by toTransitions). */
export interface FieldRoles {
  /** Fields concatenated into the observation vector, in order. */
  observation?: string[];
  /** The next-observation twin of each observation field, where stored. */
  nextObservation?: string[];
  action?: string;
  reward?: string;
  terminated?: string;
  truncated?: string;
}

export interface DatasetSummary {
  format: DatasetFormat;
  /** The path the user named. */
  path: string;
  /** A short description of the layout found (e.g. 'replay buffer (obs, action, …)'). */
  layout?: string;
  episodes: EpisodeInfo[];
  /** Total steps: the sum of episode lengths. */
  steps: number;
  /** Every stored array by its path in the file (or its feature name), with its full shape. */
  arrays: Record<string, ArrayInfo>;
  /** Per-step fields of readEpisode, by name. */
  fields: Record<string, FieldInfo>;
  roles: FieldRoles;
  /** Format metadata worth showing: env_args, fps, filter masks, metadata.json. */
  attributes: Record<string, unknown>;
  warnings: string[];
  /** Features stored as video files (LeRobot), by key: played by the viewer, not read as arrays. */
  videos?: Record<string, VideoFeatureInfo>;
}

/** A video feature: frames per second, the codec info.json names (e.g. 'av1', 'h264'), frame size. */
export interface VideoFeatureInfo {
  fps: number;
  codec?: string;
  height?: number;
  width?: number;
}

/**
 * Where one episode's frames of a video feature are: `rel` (a file of the dataset folder), and
 * seconds into it. Frame k of the episode is at `from + k / fps`; `to` is where the episode ends.
 */
export interface VideoSegment {
  rel: string;
  from: number;
  to: number;
  fps: number;
  /** Frames of the episode (its length in steps). */
  frames: number;
}

/** One field of one episode: data row-major with the given shape ([rows, ...field shape]). */
export interface FieldData {
  data: NumericArray;
  shape: number[];
}

export interface DatasetReader {
  readonly summary: DatasetSummary;
  /**
   * Fields of episode `index` as typed arrays, rows [range.start, range.end) of each field clipped
   * to its rows (T, or T+1 for a 'steps+1' field); default: all rows. For scrubbing, ask for a
   * window; for training, whole episodes.
   */
  readEpisode(index: number, fields: readonly string[], range?: { start: number; end: number }): Promise<Record<string, FieldData>>;
  /** Rows [start, end) of an array in summary.arrays. */
  readArray(path: string, start: number, end: number): Promise<NumericArray>;
  /** Where row `row` of an array in summary.arrays belongs, for messages ('episode_3 step 7'). */
  describeRow(path: string, row: number): string | undefined;
  /** The file holding row `row` of an array (a folder dataset's data file; else summary.path). */
  fileOf(path: string, row: number): string;
  /** The file and time span of an episode's frames of a video feature (summary.videos), if any. */
  videoOf(episode: number, key: string): VideoSegment | undefined;
  close(): Promise<void>;
}

/** Where a field of an episode lives: rows [offset, offset + rows) of `array`. */
export interface FieldLocation {
  array: LazyArray;
  offset: number;
  rows: number;
}

/** What a format parser produces; `LayoutReader` turns it into a DatasetReader. */
export interface DatasetLayout {
  summary: Omit<DatasetSummary, 'steps'>;
  /** Arrays by the paths of summary.arrays. */
  arrays: Map<string, LazyArray>;
  locate(episode: number, field: string): FieldLocation | undefined;
  /** For arrays whose rows span episodes: where a row belongs. */
  describeRow?(path: string, row: number): string | undefined;
  /** For folder datasets: the file holding a row of an array. */
  fileOf?(path: string, row: number): string;
  /** For datasets with video features: see DatasetReader.videoOf. */
  videoOf?(episode: number, key: string): VideoSegment | undefined;
  close(): Promise<void>;
}

/** A DatasetReader over any parsed layout. */
export class LayoutReader implements DatasetReader {
  readonly summary: DatasetSummary;

  constructor(private readonly layout: DatasetLayout) {
    const steps = layout.summary.episodes.reduce((n, e) => n + e.length, 0);
    this.summary = { ...layout.summary, steps };
  }

  async readEpisode(index: number, fields: readonly string[], range?: { start: number; end: number }): Promise<Record<string, FieldData>> {
    const episode = this.summary.episodes[index];
    if (!episode) throw new DatasetError(this.summary.path, undefined, `no episode ${index} (the dataset has ${this.summary.episodes.length})`);
    const out: Record<string, FieldData> = {};
    for (const field of fields) {
      const info = this.summary.fields[field];
      const where = info ? this.layout.locate(index, field) : undefined;
      if (!info || !where) throw new DatasetError(this.summary.path, field, `no such field in ${episode.name}`);
      const start = Math.max(0, Math.min(range?.start ?? 0, where.rows));
      const end = Math.max(start, Math.min(range?.end ?? where.rows, where.rows));
      const data = await where.array.readRows(where.offset + start, where.offset + end);
      out[field] = { data, shape: [end - start, ...info.shape] };
    }
    return out;
  }

  async readArray(path: string, start: number, end: number): Promise<NumericArray> {
    const array = this.layout.arrays.get(path);
    if (!array) throw new DatasetError(this.summary.path, path, 'no such array');
    const n = array.shape[0] ?? 1;
    const s = Math.max(0, Math.min(start, n));
    return array.readRows(s, Math.max(s, Math.min(end, n)));
  }

  describeRow(path: string, row: number): string | undefined {
    return this.layout.describeRow?.(path, row);
  }

  fileOf(path: string, row: number): string {
    return this.layout.fileOf?.(path, row) ?? this.summary.path;
  }

  videoOf(episode: number, key: string): VideoSegment | undefined {
    return this.layout.videoOf?.(episode, key);
  }

  close(): Promise<void> {
    return this.layout.close();
  }
}

/** The episode holding global row `row`, given each episode's first row (ascending): 'episode_2 step 5'. */
export function episodeAt(episodes: EpisodeInfo[], starts: number[], row: number): { episode: EpisodeInfo; step: number } | undefined {
  let lo = 0;
  let hi = starts.length - 1;
  if (hi < 0 || row < starts[0]) return undefined;
  while (lo < hi) {
    const mid = (lo + hi + 1) >> 1;
    if (starts[mid] <= row) lo = mid;
    else hi = mid - 1;
  }
  return { episode: episodes[lo], step: row - starts[lo] };
}

/** Per-step field info of a stored array whose rows are steps. */
export function fieldOf(array: LazyArray, rows: FieldInfo['rows'] = 'steps'): FieldInfo {
  return { shape: array.shape.slice(1), dtype: array.dtype, rows };
}

/** Elements per row of a field. */
export function fieldWidth(info: FieldInfo): number {
  return rowSize([0, ...info.shape]);
}

/** ArrayInfo of a LazyArray (a copy, safe to serialize). */
export function infoOf(array: LazyArray): ArrayInfo {
  return { shape: [...array.shape], dtype: array.dtype };
}
