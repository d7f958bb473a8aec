/**
 * Writes .npz archives: .npy members (format version 1.0) zipped stored (level 0) with fflate, so
 * NumPy's np.load and our own reader (npz-container.ts) read them back by byte range. The archive
 * is written beside the target and renamed over it (atomic).
 */
import { rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { zipSync } from 'fflate';

/** A member's elements; Uint8Array with descr '|b1' for bool. */
export interface NpyArray {
  data: Float32Array | Float64Array | Uint8Array | Int32Array | BigInt64Array;
  shape: number[];
  /** NumPy's descr: '<f4', '<f8', '|b1', '|u1', '<i4', '<i8'. */
  descr: string;
}

/** The header of a .npy file (format 1.0): magic, version, a dict padded so the data starts at a multiple of 64. */
export function npyHeader(descr: string, shape: number[]): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  dict += ' '.repeat((64 - ((10 + dict.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + dict.length);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, dict.length, true);
  out.set(new TextEncoder().encode(dict), 10);
  return out;
}

/** One .npy file: magic, version 1.0, a header dict padded to 64 bytes, then the raw little-endian elements. */
export function npyBytes({ data, shape, descr }: NpyArray): Uint8Array {
  const header = npyHeader(descr, shape);
  const out = new Uint8Array(header.length + data.byteLength);
  out.set(header);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), header.length);
  return out;
}

/** Writes `arrays` (by name, without '.npy') as an uncompressed .npz at `path`, atomically. */
export async function writeNpz(path: string, arrays: Record<string, NpyArray>): Promise<void> {
  const members: Record<string, Uint8Array> = {};
  for (const [name, array] of Object.entries(arrays)) members[`${name}.npy`] = npyBytes(array);
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  try {
    await writeFile(tmp, zipSync(members, { level: 0 }));
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw error;
  }
}
