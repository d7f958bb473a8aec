/**
 * The NaN/Inf scan of `dataset inspect`: every float array, read in chunks of bounded size, so a
 * dataset larger than memory is checked in constant memory.
 */
import type { DatasetReader } from './dataset-reader';
import { firstNonFinite, isFloat, rowSize } from './dtype';
import { DatasetError } from './sources';

export interface FiniteScanOptions {
  /** Elements read at a time (default 2^20: 4 MiB of float32). */
  chunkElements?: number;
  signal?: AbortSignal;
  /** Called after each chunk with float elements scanned so far and in all. */
  onProgress?: (done: number, total: number) => void;
}

/**
 * Throws a DatasetError naming the array, row and column of the first NaN or ±Inf in any float
 * array of the dataset. Returns the number of elements scanned.
 */
export async function checkFinite(reader: DatasetReader, options: FiniteScanOptions = {}): Promise<number> {
  const chunkElements = options.chunkElements ?? 1 << 20;
  const floats = Object.entries(reader.summary.arrays).filter(([, info]) => isFloat(info.dtype));
  const total = floats.reduce((n, [, info]) => n + (info.shape.length ? info.shape[0] : 1) * rowSize(info.shape), 0);
  let done = 0;
  for (const [path, info] of floats) {
    const rows = info.shape.length ? info.shape[0] : 1;
    const width = rowSize(info.shape);
    const chunkRows = Math.max(1, Math.floor(chunkElements / Math.max(1, width)));
    for (let start = 0; start < rows; start += chunkRows) {
      options.signal?.throwIfAborted();
      const end = Math.min(rows, start + chunkRows);
      const data = await reader.readArray(path, start, end);
      const at = firstNonFinite(data);
      if (at >= 0) {
        const value = Number(data[at]);
        const what = Number.isNaN(value) ? 'NaN' : value > 0 ? '+Inf' : '-Inf';
        const row = start + Math.floor(at / width);
        const column = width > 1 ? `, column ${at % width}` : '';
        const where = reader.describeRow(path, row);
        throw new DatasetError(reader.fileOf(path, row), path, `${what} at row ${row}${column}${where ? ` (${where})` : ''}`);
      }
      done += data.length;
      options.onProgress?.(done, total);
    }
  }
  return done;
}
