/**
 * What the format parsers read through. The parsers in this folder are pure: they never touch a file
 * system. The engine (src-main/engine/datasets) implements these interfaces over real files (node fs,
 * h5wasm, a zip reader); tests may implement them over memory. Every access is lazy: opening gives
 * names, shapes and dtypes from metadata, and data arrives only as row slices.
 */
import type { DType, NumericArray } from './dtype';

/** Random access to the bytes of one file. */
export interface ByteSource {
  /** The file's path, for messages. */
  readonly name: string;
  readonly byteLength: number;
  /** Bytes [offset, offset + length); fewer only where the file ends first. */
  read(offset: number, length: number): Promise<Uint8Array>;
  close(): Promise<void>;
}

/** An n-dimensional array read by rows along its first axis. */
export interface LazyArray {
  /** Full shape; shape[0] is the number of rows. */
  readonly shape: readonly number[];
  readonly dtype: DType;
  /**
   * Rows [start, end), row-major: [end - start, ...shape.slice(1)] elements of `dtype`.
   * Throws a DatasetError where the stored data cannot be read.
   */
  readRows(start: number, end: number): Promise<NumericArray>;
  /** The whole array as strings (string arrays only: robomimic's mask lists). */
  readStrings?(): Promise<string[]>;
}

/** A tree of groups and arrays: an HDF5 file, or an .npz archive (one flat group). */
export interface ArrayGroup {
  /** Path from the container's root ('' for the root). */
  readonly path: string;
  groupNames(): string[];
  arrayNames(): string[];
  group(name: string): ArrayGroup | undefined;
  array(name: string): LazyArray | undefined;
  /** Attributes as plain values (numbers, strings, arrays of them). */
  attrs(): Record<string, unknown>;
}

/** An open container file: its root group, and a close. */
export interface Container {
  readonly name: string;
  readonly kind: 'hdf5' | 'npz';
  readonly root: ArrayGroup;
  close(): Promise<void>;
}

/**
 * Where a dataset lives: one file, or a folder of files (Minari, LeRobot). Paths (rel) use '/'.
 * For a folder they are relative to it; for a file, '' is the file itself and other paths are
 * relative to its folder (Minari's metadata.json beside main_data.hdf5).
 */
export interface DatasetLocation {
  /** What the user named, for messages. */
  readonly path: string;
  readonly isDirectory: boolean;
  exists(rel: string): Promise<boolean>;
  /** Names in a folder (files and folders), sorted. */
  list(rel: string): Promise<string[]>;
  readText(rel: string): Promise<string>;
  openBytes(rel: string): Promise<ByteSource>;
  /** Opens an HDF5 file or an .npz archive as a tree of arrays. */
  openContainer(rel: string): Promise<Container>;
  /** The path to show for rel (joined with `path`). */
  display(rel: string): string;
}

/**
 * A dataset that cannot be read. The message is one line naming the file, the array (where one is
 * at fault) and what is wrong: "demo.hdf5: data/demo_1/actions: shape mismatch: …".
 */
export class DatasetError extends Error {
  constructor(
    readonly file: string,
    readonly array: string | undefined,
    readonly problem: string,
  ) {
    super([file, array, problem].filter((s) => s !== undefined && s !== '').join(': ').replace(/\s*\n\s*/g, ' '));
    this.name = 'DatasetError';
  }
}

/** Joins path parts with '/', skipping empty ones. */
export function joinPath(...parts: string[]): string {
  return parts.filter((p) => p !== '').join('/');
}

/** The array or group at a '/'-separated path below `root`. */
export function resolveArray(root: ArrayGroup, path: string): LazyArray | undefined {
  const parts = path.split('/');
  let group: ArrayGroup | undefined = root;
  for (const part of parts.slice(0, -1)) group = group?.group(part);
  return group?.array(parts[parts.length - 1]);
}

export function resolveGroup(root: ArrayGroup, path: string): ArrayGroup | undefined {
  let group: ArrayGroup | undefined = root;
  for (const part of path.split('/').filter((p) => p !== '')) group = group?.group(part);
  return group;
}

/** Every array below `group`, depth first, by path relative to `group` ('obs/agentview_image'). */
export function listArrays(group: ArrayGroup, prefix = ''): Array<{ path: string; array: LazyArray }> {
  const out: Array<{ path: string; array: LazyArray }> = [];
  for (const name of group.arrayNames()) {
    const array = group.array(name);
    if (array) out.push({ path: joinPath(prefix, name), array });
  }
  for (const name of group.groupNames()) {
    const child = group.group(name);
    if (child) out.push(...listArrays(child, joinPath(prefix, name)));
  }
  return out;
}

/** Sorts names like demo_2, demo_10 by their number. */
export function naturalSort(names: string[]): string[] {
  const num = (s: string) => Number(/(\d+)$/.exec(s)?.[1] ?? NaN);
  return [...names].sort((a, b) => num(a) - num(b) || a.localeCompare(b));
}

/** The value most entries agree on (ties: the first seen). Used to blame the one array whose rows differ. */
export function majority(values: number[]): number {
  const counts = new Map<number, number>();
  for (const v of values) counts.set(v, (counts.get(v) ?? 0) + 1);
  let best = values[0];
  for (const [v, n] of counts) if (n > (counts.get(best) ?? 0)) best = v;
  return best;
}
