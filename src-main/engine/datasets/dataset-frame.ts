import type { EngineEvent } from '../../protocol';
import { type DatasetReader, DatasetError } from '../../mbrl/data/formats';

type FrameEvent = Extract<EngineEvent, { type: 'dataset/frame' }>;

/** Largest image sent in one frame event (a 4K RGBA frame is 33 MB; nothing here is that big). */
const MAX_FRAME_BYTES = 64 * 1024 * 1024;

/** Whether a field holds images: uint8 with step shape [H, W] or [H, W, C], C ∈ {1, 3, 4}. */
export function isImageField(info: { shape: number[]; dtype: string } | undefined): boolean {
  if (!info || info.dtype !== 'uint8') return false;
  const [h, w, c = 1] = info.shape;
  return (info.shape.length === 2 || info.shape.length === 3) && h > 0 && w > 0 && [1, 3, 4].includes(c);
}

/**
 * One image of an image field (robomimic obs/<key> uint8 [N, H, W, 3]) at one step of an episode,
 * read as a single-row slice, so scrubbing a file of many gigabytes of frames reads one frame.
 * Throws DatasetError naming the field where it is not an image field or the step is outside.
 */
export async function readFrame(reader: DatasetReader, datasetId: string, episode: number, field: string, step: number): Promise<FrameEvent> {
  const { summary } = reader;
  const info = summary.fields[field];
  if (!info) throw new DatasetError(summary.path, field, 'no such field');
  if (!isImageField(info)) throw new DatasetError(summary.path, field, `not an image field (${info.dtype} [${info.shape.join(', ')}] per step; expected uint8 [H, W, 3])`);
  const ep = summary.episodes[episode];
  if (!ep) throw new DatasetError(summary.path, undefined, `no episode ${episode} (the dataset has ${summary.episodes.length})`);
  const rows = ep.length + (info.rows === 'steps+1' ? 1 : 0);
  if (step >= rows) throw new DatasetError(summary.path, field, `step ${step} is outside ${ep.name} (${rows} rows)`);
  const [height, width, channels = 1] = info.shape;
  if (height * width * channels > MAX_FRAME_BYTES) throw new DatasetError(summary.path, field, `frames of ${height}×${width}×${channels} are too large to show`);
  const data = (await reader.readEpisode(episode, [field], { start: step, end: step + 1 }))[field].data;
  if (!(data instanceof Uint8Array) || data.length !== height * width * channels) throw new DatasetError(summary.path, field, `read ${data.length} bytes for a ${height}×${width}×${channels} frame`);
  // A copy that owns its buffer, so it can be transferred without detaching the reader's memory.
  return { type: 'dataset/frame', datasetId, episode, field, step, height, width, channels, data: data.slice() };
}
