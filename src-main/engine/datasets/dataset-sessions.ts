import { isAbsolute, resolve } from 'node:path';
import type { EngineEvent } from '../../protocol';
import { type DatasetReader, type DatasetSummary, toFloat32 } from '../../mbrl/data/formats';
import { openLocalDataset } from './open-local-dataset';

type SummaryEvent = Extract<EngineEvent, { type: 'dataset/summary' }>;
type EpisodeEvent = Extract<EngineEvent, { type: 'dataset/episode' }>;

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

  /** `cwd`: what relative paths are resolved against (the engine's working folder). */
  constructor(private readonly cwd: string = process.cwd()) {}

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

  /** Closes one dataset; false if it was not open. */
  async close(datasetId: string): Promise<boolean> {
    const reader = this.readers.get(datasetId);
    if (!reader) return false;
    this.readers.delete(datasetId);
    await reader.close();
    return true;
  }

  /** Closes every dataset (the connection went away). */
  async closeAll(): Promise<void> {
    this.closed = true;
    const readers = [...this.readers.values()];
    this.readers.clear();
    await Promise.allSettled(readers.map((r) => r.close()));
  }
}
