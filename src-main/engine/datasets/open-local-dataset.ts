import { checkFinite, type DatasetReader, DatasetError, type DatasetSummary, type FiniteScanOptions, openDataset } from '../../mbrl/data/formats';
import { localLocation } from './local-location';

/** Any error → a DatasetError naming the file (library errors become one line). */
function asDatasetError(error: unknown, path: string): DatasetError {
  if (error instanceof DatasetError) return error;
  const message = String((error as Error)?.message ?? error).split('\n')[0].trim();
  return new DatasetError(path, undefined, message || 'unreadable');
}

/**
 * Opens a recorded dataset (file or folder) read-only for browsing: metadata now, slices on demand.
 * Throws DatasetError. Close the reader when done.
 */
export async function openLocalDataset(path: string): Promise<DatasetReader> {
  try {
    return await openDataset(await localLocation(path));
  } catch (error) {
    throw asDatasetError(error, path);
  }
}

/**
 * `dataset inspect`: opens, checks every float array for NaN/Inf in bounded chunks, closes.
 * Returns the summary; throws DatasetError (one line) for anything unreadable.
 */
export async function inspectDataset(path: string, options: FiniteScanOptions = {}): Promise<DatasetSummary> {
  const reader = await openLocalDataset(path);
  try {
    await checkFinite(reader, options);
    return reader.summary;
  } catch (error) {
    throw asDatasetError(error, path);
  } finally {
    await reader.close();
  }
}
