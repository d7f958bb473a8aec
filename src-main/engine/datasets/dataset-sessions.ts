import { randomBytes, randomUUID } from 'node:crypto';
import { rm } from 'node:fs/promises';
import { isAbsolute, join, resolve } from 'node:path';
import type { EngineEvent } from '../../protocol';
import { type DatasetReader, type DatasetSummary, toFloat32 } from '../../mbrl/data/formats';
import { readFrame } from './dataset-frame';
import { replayEpisode, type ReplayTasks } from './dataset-replay';
import { locateVideo, videoEvent } from './dataset-video';
import { hostVideoMedia, type VideoMedia } from './video-media';
import { videoUrl } from '../../protocol/video-grants';
import { exportDataset, type ExportFormat } from './export-dataset';
import { openLocalDataset } from './open-local-dataset';
import { type UploadChunk, Uploads, UPLOADS_DIR } from './uploads';

type SummaryEvent = Extract<EngineEvent, { type: 'dataset/summary' }>;
type EpisodeEvent = Extract<EngineEvent, { type: 'dataset/episode' }>;
type ExportedEvent = Extract<EngineEvent, { type: 'dataset/exported' }>;

/** The first line of any error (a DatasetError's message is already one line naming file and array). */
export function oneLine(error: unknown): string {
  return String((error as Error)?.message ?? error).split('\n')[0].trim() || 'unreadable dataset';
}

/** Format attributes made safe for JSON and structured clone: bigints → numbers, typed arrays → lists. */
function plainAttributes(attributes: Record<string, unknown>): Record<string, unknown> {
  try {
    const json = JSON.stringify(attributes, (_key, v: unknown) => {
      if (typeof v === 'bigint') return Number(v);
      if (ArrayBuffer.isView(v) && !(v instanceof DataView)) return Array.from(v as unknown as ArrayLike<number | bigint>, Number);
      return v;
    });
    return (JSON.parse(json ?? '{}') as Record<string, unknown>) ?? {};
  } catch {
    return {};
  }
}

/** A summary as it travels to clients: plain data only. */
export function wireSummary(summary: DatasetSummary): SummaryEvent['summary'] {
  return {
    ...summary,
    episodes: summary.episodes.map((e) => ({ ...e })),
    arrays: Object.fromEntries(Object.entries(summary.arrays).map(([k, a]) => [k, { shape: [...a.shape], dtype: a.dtype }])),
    fields: Object.fromEntries(Object.entries(summary.fields).map(([k, f]) => [k, { shape: [...f.shape], dtype: f.dtype, rows: f.rows }])),
    roles: { ...summary.roles },
    attributes: plainAttributes(summary.attributes),
    warnings: [...summary.warnings],
  };
}

/**
 * The datasets one connection has open for browsing (`dataset/open`, `dataset/episode`,
 * `dataset/close`). Readers stay open until closed or the connection goes; every failure is a
 * one-line message for an `error` event, never a throw out of the engine.
 */
export class DatasetSessions {
  private readonly readers = new Map<string, DatasetReader>();
  private next = 1;
  private closed = false;
  /** This connection's browser uploads, each in its own folder (deleted with its dataset). */
  private readonly uploads: Uploads;
  /** datasetId → the upload it was opened from. */
  private readonly uploadOf = new Map<string, string>();
  /** Names this connection's video grants ('<owner>/<datasetId>'), so closing revokes them. */
  private readonly owner = randomUUID();
  /** '<datasetId>\0<key>\0<episode>' → the URL granted for it (one grant per episode video). */
  private readonly videoUrls = new Map<string, string>();

  /**
   * `cwd`: what relative paths are resolved against (the engine's working folder); `tasks`: the
   * built-in tasks, for replays; `uploadsDir`: where uploads go (default: a fresh folder in the
   * system's temp folder); `media`: who serves dataset videos (default: the host's, if any).
   */
  constructor(
    private readonly cwd: string = process.cwd(),
    private readonly tasks?: ReplayTasks,
    private readonly uploadsDir: string = join(UPLOADS_DIR, randomUUID()),
    private readonly media: VideoMedia | undefined = hostVideoMedia(),
  ) {
    this.uploads = new Uploads(uploadsDir);
  }

  get size(): number {
    return this.readers.size;
  }

  /** Opens a file or folder read-only; resolves to the summary event, or throws an Error with one line. */
  async open(path: string): Promise<SummaryEvent> {
    const full = isAbsolute(path) ? path : resolve(this.cwd, path);
    let reader: DatasetReader;
    try {
      reader = await openLocalDataset(full);
    } catch (error) {
      throw new Error(`dataset/open: ${oneLine(error)}`);
    }
    if (this.closed) {
      await reader.close().catch(() => {});
      throw new Error('dataset/open: the connection closed');
    }
    const datasetId = `ds${this.next++}`;
    this.readers.set(datasetId, reader);
    return { type: 'dataset/summary', datasetId, summary: wireSummary(reader.summary) };
  }

  /** Rows [start, end) of the named fields of one episode, as Float32Arrays for plotting. */
  async episode(datasetId: string, episode: number, fields: readonly string[], start?: number, end?: number): Promise<EpisodeEvent> {
    const reader = this.readers.get(datasetId);
    if (!reader) throw new Error(`dataset/episode: no open dataset '${datasetId}'`);
    const info = reader.summary.fields;
    const unknown = fields.filter((f) => !info[f]);
    if (unknown.length) throw new Error(`dataset/episode: ${reader.summary.path}: no field ${unknown.map((f) => `'${f}'`).join(', ')}`);
    const plottable = fields.filter((f) => info[f].dtype !== 'string' && info[f].dtype !== 'video' && info[f].dtype !== 'other');
    const skipped = fields.filter((f) => !plottable.includes(f));
    if (skipped.length) throw new Error(`dataset/episode: ${reader.summary.path}: ${skipped.join(', ')} is not numeric`);
    const range = start !== undefined || end !== undefined ? { start: start ?? 0, end: end ?? Number.MAX_SAFE_INTEGER } : undefined;
    let data;
    try {
      data = await reader.readEpisode(episode, fields, range);
    } catch (error) {
      throw new Error(`dataset/episode: ${oneLine(error)}`);
    }
    return {
      type: 'dataset/episode',
      datasetId,
      episode,
      start: range ? Math.max(0, range.start) : 0,
      fields: fields.map((name) => {
        const f = data[name];
        // Copy when toFloat32 returned the reader's own buffer view, so the result owns its memory.
        const f32 = toFloat32(f.data);
        return { name, shape: [...f.shape], dtype: info[name].dtype, data: f32 === f.data ? f32.slice() : f32 };
      }),
    };
  }

  private reader(request: string, datasetId: string): DatasetReader {
    const reader = this.readers.get(datasetId);
    if (!reader) throw new Error(`${request}: no open dataset '${datasetId}'`);
    return reader;
  }

  /** One image of an image field at one step (a single-row read), as uint8 bytes. */
  async frame(datasetId: string, episode: number, field: string, step: number): Promise<Extract<EngineEvent, { type: 'dataset/frame' }>> {
    const reader = this.reader('dataset/frame', datasetId);
    try {
      return await readFrame(reader, datasetId, episode, field, step);
    } catch (error) {
      throw new Error(`dataset/frame: ${oneLine(error)}`);
    }
  }

  /**
   * Where the viewer plays one episode of a video feature: the file is located inside the dataset
   * folder and granted to the media host under a fresh 128-bit token (once per episode and key).
   */
  async video(datasetId: string, episode: number, key: string): Promise<Extract<EngineEvent, { type: 'dataset/video' }>> {
    const reader = this.reader('dataset/video', datasetId);
    if (!this.media) throw new Error('dataset/video: this engine has no media host to play videos (state and action only)');
    try {
      const video = await locateVideo(reader, episode, key);
      const cacheKey = `${datasetId}\0${key}\0${episode}`;
      let url = this.videoUrls.get(cacheKey);
      if (!url) {
        const token = randomBytes(16).toString('hex');
        this.media.post({ type: 'video/grant', token, file: video.file, owner: `${this.owner}/${datasetId}` });
        url = videoUrl(this.media.host, token);
        this.videoUrls.set(cacheKey, url);
      }
      return videoEvent(datasetId, episode, key, video, url);
    } catch (error) {
      throw new Error(`dataset/video: ${oneLine(error)}`);
    }
  }

  /** Body poses of a built-in task along an episode (see replayEpisode). */
  async replay(datasetId: string, episode: number, task: string, fields?: readonly string[]): Promise<Extract<EngineEvent, { type: 'dataset/replay' }>> {
    const reader = this.reader('dataset/replay', datasetId);
    if (!this.tasks) throw new Error('dataset/replay: this engine has no tasks');
    try {
      return await replayEpisode(reader, datasetId, episode, task, fields, this.tasks);
    } catch (error) {
      throw new Error(`dataset/replay: ${oneLine(error)}`);
    }
  }

  /**
   * Stores a chunk of an uploaded file; after the last one, opens the file read-only. Resolves to
   * the progress event, and after the last chunk also the summary.
   */
  async upload(chunk: UploadChunk): Promise<EngineEvent[]> {
    const { received, path } = await this.uploads.receive(chunk);
    const progress: EngineEvent = { type: 'dataset/upload-progress', uploadId: chunk.uploadId, received, size: chunk.size, ...(path ? { path } : {}) };
    if (!path) return [progress];
    try {
      const summary = await this.open(path);
      this.uploadOf.set(summary.datasetId, chunk.uploadId);
      return [progress, summary];
    } catch (error) {
      await this.uploads.remove(chunk.uploadId);
      throw new Error(oneLine(error).replace(/^dataset\/open:/, 'dataset/upload:'));
    }
  }

  /** Writes episodes of an open dataset to `out` (relative paths against cwd) with exportDataset. */
  async export(datasetId: string, options: { to: ExportFormat; out: string; episodes?: number[]; state?: string[]; action?: string }): Promise<ExportedEvent> {
    const reader = this.reader('dataset/export', datasetId);
    const out = isAbsolute(options.out) ? options.out : resolve(this.cwd, options.out);
    try {
      const r = await exportDataset(reader.summary.path, { ...options, out });
      return { type: 'dataset/exported', datasetId, to: options.to, out, episodes: r.episodes, steps: r.steps, obsDim: r.obsDim, actDim: r.actDim, skipped: r.skipped };
    } catch (error) {
      throw new Error(`dataset/export: ${oneLine(error)}`);
    }
  }

  /** Closes one dataset (deleting its upload, if it was one); false if it was not open. */
  async close(datasetId: string): Promise<boolean> {
    const reader = this.readers.get(datasetId);
    if (!reader) return false;
    this.readers.delete(datasetId);
    this.revokeVideos(datasetId);
    await reader.close();
    const upload = this.uploadOf.get(datasetId);
    if (upload) {
      this.uploadOf.delete(datasetId);
      await this.uploads.remove(upload);
    }
    return true;
  }

  /** Closes every dataset and deletes this connection's uploads (the connection went away). */
  async closeAll(): Promise<void> {
    this.closed = true;
    this.revokeVideos();
    const readers = [...this.readers.values()];
    this.readers.clear();
    await Promise.allSettled(readers.map((r) => r.close()));
    await this.uploads.removeAll();
    // This connection's own uploads folder (created on its first upload).
    await rm(this.uploadsDir, { recursive: true, force: true });
  }

  /** Revokes the video grants of one dataset, or of the whole connection. */
  private revokeVideos(datasetId?: string): void {
    for (const k of [...this.videoUrls.keys()]) if (datasetId === undefined || k.startsWith(`${datasetId}\0`)) this.videoUrls.delete(k);
    this.media?.post({ type: 'video/revoke', owner: datasetId === undefined ? this.owner : `${this.owner}/${datasetId}` });
  }
}
