/**
 * A Parquet file as columns of typed rows, read lazily with hyparquet (pure JavaScript: it asks the
 * ByteSource for the footer, then only for the column chunks of the rows requested). Pages may be
 * compressed with any codec pyarrow writes (LeRobot's files use snappy or zstd): hyparquet-compressors
 * decodes snappy, gzip, brotli, zstd, lz4 and lz4_raw.
 */
import { type AsyncBuffer, type FileMetaData, type SchemaTree, parquetMetadataAsync, parquetReadObjects, parquetSchema } from 'hyparquet';
import { compressors } from 'hyparquet-compressors';
import { type DType, type NumericArray, allocate } from './dtype';
import { type ByteSource, DatasetError } from './sources';

export interface ParquetColumn {
  dtype: DType;
  /** True for list columns (LeRobot's observation.state, action: one list of D values a row). */
  list: boolean;
}

const MAGIC = 0x31524150; // 'PAR1' little-endian

function leafDtype(tree: SchemaTree): DType {
  const e = tree.element;
  const logical = e.logical_type;
  if (logical?.type === 'FLOAT16') return 'float16';
  if (logical?.type === 'INTEGER') return `${logical.isSigned ? 'int' : 'uint'}${logical.bitWidth}` as DType;
  switch (e.converted_type) {
    case 'INT_8': return 'int8';
    case 'INT_16': return 'int16';
    case 'UINT_8': return 'uint8';
    case 'UINT_16': return 'uint16';
    case 'UINT_32': return 'uint32';
    case 'UINT_64': return 'uint64';
    case 'UTF8': return 'string';
  }
  switch (e.type) {
    case 'BOOLEAN': return 'bool';
    case 'INT32': return 'int32';
    case 'INT64': return 'int64';
    case 'FLOAT': return 'float32';
    case 'DOUBLE': return 'float64';
    case 'BYTE_ARRAY': return 'string';
    default: return 'other';
  }
}

/** A column's element type, looking through list nesting to the leaf. */
function describe(tree: SchemaTree): ParquetColumn {
  let node = tree;
  let list = false;
  while (node.children.length === 1) {
    node = node.children[0];
    list = true;
  }
  return { dtype: node.children.length ? 'other' : leafDtype(node), list };
}

function asyncBuffer(source: ByteSource): AsyncBuffer {
  return {
    byteLength: source.byteLength,
    async slice(start: number, end?: number) {
      const bytes = await source.read(start, (end ?? source.byteLength) - start);
      return bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? (bytes.buffer as ArrayBuffer) : (bytes.slice().buffer as ArrayBuffer);
    },
  };
}

/** Appends the numbers of a (possibly nested) row value to out from `at`; returns the new position. */
function flattenInto(value: unknown, out: NumericArray, at: number, limit: number): number {
  if (Array.isArray(value) || ArrayBuffer.isView(value)) {
    const items = value as ArrayLike<unknown>;
    for (let i = 0; i < items.length; i++) at = flattenInto(items[i], out, at, limit);
    return at;
  }
  if (at < limit) {
    if (out instanceof BigInt64Array || out instanceof BigUint64Array) out[at] = typeof value === 'bigint' ? value : BigInt(Math.trunc(Number(value ?? 0)));
    else out[at] = value === null || value === undefined ? NaN : Number(value);
  }
  return at + 1;
}

export class ParquetTable {
  private constructor(
    readonly file: string,
    private readonly buffer: AsyncBuffer,
    private readonly metadata: FileMetaData,
    readonly columns: Map<string, ParquetColumn>,
    private readonly source: ByteSource,
  ) {}

  /** Opens a Parquet file: reads and checks its footer. Throws DatasetError naming `file`. */
  static async open(source: ByteSource, file: string): Promise<ParquetTable> {
    try {
      return await ParquetTable.read(source, file);
    } catch (error) {
      await source.close();
      throw error;
    }
  }

  private static async read(source: ByteSource, file: string): Promise<ParquetTable> {
    if (source.byteLength === 0) throw new DatasetError(file, undefined, 'empty file');
    const head = await source.read(0, 4);
    const tail = await source.read(Math.max(0, source.byteLength - 4), 4);
    const magic = (b: Uint8Array) => b.length === 4 && new DataView(b.buffer, b.byteOffset, 4).getUint32(0, true) === MAGIC;
    if (!magic(head)) throw new DatasetError(file, undefined, 'not a Parquet file (no PAR1 magic)');
    if (!magic(tail) || source.byteLength < 12) throw new DatasetError(file, undefined, 'truncated Parquet file (no PAR1 footer)');
    const buffer = asyncBuffer(source);
    let metadata: FileMetaData;
    try {
      metadata = await parquetMetadataAsync(buffer);
    } catch (error) {
      throw new DatasetError(file, undefined, `unreadable Parquet footer (${(error as Error).message})`);
    }
    const columns = new Map<string, ParquetColumn>();
    for (const child of parquetSchema(metadata).children) columns.set(child.element.name, describe(child));
    return new ParquetTable(file, buffer, metadata, columns, source);
  }

  get numRows(): number {
    return Number(this.metadata.num_rows);
  }

  /**
   * Rows [start, end) of `column` as a typed array of `dtype`, `width` values a row (nested lists
   * flattened). Throws DatasetError where a row holds another number of values.
   */
  async readColumn(column: string, dtype: DType, width: number, start: number, end: number): Promise<NumericArray> {
    let rows: Array<Record<string, unknown>>;
    try {
      rows = await parquetReadObjects({ file: this.buffer, metadata: this.metadata, columns: [column], rowStart: start, rowEnd: end, compressors });
    } catch (error) {
      throw new DatasetError(this.file, column, `unreadable rows ${start}..${end} (${(error as Error).message})`);
    }
    if (rows.length !== end - start) throw new DatasetError(this.file, column, `expected ${end - start} rows from ${start}, read ${rows.length}`);
    const out = allocate(dtype, rows.length * width);
    let at = 0;
    for (let r = 0; r < rows.length; r++) {
      const next = flattenInto(rows[r][column], out, at, out.length);
      if (next - at !== width) throw new DatasetError(this.file, column, `shape mismatch: row ${start + r} has ${next - at} values, expected ${width}`);
      at = next;
    }
    return out;
  }

  /** Reads small metadata tables whole (LeRobot v3's episodes index): rows as objects. */
  async readObjects(columns: string[]): Promise<Array<Record<string, unknown>>> {
    try {
      return await parquetReadObjects({ file: this.buffer, metadata: this.metadata, columns, compressors });
    } catch (error) {
      throw new DatasetError(this.file, undefined, `unreadable (${(error as Error).message})`);
    }
  }

  close(): Promise<void> {
    return this.source.close();
  }
}
