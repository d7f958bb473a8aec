/**
 * LeRobot datasets, v2.x and v3.0: meta/info.json (features with dtype and shape, fps, data_path and
 * video_path templates), per-frame Parquet rows (observation.state, action, timestamp, frame_index,
 * episode_index, index, …) and episode metadata (v2: meta/episodes.jsonl with one file per episode;
 * v3: meta/episodes/chunk-NNN/file-NNN.parquet with many episodes per data file, located by
 * data/chunk_index, data/file_index and dataset_from_index/dataset_to_index).
 * Video features (mp4 per episode in v2, several episodes per file with from/to timestamps in v3)
 * are not decoded here: `videoOf` says which file and time span holds an episode's frames, and the
 * workbench's viewer (Chromium) decodes them. Image features (PNG bytes in Parquet) are not read.
 */
import { type DatasetLayout, type EpisodeInfo, type FieldInfo, type FieldRoles, type VideoFeatureInfo, type VideoSegment, episodeAt } from './dataset-reader';
import { type ArrayInfo, type DType, type NumericArray, allocate, isNumeric } from './dtype';
import { ParquetTable } from './parquet-table';
import { DatasetError, type DatasetLocation, type LazyArray } from './sources';

interface Feature {
  dtype: string;
  shape: number[];
  /** v2.1/v3.0: 'video.fps', 'video.codec', …; v2.0 called it video_info. */
  info?: Record<string, unknown>;
  video_info?: Record<string, unknown>;
}

/** Where one episode's frames of one video key sit: a file of the dataset and a time span in it. */
interface VideoSpan {
  chunk: number;
  file: number;
  /** Seconds into the file where the episode's frame 0 starts (v3; 0 in v2). */
  from: number;
  to?: number;
}

/** Rows of one episode in one data file, and where they sit in the dataset's global row order. */
interface Segment {
  episode: number;
  rel: string;
  fileRow: number;
  globalStart: number;
  rows: number;
}

interface EpisodeRecord {
  episode_index: number;
  length: number;
  chunk?: number;
  file?: number;
  from?: number;
  /** v3: per video key, the file and time span (meta/episodes columns videos/<key>/…). */
  videos?: Record<string, VideoSpan>;
}

const INFO = 'meta/info.json';
const V3_EPISODE_COLUMNS = ['episode_index', 'length', 'data/chunk_index', 'data/file_index', 'dataset_from_index'];
/** v3 episode metadata columns of each video key, as `videos/<key>/<column>`. */
const VIDEO_COLUMNS = ['chunk_index', 'file_index', 'from_timestamp', 'to_timestamp'];
/** Data files held open at once. */
const OPEN_FILES = 4;

/** Fills a Python format template like 'data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet'. */
export function fillTemplate(template: string, values: Record<string, number | string>): string {
  return template.replace(/\{(\w+)(?::0?(\d*)d)?\}/g, (whole, key: string, width: string) => {
    const value = values[key];
    if (value === undefined) return whole;
    return width ? String(value).padStart(Number(width), '0') : String(value);
  });
}

function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new DatasetError(file, undefined, `not valid JSON (${(error as Error).message})`);
  }
}

function featureDtype(dtype: string): DType {
  const known: DType[] = ['bool', 'int8', 'int16', 'int32', 'int64', 'uint8', 'uint16', 'uint32', 'uint64', 'float16', 'float32', 'float64', 'string', 'video'];
  return known.includes(dtype as DType) ? (dtype as DType) : 'other';
}

/** Data files open at once, closed least recently used first, never while a read holds them. */
class TableCache {
  private readonly open = new Map<string, { table: Promise<ParquetTable>; users: number }>();

  constructor(private readonly location: DatasetLocation) {}

  async use<T>(rel: string, read: (table: ParquetTable) => Promise<T>): Promise<T> {
    let entry = this.open.get(rel);
    if (entry) this.open.delete(rel);
    else entry = { table: this.location.openBytes(rel).then((source) => ParquetTable.open(source, this.location.display(rel))), users: 0 };
    this.open.set(rel, entry); // most recent last
    entry.users++;
    try {
      return await read(await entry.table);
    } catch (error) {
      // A file that failed is not kept: the next read tries it afresh.
      if (this.open.get(rel) === entry) this.open.delete(rel);
      if (entry.users === 1) await (await entry.table.catch(() => undefined))?.close();
      throw error;
    } finally {
      entry.users--;
      await this.evict();
    }
  }

  private async evict(): Promise<void> {
    for (const [rel, entry] of this.open) {
      if (this.open.size <= OPEN_FILES) return;
      if (entry.users > 0) continue;
      this.open.delete(rel);
      await (await entry.table.catch(() => undefined))?.close();
    }
  }

  async closeAll(): Promise<void> {
    const entries = [...this.open.values()];
    this.open.clear();
    for (const entry of entries) await (await entry.table.catch(() => undefined))?.close();
  }
}

async function readEpisodesV2(location: DatasetLocation): Promise<EpisodeRecord[]> {
  const rel = 'meta/episodes.jsonl';
  if (!(await location.exists(rel))) throw new DatasetError(location.display(rel), undefined, 'missing required file (the episode list of LeRobot v2)');
  const lines = (await location.readText(rel)).split('\n').filter((l) => l.trim() !== '');
  return lines.map((line, i) => {
    const e = parseJson(line, `${location.display(rel)} line ${i + 1}`) as Partial<EpisodeRecord>;
    if (typeof e.episode_index !== 'number' || typeof e.length !== 'number') throw new DatasetError(location.display(rel), `line ${i + 1}`, 'missing required key episode_index or length');
    return { episode_index: e.episode_index, length: e.length };
  });
}

async function listParquet(location: DatasetLocation, rel: string): Promise<string[]> {
  const out: string[] = [];
  for (const name of await location.list(rel)) {
    const child = `${rel}/${name}`;
    if (name.endsWith('.parquet')) out.push(child);
    else if (!name.includes('.')) out.push(...(await listParquet(location, child)));
  }
  return out;
}

async function readEpisodesV3(location: DatasetLocation, cache: TableCache, videoKeys: string[]): Promise<EpisodeRecord[]> {
  const files = (await location.exists('meta/episodes')) ? await listParquet(location, 'meta/episodes') : [];
  if (!files.length) throw new DatasetError(location.display('meta/episodes'), undefined, 'missing required episode metadata (meta/episodes/chunk-*/file-*.parquet)');
  const records: EpisodeRecord[] = [];
  for (const rel of files) {
    const rows = await cache.use(rel, async (table) => {
      const missing = V3_EPISODE_COLUMNS.find((c) => !table.columns.has(c));
      if (missing) throw new DatasetError(location.display(rel), missing, 'missing required column');
      const videoColumns = videoKeys.flatMap((k) => VIDEO_COLUMNS.map((c) => `videos/${k}/${c}`)).filter((c) => table.columns.has(c));
      return table.readObjects([...V3_EPISODE_COLUMNS, ...videoColumns]);
    });
    for (const r of rows) {
      const videos: Record<string, VideoSpan> = {};
      for (const k of videoKeys) {
        const at = (c: string) => r[`videos/${k}/${c}`];
        if (at('from_timestamp') === undefined) continue;
        videos[k] = { chunk: Number(at('chunk_index') ?? 0), file: Number(at('file_index') ?? 0), from: Number(at('from_timestamp')), ...(at('to_timestamp') !== undefined ? { to: Number(at('to_timestamp')) } : {}) };
      }
      records.push({ episode_index: Number(r.episode_index), length: Number(r.length), chunk: Number(r['data/chunk_index']), file: Number(r['data/file_index']), from: Number(r.dataset_from_index), videos });
    }
  }
  return records;
}

function segmentsOf(records: EpisodeRecord[], info: Record<string, unknown>, v3: boolean): Segment[] {
  const template = String(info.data_path);
  const chunksSize = typeof info.chunks_size === 'number' ? info.chunks_size : 1000;
  const fileStart = new Map<string, number>();
  const rels = records.map((r) =>
    v3 ? fillTemplate(template, { chunk_index: r.chunk ?? 0, file_index: r.file ?? 0 }) : fillTemplate(template, { episode_chunk: Math.floor(r.episode_index / chunksSize), episode_index: r.episode_index }),
  );
  if (v3) records.forEach((r, i) => fileStart.set(rels[i], Math.min(fileStart.get(rels[i]) ?? Infinity, r.from ?? 0)));
  let globalStart = 0;
  return records.map((r, i) => {
    const segment = { episode: i, rel: rels[i], fileRow: v3 ? (r.from ?? 0) - (fileStart.get(rels[i]) ?? 0) : 0, globalStart, rows: r.length };
    globalStart += r.length;
    return segment;
  });
}

/** A feature over all data files, rows in global order. */
function featureArray(name: string, feature: Feature, dtype: DType, total: number, segments: Segment[], cache: TableCache, location: DatasetLocation): LazyArray {
  const width = feature.shape.reduce((a, b) => a * b, 1);
  return {
    shape: [total, ...feature.shape],
    dtype,
    async readRows(start: number, end: number): Promise<NumericArray> {
      const out = allocate(dtype, Math.max(0, end - start) * width);
      // First segment that ends after `start` (segments are in global order).
      let lo = 0;
      let hi = segments.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (segments[mid].globalStart + segments[mid].rows <= start) lo = mid + 1;
        else hi = mid;
      }
      for (let k = lo; k < segments.length && segments[k].globalStart < end; k++) {
        const seg = segments[k];
        const a = Math.max(start, seg.globalStart);
        const b = Math.min(end, seg.globalStart + seg.rows);
        const data = await cache.use(seg.rel, async (table) => {
          if (!table.columns.has(name)) throw new DatasetError(location.display(seg.rel), name, 'missing column (info.json lists this feature)');
          if (table.numRows < seg.fileRow + seg.rows) throw new DatasetError(location.display(seg.rel), undefined, `shape mismatch: ${table.numRows} rows, the episode metadata needs rows ${seg.fileRow}..${seg.fileRow + seg.rows} for episode ${seg.episode}`);
          return table.readColumn(name, dtype, width, seg.fileRow + a - seg.globalStart, seg.fileRow + b - seg.globalStart);
        });
        (out as Float32Array).set(data as Float32Array, (a - start) * width);
      }
      return out;
    },
  };
}

export async function isLeRobot(location: DatasetLocation): Promise<boolean> {
  return location.isDirectory && (await location.exists(INFO));
}

/** Reads a LeRobot v2.x or v3.0 dataset folder. Throws DatasetError on missing metadata or files. */
export async function readLeRobot(location: DatasetLocation): Promise<DatasetLayout> {
  const cache = new TableCache(location);
  try {
    return await readWith(location, cache);
  } catch (error) {
    await cache.closeAll();
    throw error;
  }
}

async function readWith(location: DatasetLocation, cache: TableCache): Promise<DatasetLayout> {
  const info = parseJson(await location.readText(INFO), location.display(INFO)) as Record<string, unknown>;
  const version = String(info.codebase_version ?? '');
  const v3 = /^v3\./.test(version);
  if (!v3 && !/^v2\./.test(version)) throw new DatasetError(location.display(INFO), 'codebase_version', `unsupported version '${version}' (v2.x and v3.0 are read)`);
  for (const key of ['features', 'data_path']) if (info[key] === undefined) throw new DatasetError(location.display(INFO), key, 'missing required key');
  const features = info.features as Record<string, Feature>;
  const warnings: string[] = [];
  const videoKeys = Object.entries(features ?? {}).filter(([, f]) => f?.dtype === 'video').map(([k]) => k);
  const records = (v3 ? await readEpisodesV3(location, cache, videoKeys) : await readEpisodesV2(location)).sort((a, b) => a.episode_index - b.episode_index);
  const segments = segmentsOf(records, info, v3);
  const total = records.reduce((n, r) => n + r.length, 0);
  if (typeof info.total_frames === 'number' && info.total_frames !== total) warnings.push(`info.json says ${info.total_frames} frames, the episodes hold ${total}`);
  if (typeof info.total_episodes === 'number' && info.total_episodes !== records.length) warnings.push(`info.json says ${info.total_episodes} episodes, the episode metadata lists ${records.length}`);

  const arrays = new Map<string, LazyArray>();
  const arrayInfo: Record<string, ArrayInfo> = {};
  const fields: Record<string, FieldInfo> = {};
  const notRead: string[] = [];
  for (const [name, feature] of Object.entries(features)) {
    if (!Array.isArray(feature?.shape)) throw new DatasetError(location.display(INFO), `features.${name}`, 'missing required key shape');
    const dtype = feature.dtype === 'image' ? 'other' : featureDtype(feature.dtype);
    arrayInfo[name] = { shape: [total, ...feature.shape], dtype };
    if (!isNumeric(dtype)) {
      if (feature.dtype === 'video' || feature.dtype === 'image') notRead.push(name);
      continue;
    }
    arrays.set(name, featureArray(name, feature, dtype, total, segments, cache, location));
    fields[name] = { shape: [...feature.shape], dtype, rows: 'steps' };
  }
  const videos = videoFeatures(info, features, videoKeys);
  const images = notRead.filter((k) => !videos[k]);
  if (Object.keys(videos).length) warnings.push(`video features are not read as arrays (the Datasets view plays their frames; training uses state and action): ${Object.keys(videos).join(', ')}`);
  if (images.length) warnings.push(`video/image features are listed but not read yet (state and action only): ${images.join(', ')}`);
  // The first data file must exist and hold the numeric features; the rest are checked as they are read.
  if (segments.length) {
    await cache.use(segments[0].rel, async (table) => {
      const missing = Object.keys(fields).find((f) => !table.columns.has(f));
      if (missing) throw new DatasetError(location.display(segments[0].rel), missing, 'missing column (info.json lists this feature)');
    });
  }
  const episodes: EpisodeInfo[] = records.map((r, i) => ({ index: i, name: `episode_${r.episode_index}`, length: r.length }));
  const roles: FieldRoles = {};
  if (fields['observation.state']) roles.observation = ['observation.state'];
  if (fields.action) roles.action = 'action';
  if (fields['next.reward']) roles.reward = 'next.reward';
  if (fields['next.done']) roles.terminated = 'next.done';
  const attributes: Record<string, unknown> = {};
  for (const key of ['codebase_version', 'robot_type', 'fps', 'total_tasks', 'chunks_size']) if (info[key] !== undefined) attributes[key] = info[key];
  return {
    summary: { format: v3 ? 'lerobot-v3' : 'lerobot-v2', path: location.path, layout: `LeRobot ${version}`, episodes, arrays: arrayInfo, fields, roles, attributes, warnings, ...(Object.keys(videos).length ? { videos } : {}) },
    arrays,
    videoOf: (episode, key) => videoSegment(info, videos[key], key, records[episode], v3),
    locate: (episode, field) => (arrays.has(field) && segments[episode] ? { array: arrays.get(field) as LazyArray, offset: segments[episode].globalStart, rows: segments[episode].rows } : undefined),
    describeRow: (path, row) => {
      const at = arrays.has(path) ? episodeAt(episodes, segments.map((s) => s.globalStart), row) : undefined;
      return at && `${at.episode.name} frame ${at.step}`;
    },
    fileOf: (path, row) => {
      const at = episodeAt(episodes, segments.map((s) => s.globalStart), row);
      return at ? location.display(segments[at.episode.index].rel) : location.path;
    },
    close: () => cache.closeAll(),
  };
}

/** Video features with a file to read: info.json must name a video_path template. */
function videoFeatures(info: Record<string, unknown>, features: Record<string, Feature>, keys: string[]): Record<string, VideoFeatureInfo> {
  if (typeof info.video_path !== 'string' || !info.video_path) return {};
  const out: Record<string, VideoFeatureInfo> = {};
  for (const key of keys) {
    const meta = features[key].info ?? features[key].video_info ?? {};
    const fps = Number(meta['video.fps'] ?? info.fps);
    if (!(fps > 0)) continue;
    const codec = meta['video.codec'];
    const [height, width] = features[key].shape;
    out[key] = { fps, ...(typeof codec === 'string' ? { codec } : {}), ...(height > 0 && width > 0 ? { height, width } : {}) };
  }
  return out;
}

/**
 * The file and time span of one episode of a video key: v2 fills the template with the episode
 * (frame 0 at 0 s), v3 with the chunk and file from meta/episodes (frame 0 at from_timestamp).
 * Frame k of the episode is at `from + k / fps` seconds into `rel`.
 */
function videoSegment(info: Record<string, unknown>, feature: VideoFeatureInfo | undefined, key: string, record: EpisodeRecord | undefined, v3: boolean): VideoSegment | undefined {
  if (!feature || !record || typeof info.video_path !== 'string') return undefined;
  const chunksSize = typeof info.chunks_size === 'number' ? info.chunks_size : 1000;
  if (!v3) {
    const rel = fillTemplate(info.video_path, { episode_chunk: Math.floor(record.episode_index / chunksSize), episode_index: record.episode_index, video_key: key });
    return { rel, from: 0, to: record.length / feature.fps, fps: feature.fps, frames: record.length };
  }
  const span = record.videos?.[key];
  if (!span) return undefined;
  const rel = fillTemplate(info.video_path, { chunk_index: span.chunk, file_index: span.file, video_key: key });
  return { rel, from: span.from, to: span.to ?? span.from + record.length / feature.fps, fps: feature.fps, frames: record.length };
}
