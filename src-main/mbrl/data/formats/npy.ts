/**
 * NumPy's .npy format, read lazily. Written here rather than taken from a package because the format
 * is tiny and fixed (a magic string, a version, a length, then a Python dict literal naming dtype,
 * order and shape; then the raw elements), while the npm readers we looked at load the whole file
 * into memory: owning the ~100 lines lets a reader compute the byte range of any row slice, so a
 * replay buffer larger than memory stays browsable.
 * Spec: numpy/lib/format.py ("NPY format version 1.0 … 3.0").
 */
import { type DType, type NumericArray, allocate, formatShape, halfToFloat, itemSize, rowSize } from './dtype';
import { type ByteSource, DatasetError, type LazyArray } from './sources';

export interface NpyHeader {
  dtype: DType;
  /** The descr as written, e.g. '<f4'. */
  descr: string;
  littleEndian: boolean;
  fortranOrder: boolean;
  shape: number[];
  /** Byte offset of the first element. */
  dataOffset: number;
}

const MAGIC = [0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59]; // \x93NUMPY

/** Bytes to read to be sure of having the whole header (headers are padded to 64 bytes, rarely >1 KiB). */
export const NPY_PREAMBLE_BYTES = 12;

function dtypeOfDescr(descr: string): DType {
  const m = /^[<>|=]?([biufUSOMmV])(\d*)$/.exec(descr);
  if (!m) return 'other';
  const [, kind, size] = m;
  if (kind === 'b') return 'bool';
  if (kind === 'f') return ({ '2': 'float16', '4': 'float32', '8': 'float64' } as Record<string, DType>)[size] ?? 'other';
  if (kind === 'i' || kind === 'u') {
    const bits = Number(size) * 8;
    return ([8, 16, 32, 64].includes(bits) ? `${kind === 'i' ? 'int' : 'uint'}${bits}` : 'other') as DType;
  }
  if (kind === 'U' || kind === 'S') return 'string';
  return 'other';
}

/** Parses a header; `bytes` must hold at least the preamble and the dict (see headerLength). */
export function parseNpyHeader(bytes: Uint8Array): NpyHeader {
  if (bytes.length < 10 || MAGIC.some((b, i) => bytes[i] !== b)) throw new Error('not a .npy file (no \\x93NUMPY magic)');
  const major = bytes[6];
  if (major < 1 || major > 3) throw new Error(`unknown .npy version ${major}.${bytes[7]}`);
  const { start, length } = headerSpan(bytes);
  if (bytes.length < start + length) throw new Error('truncated in the .npy header');
  const text = new TextDecoder(major >= 3 ? 'utf-8' : 'latin1').decode(bytes.subarray(start, start + length));
  const descr = /['"]descr['"]\s*:\s*['"]([^'"]*)['"]/.exec(text)?.[1];
  const fortran = /['"]fortran_order['"]\s*:\s*(True|False)/.exec(text)?.[1];
  const shapeText = /['"]shape['"]\s*:\s*\(([^)]*)\)/.exec(text)?.[1];
  if (descr === undefined) {
    if (/['"]descr['"]\s*:\s*\[/.test(text)) throw new Error('structured dtypes are not supported');
    throw new Error(`unreadable .npy header: ${text.trim().slice(0, 80)}`);
  }
  if (fortran === undefined || shapeText === undefined) throw new Error(`unreadable .npy header: ${text.trim().slice(0, 80)}`);
  const shape = shapeText
    .split(',')
    .map((s) => s.trim().replace(/L$/, ''))
    .filter((s) => s !== '')
    .map(Number);
  if (shape.some((d) => !Number.isInteger(d) || d < 0)) throw new Error(`bad shape (${shapeText}) in the .npy header`);
  return { dtype: dtypeOfDescr(descr), descr, littleEndian: !descr.startsWith('>'), fortranOrder: fortran === 'True', shape, dataOffset: start + length };
}

/** Where the dict sits: version 1 has a 2-byte length, versions 2 and 3 a 4-byte one. */
export function headerSpan(bytes: Uint8Array): { start: number; length: number } {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return bytes[6] === 1 ? { start: 10, length: view.getUint16(8, true) } : { start: 12, length: view.getUint32(8, true) };
}

/**
 * Opens a .npy held by `source` as a LazyArray. `file` and `array` name it in errors (for an .npz
 * member: the archive and the member). Checks that the data is all there before any read.
 */
export async function openNpy(source: ByteSource, file: string, array: string): Promise<LazyArray & { header: NpyHeader }> {
  const fail = (problem: string) => new DatasetError(file, array, problem);
  if (source.byteLength === 0) throw fail('empty file');
  const pre = await source.read(0, NPY_PREAMBLE_BYTES);
  if (pre.length < 10 || MAGIC.some((b, i) => pre[i] !== b)) throw fail(pre.length < 6 && MAGIC.slice(0, pre.length).every((b, i) => pre[i] === b) ? 'truncated in the .npy header' : 'not a .npy file (no \\x93NUMPY magic)');
  const { start, length } = headerSpan(pre);
  const bytes = await source.read(0, start + length);
  let header: NpyHeader;
  try {
    header = parseNpyHeader(bytes);
  } catch (error) {
    throw fail((error as Error).message);
  }
  const size = itemSize(header.dtype);
  const count = header.shape.reduce((a, b) => a * b, 1);
  const need = header.dataOffset + count * size;
  if (size > 0 && source.byteLength < need) {
    throw fail(`truncated: the header says ${formatShape(header.shape)} ${header.dtype} (${count * size} bytes of data), ${Math.max(0, source.byteLength - header.dataOffset)} bytes are there`);
  }
  const rowBytes = rowSize(header.shape) * size;
  return {
    header,
    shape: header.shape,
    dtype: header.dtype,
    async readRows(startRow: number, endRow: number): Promise<NumericArray> {
      if (size === 0) throw fail(`dtype ${header.descr} is not numeric: listed, not readable`);
      if (header.fortranOrder && header.shape.length > 1) throw fail('stored in Fortran order: listed, not readable');
      const rows = header.shape.length === 0 ? 1 : endRow - startRow;
      const want = rows * rowBytes;
      const raw = await source.read(header.dataOffset + startRow * rowBytes, want);
      if (raw.length < want) throw fail(`truncated: rows ${startRow}..${endRow} end past the data (${raw.length} of ${want} bytes)`);
      return decode(raw, header, rows * rowSize(header.shape));
    },
  };
}

/** Raw little- or big-endian bytes → a typed array (a fresh, aligned copy). */
export function decode(raw: Uint8Array, header: Pick<NpyHeader, 'dtype' | 'littleEndian'>, count: number): NumericArray {
  const size = itemSize(header.dtype);
  const bytes = raw.slice(0, count * size);
  if (!header.littleEndian && size > 1) {
    for (let i = 0; i < bytes.length; i += size) bytes.subarray(i, i + size).reverse();
  }
  if (header.dtype === 'float16') {
    const halves = new Uint16Array(bytes.buffer, 0, count);
    const out = new Float32Array(count);
    for (let i = 0; i < count; i++) out[i] = halfToFloat(halves[i]);
    return out;
  }
  const out = allocate(header.dtype, 0);
  const Ctor = out.constructor as new (buffer: ArrayBuffer, offset: number, length: number) => NumericArray;
  return new Ctor(bytes.buffer, 0, count);
}
