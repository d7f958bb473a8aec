/**
 * HDF5 files through h5wasm (the HDF5 C library compiled to WebAssembly; its Node build reads real
 * files by path). Files are opened read-only ('r'); shapes and dtypes come from metadata and data
 * only as hyperslabs (row slices), so files larger than memory stay browsable.
 */
import type { Dataset, Group, Metadata } from 'h5wasm';
import { type ArrayGroup, type Container, DatasetError, type DType, type LazyArray, type NumericArray, allocate } from '../../mbrl/data/formats';

// HDF5 type classes (H5Tpublic.h: H5T_class_t).
const H5T_INTEGER = 0;
const H5T_FLOAT = 1;
const H5T_STRING = 3;
const H5T_ENUM = 8;

type H5wasm = typeof import('h5wasm/node').default;
let ready: Promise<H5wasm> | undefined;

/**
 * Loads the module once, on the first HDF5 file (it is a 4 MB WebAssembly build: readers of
 * Parquet or .npz never pay for it). The throwing error handler turns HDF5's error stack into an
 * exception instead of printing it to stderr, so a corrupt file gives one line, not forty.
 */
function init(): Promise<H5wasm> {
  ready ??= import('h5wasm/node').then(async ({ default: h5wasm }) => {
    const module = await h5wasm.ready;
    module.activate_throwing_error_handler();
    return h5wasm;
  });
  return ready;
}

/** HDF5's error stack (or any error) → one line saying what is wrong. */
export function hdf5Problem(error: unknown): string {
  const text = String((error as Error)?.message ?? error);
  const truncated = /truncated file: eof = (\d+).*stored_eof = (\d+)/.exec(text);
  if (truncated) return `truncated: ${truncated[1]} bytes, the HDF5 superblock says ${truncated[2]}`;
  if (/file signature not found/.test(text)) return 'not an HDF5 file (no HDF5 signature)';
  // The innermost frame says what actually failed: "#012: …/H5Centry.c line 1228 in H5C__load_entry(): incorrect metadata checksum …".
  const frames = [...text.matchAll(/#\d+: .* in \w+\(\): (.*)/g)].map((m) => m[1].trim());
  const inner = frames[frames.length - 1];
  return inner ? `corrupt HDF5 data (${inner})` : text.split('\n')[0].trim() || 'unreadable HDF5 file';
}

function isH5pyBool(meta: Metadata): boolean {
  const members = meta.enum_type?.members;
  return !!members && Object.keys(members).length === 2 && members.FALSE === 0 && members.TRUE === 1;
}

/** numpy dtype name of a dataset's HDF5 type. h5py stores bool as an enum {FALSE: 0, TRUE: 1}. */
export function dtypeOfMetadata(meta: Metadata): DType {
  if (meta.type === H5T_ENUM) {
    if (isH5pyBool(meta)) return 'bool';
    const base = meta.enum_type as unknown as Metadata | undefined;
    return base ? dtypeOfMetadata({ ...meta, type: base.type }) : 'other';
  }
  if (meta.type === H5T_INTEGER) return ([1, 2, 4, 8].includes(meta.size) ? `${meta.signed ? 'int' : 'uint'}${meta.size * 8}` : 'other') as DType;
  if (meta.type === H5T_FLOAT) return ({ 2: 'float16', 4: 'float32', 8: 'float64' } as Record<number, DType>)[meta.size] ?? 'other';
  if (meta.type === H5T_STRING) return 'string';
  return 'other';
}

/** Attribute values as plain JSON-able values; unreadable attributes are skipped. */
function readAttrs(node: Group | Dataset): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (const [name, attr] of Object.entries(node.attrs)) {
    try {
      out[name] = attr.json_value;
    } catch {
      // An attribute of a type h5wasm cannot convert: not needed for reading the dataset.
    }
  }
  return out;
}

function datasetArray(ds: Dataset, file: string, path: string): LazyArray {
  const meta = ds.metadata;
  const dtype = dtypeOfMetadata(meta);
  const shape = meta.shape ?? [];
  const fail = (error: unknown) => (error instanceof DatasetError ? error : new DatasetError(file, path, hdf5Problem(error)));
  return {
    shape,
    dtype,
    async readRows(start: number, end: number): Promise<NumericArray> {
      if (dtype === 'string' || dtype === 'other' || dtype === 'float16') throw new DatasetError(file, path, `dtype ${dtype} is listed, not read`);
      try {
        if (end <= start) return allocate(dtype, 0);
        const value = shape.length === 0 ? ds.value : ds.slice([[start, end]]);
        if (typeof value === 'number' || typeof value === 'bigint' || typeof value === 'boolean') {
          // A scalar dataset: one element of its dtype.
          const one = allocate(dtype, 1);
          if (one instanceof BigInt64Array || one instanceof BigUint64Array) one[0] = BigInt(value);
          else one[0] = Number(value);
          return one;
        }
        // h5py bools (an int8 enum) arrive as Int8Array: present them as 0/1 bytes.
        if (dtype === 'bool' && value instanceof Int8Array) return new Uint8Array(value.buffer, value.byteOffset, value.length);
        return value as NumericArray;
      } catch (error) {
        throw fail(error);
      }
    },
    async readStrings(): Promise<string[]> {
      try {
        const value = ds.value;
        return (Array.isArray(value) ? value : [value]).map((v) => (v instanceof Uint8Array ? new TextDecoder().decode(v) : String(v)));
      } catch (error) {
        throw fail(error);
      }
    },
  };
}

class H5Group implements ArrayGroup {
  private kids?: { groups: Map<string, Group>; arrays: Map<string, Dataset> };

  constructor(
    private readonly h5wasm: H5wasm,
    private readonly node: Group,
    readonly path: string,
    private readonly file: string,
  ) {}

  /** Children, classified once (h5wasm makes an object per get). Links to nowhere are skipped. */
  private children() {
    if (this.kids) return this.kids;
    const groups = new Map<string, Group>();
    const arrays = new Map<string, Dataset>();
    try {
      for (const name of this.node.keys()) {
        const child = this.node.get(name);
        if (child instanceof this.h5wasm.Group) groups.set(name, child);
        else if (child instanceof this.h5wasm.Dataset) arrays.set(name, child);
      }
    } catch (error) {
      throw new DatasetError(this.file, this.path || '/', hdf5Problem(error));
    }
    this.kids = { groups, arrays };
    return this.kids;
  }

  groupNames(): string[] {
    return [...this.children().groups.keys()];
  }

  arrayNames(): string[] {
    return [...this.children().arrays.keys()];
  }

  group(name: string): ArrayGroup | undefined {
    const g = this.children().groups.get(name);
    return g ? new H5Group(this.h5wasm, g, this.path ? `${this.path}/${name}` : name, this.file) : undefined;
  }

  array(name: string): LazyArray | undefined {
    const ds = this.children().arrays.get(name);
    if (!ds) return undefined;
    const path = this.path ? `${this.path}/${name}` : name;
    try {
      return datasetArray(ds, this.file, path);
    } catch (error) {
      throw new DatasetError(this.file, path, hdf5Problem(error));
    }
  }

  attrs(): Record<string, unknown> {
    try {
      return readAttrs(this.node);
    } catch {
      return {};
    }
  }
}

/** Opens an HDF5 file read-only. `name` is how messages name it. Throws DatasetError. */
export async function openHdf5(path: string, name: string): Promise<Container> {
  const h5wasm = await init();
  let file: InstanceType<H5wasm['File']>;
  try {
    file = new h5wasm.File(path, 'r');
  } catch (error) {
    throw new DatasetError(name, undefined, hdf5Problem(error));
  }
  let open = true;
  return {
    name,
    kind: 'hdf5',
    root: new H5Group(h5wasm, file, '', name),
    async close() {
      if (open) file.close();
      open = false;
    },
  };
}
