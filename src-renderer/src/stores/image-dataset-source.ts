import type { DatasetSummaryMessage, LatentJobSpec } from '@protocol';

/** A recorded image dataset as a job's training source (the `data` field of the latent and foresight job specs). */
export type ImageDatasetSourceSpec = NonNullable<LatentJobSpec['data']>;

/** Where an image model's frames come from: collected in a task, or read from a dataset file. */
export type ImageSourceKind = 'task' | 'dataset';

/**
 * The job's `data` for the dataset open in the Datasets store (its path on the engine's machine —
 * for a browser upload, the engine's stored copy) and the chosen image field; null when none is open
 * or the field is not one of its image arrays. `maxEpisodes` > 0 reads only the first that many.
 */
export function imageDatasetSource(summary: DatasetSummaryMessage | null, imageKey: string, imageKeys: readonly string[], maxEpisodes = 0): ImageDatasetSourceSpec | null {
  if (!summary || !imageKey || !imageKeys.includes(imageKey)) return null;
  return { dataset: summary.path, imageKey, ...(maxEpisodes > 0 ? { maxEpisodes: Math.round(maxEpisodes) } : {}) };
}

/** The file or folder name of a path, for labels. */
export function baseName(path: string): string {
  return path.replace(/[/\\]+$/, '').split(/[/\\]/).pop() ?? path;
}
