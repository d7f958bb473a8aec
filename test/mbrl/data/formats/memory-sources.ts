/**
 * In-memory implementations of the parsers' sources (no fs, no h5wasm): arrays, groups, bytes and
 * folders, with read counters so tests can check that reads stay lazy.
 */
import { type ArrayGroup, type ByteSource, type Container, DatasetError, type DatasetLocation, type DType, type LazyArray, type NumericArray, rowSize } from '../../../../src-main/mbrl/data/formats';

/** Elements as a plain array (bigints stay bigints). */
export const list = (a: NumericArray): Array<number | bigint> => Array.from(a as ArrayLike<number | bigint>);

/** Calls to readRows as [start, end) pairs. */
export type ReadLog = Array<[number, number]>;

export function memoryArray(data: NumericArray | string[], shape: number[], dtype: DType, log?: ReadLog): LazyArray {
  const width = rowSize(shape);
  return {
    shape,
    dtype,
    async readRows(start, end) {
      log?.push([start, end]);
      if (Array.isArray(data)) throw new Error('strings');
      return data.slice(start * width, end * width);
    },
    readStrings: Array.isArray(data) ? async () => data : undefined,
  };
}

/** A float64 array of value(row, column) = row + column / 10 (+ base); width 0: 1-D [rows]. */
export function f64(rows: number, width: number, base = 0, log?: ReadLog): LazyArray {
  const w = Math.max(1, width);
  const data = Float64Array.from({ length: rows * w }, (_, i) => base + Math.floor(i / w) + (i % w) / 10);
  return memoryArray(data, width === 0 ? [rows] : [rows, width], 'float64', log);
}

export function u8(values: number[]): LazyArray {
  return memoryArray(Uint8Array.from(values), [values.length], 'uint8');
}

export interface Tree {
  [name: string]: LazyArray | Tree;
}

const isArray = (x: LazyArray | Tree): x is LazyArray => typeof (x as LazyArray).readRows === 'function';

/** A group tree; attrs by group path ('' for the root, 'data', 'data/demo_0'). */
export function memoryGroup(tree: Tree, attrs: Record<string, Record<string, unknown>> = {}, path = ''): ArrayGroup {
  return {
    path,
    groupNames: () => Object.keys(tree).filter((k) => !isArray(tree[k])),
    arrayNames: () => Object.keys(tree).filter((k) => isArray(tree[k])),
    group: (name) => (tree[name] && !isArray(tree[name]) ? memoryGroup(tree[name] as Tree, attrs, path ? `${path}/${name}` : name) : undefined),
    array: (name) => (tree[name] && isArray(tree[name]) ? (tree[name] as LazyArray) : undefined),
    attrs: () => attrs[path] ?? {},
  };
}

/** Bytes as a ByteSource; `counter.bytes` adds up what was read. */
export function memoryBytes(name: string, bytes: Uint8Array, counter?: { bytes: number; closed?: number }): ByteSource {
  return {
    name,
    byteLength: bytes.length,
    async read(offset, length) {
      const out = bytes.slice(offset, Math.min(bytes.length, offset + length));
      if (counter) counter.bytes += out.length;
      return out;
    },
    async close() {
      if (counter) counter.closed = (counter.closed ?? 0) + 1;
    },
  };
}

/** A folder of files in memory; containers (HDF5 stand-ins) by relative path. */
export function memoryLocation(path: string, files: Record<string, Uint8Array | string>, containers: Record<string, ArrayGroup> = {}, counter?: { bytes: number; closed?: number }): DatasetLocation {
  const all = [...Object.keys(files), ...Object.keys(containers)];
  const display = (rel: string) => (rel ? `${path}/${rel}` : path);
  const bytesOf = (rel: string) => {
    const f = files[rel];
    if (f === undefined) throw new DatasetError(display(rel), undefined, 'missing required file');
    return typeof f === 'string' ? new TextEncoder().encode(f) : f;
  };
  return {
    path,
    isDirectory: true,
    display,
    exists: async (rel) => all.some((f) => f === rel || f.startsWith(`${rel}/`)),
    list: async (rel) => [...new Set(all.filter((f) => f.startsWith(`${rel}/`)).map((f) => f.slice(rel.length + 1).split('/')[0]))].sort(),
    readText: async (rel) => new TextDecoder().decode(bytesOf(rel)),
    openBytes: async (rel) => memoryBytes(display(rel), bytesOf(rel), counter),
    openContainer: async (rel): Promise<Container> => {
      const root = containers[rel];
      if (!root) throw new DatasetError(display(rel), undefined, 'no such container');
      return { name: display(rel), kind: 'hdf5', root, close: async () => {} };
    },
  };
}
