import { stat } from 'node:fs/promises';
import { isAbsolute, relative, resolve } from 'node:path';
import type { EngineEvent } from '../../protocol';
import { type DatasetReader, DatasetError, type VideoSegment } from '../../mbrl/data/formats';

type VideoEvent = Extract<EngineEvent, { type: 'dataset/video' }>;

/** An episode's video file on this machine and where the episode's frames sit in it. */
export interface LocatedVideo extends VideoSegment {
  /** Absolute path of the file, inside the dataset folder. */
  file: string;
  codec?: string;
}

/**
 * Finds the video file of one episode of a video feature: the reader's template filled in, resolved
 * inside the dataset folder (a template or metadata that points outside it, e.g. '../../x', is
 * refused), and present as a file. Throws DatasetError naming the file or key otherwise.
 */
export async function locateVideo(reader: DatasetReader, episode: number, key: string): Promise<LocatedVideo> {
  const { summary } = reader;
  const feature = summary.videos?.[key];
  if (!feature) throw new DatasetError(summary.path, key, 'not a video feature of this dataset');
  const ep = summary.episodes[episode];
  if (!ep) throw new DatasetError(summary.path, undefined, `no episode ${episode} (the dataset has ${summary.episodes.length})`);
  const segment = reader.videoOf(episode, key);
  if (!segment) throw new DatasetError(summary.path, key, `no video file listed for ${ep.name} (v3: meta/episodes lacks videos/${key}/from_timestamp)`);
  const file = resolve(summary.path, segment.rel);
  const inside = relative(summary.path, file);
  if (!inside || inside.startsWith('..') || isAbsolute(inside)) throw new DatasetError(summary.path, key, `video path '${segment.rel}' leads outside the dataset folder`);
  const info = await stat(file).catch(() => null);
  if (!info?.isFile()) throw new DatasetError(file, key, `missing video file for ${ep.name}`);
  return { ...segment, file, ...(feature.codec ? { codec: feature.codec } : {}) };
}

/** The `dataset/video` event for a located video and the URL granted for it. */
export function videoEvent(datasetId: string, episode: number, key: string, video: LocatedVideo, url: string): VideoEvent {
  return { type: 'dataset/video', datasetId, episode, key, url, from: video.from, to: video.to, fps: video.fps, frames: video.frames, ...(video.codec ? { codec: video.codec } : {}) };
}
