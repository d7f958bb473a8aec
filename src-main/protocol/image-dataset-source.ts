import { z } from 'zod';

/**
 * A recorded image dataset as the source of an image model's training data (issues 6 and 7): the
 * alternative to collecting episodes in a task. The engine reads it with
 * src-main/engine/datasets/image-episode-source.ts: frames of `imageKey` resized to the model's
 * size, the actions between them, and a true state for colouring where the dataset has one.
 * robomimic/D4RL/Minari HDF5 and .npz image arrays work; LeRobot video features do not (only the
 * renderer's video decoder reads their frames).
 */
export const ImageDatasetSource = z.strictObject({
  /** Path of the dataset file or folder on the engine's machine (as the Datasets view opens it). */
  dataset: z.string().min(1).max(4096),
  /** The image field, as the dataset summary names it ('obs/agentview_image'). */
  imageKey: z.string().min(1).max(256),
  /** The action field (default: the dataset's action role). */
  actionKey: z.string().min(1).max(256).optional(),
  /** Vector fields concatenated into the true state used for colouring (default: the observation role's; none: the step index). */
  stateKeys: z.array(z.string().min(1).max(256)).max(32).optional(),
  /** Read at most this many episodes (default: all). */
  maxEpisodes: z.number().int().min(1).max(100_000).optional(),
});

export type ImageDatasetSource = z.infer<typeof ImageDatasetSource>;

/** A frame of a recorded dataset: episode index and step (0-based) — where visual foresight starts from. */
export const DatasetFrameRef = z.strictObject({
  episode: z.number().int().min(0).max(10_000_000),
  step: z.number().int().min(0).max(10_000_000),
});

/**
 * Visual foresight on a recorded dataset: the model's predicted frames from a dataset frame under
 * the actions recorded after it (no simulator there, so nothing is executed; the recorded frames are
 * shown beside the prediction), with each designated pixel's probability map.
 */
export const RecordedPrediction = z.strictObject({
  /** Steps predicted (clipped to the steps left in the episode). */
  horizon: z.number().int().min(1).max(100),
  /** Designated pixels {x: column, y: row} whose distributions are propagated (may be empty). */
  designated: z.array(z.strictObject({ x: z.number().int().min(0).max(1023), y: z.number().int().min(0).max(1023) })).max(8),
});
