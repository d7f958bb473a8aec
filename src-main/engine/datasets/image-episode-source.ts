import { DatasetError } from '../../mbrl/data/formats';
import { readImageEpisodes, type ImageEpisodeOptions, type ImageEpisodeSet } from '../../mbrl/data/image-episode-source';
import type { ImageDatasetSource } from '../../protocol/image-dataset-source';
import { openLocalDataset } from './open-local-dataset';

/** What a job adds to the source: the model's frame size, the episodes wanted, how short is too short. */
export type ImageEpisodeRequest = Pick<ImageEpisodeOptions, 'width' | 'height' | 'episodes' | 'minFrames' | 'maxBytes' | 'signal' | 'onEpisode'>;

/**
 * The image episodes of a recorded dataset on this machine, for the latent and video jobs: opens
 * the file or folder read-only, reads the frames of `source.imageKey` resized to the model's size
 * (RGB bytes), the actions, rewards and a colouring state, and closes it. Every failure is a
 * DatasetError whose one line names the file and the field.
 */
export async function loadImageEpisodes(source: ImageDatasetSource, request: ImageEpisodeRequest = {}): Promise<ImageEpisodeSet> {
  const reader = await openLocalDataset(source.dataset);
  try {
    return await readImageEpisodes(reader, {
      imageKey: source.imageKey,
      actionKey: source.actionKey,
      stateKeys: source.stateKeys,
      maxEpisodes: source.maxEpisodes,
      ...request,
    });
  } catch (error) {
    if (error instanceof DatasetError) throw error;
    throw new DatasetError(source.dataset, source.imageKey, String((error as Error)?.message ?? error).split('\n')[0]);
  } finally {
    await reader.close();
  }
}

