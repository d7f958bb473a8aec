import { createReadStream, createWriteStream } from 'node:fs';
import { mkdir, open, rename, rm, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { ZipFile } from 'yazl';
import { npyHeader } from './npz-writer';

/** One member of the archive: its name (without .npy), NumPy descr and the shape of one row. */
export interface NpzMemberSpec {
  name: string;
  /** '<f4' or '|b1'. */
  descr: string;
  /** Shape of one row ([] for scalars). */
  row: number[];
}

/** Bytes read from a part file at a time while zipping. */
const COPY_CHUNK = 4 * 1024 * 1024;

/**
 * Writes an uncompressed .npz whose arrays grow row-wise, episode by episode, for exports larger
 * than memory. Each member's rows are appended to its own part file as they come (nothing is kept
 * in memory); `finish` knows the row count, so it writes each .npy header and streams the parts
 * through a zip writer (yazl, stored: no compression, as np.savez) in 4 MiB pieces into the
 * target's temp file, then renames it over the target. yazl switches to ZIP64 where a member or
 * the archive passes 4 GiB, which NumPy and our reader (yauzl) both read.
 */
export class NpzStreamWriter {
  private rows = 0;
  private constructor(
    private readonly path: string,
    private readonly partsDir: string,
    private readonly members: NpzMemberSpec[],
    private readonly parts: FileHandle[],
    private readonly forceZip64: boolean,
  ) {}

  /** `forceZip64`: use ZIP64 records even for a small archive (tests of what > 4 GiB exports produce). */
  static async create(path: string, members: NpzMemberSpec[], forceZip64 = false): Promise<NpzStreamWriter> {
    const partsDir = join(dirname(path), `.${basename(path)}.${process.pid}.parts`);
    await rm(partsDir, { recursive: true, force: true });
    // Not recursive: a missing target folder is an error (ENOENT naming it), never created.
    await mkdir(partsDir);
    const parts: FileHandle[] = [];
    try {
      for (const m of members) parts.push(await open(join(partsDir, `${m.name}.bin`), 'w'));
    } catch (error) {
      await Promise.allSettled(parts.map((p) => p.close()));
      await rm(partsDir, { recursive: true, force: true });
      throw error;
    }
    return new NpzStreamWriter(path, partsDir, members, parts, forceZip64);
  }

  /** Appends `rows` rows: one typed array per member, in the order of the specs. */
  async append(rows: number, arrays: ArrayBufferView[]): Promise<void> {
    for (let i = 0; i < this.members.length; i++) {
      const a = arrays[i];
      const width = this.members[i].row.reduce((p, q) => p * q, 1);
      const bytes = this.members[i].descr === '|b1' ? 1 : 4;
      if (a.byteLength !== rows * width * bytes) throw new Error(`${this.members[i].name}: ${a.byteLength} bytes for ${rows} rows of ${width}×${bytes}`);
      await this.parts[i].write(new Uint8Array(a.buffer, a.byteOffset, a.byteLength));
    }
    this.rows += rows;
  }

  /** Writes the archive (see the class comment) and removes the parts. */
  async finish(): Promise<void> {
    await Promise.all(this.parts.map((p) => p.close()));
    const headers = this.members.map((m) => npyHeader(m.descr, [this.rows, ...m.row]));
    const sizes = this.members.map((m, i) => headers[i].length + this.rows * m.row.reduce((p, q) => p * q, 1) * (m.descr === '|b1' ? 1 : 4));
    const tmp = join(dirname(this.path), `.${basename(this.path)}.${process.pid}.tmp`);
    try {
      const zip = new ZipFile();
      this.members.forEach((m, i) => {
        const part = join(this.partsDir, `${m.name}.bin`);
        zip.addReadStreamLazy(`${m.name}.npy`, { compress: false, size: sizes[i], forceZip64Format: this.forceZip64 }, (cb) => cb(null, Readable.from(npyMember(headers[i], part))));
      });
      zip.end({ forceZip64Format: this.forceZip64, comment: '' });
      await pipeline(zip.outputStream, createWriteStream(tmp));
      await rename(tmp, this.path);
    } catch (error) {
      await rm(tmp, { force: true });
      throw error;
    } finally {
      await rm(this.partsDir, { recursive: true, force: true });
    }
  }

  async abort(): Promise<void> {
    await Promise.allSettled(this.parts.map((p) => p.close()));
    await rm(this.partsDir, { recursive: true, force: true });
  }
}

/** One .npy member's bytes: its header, then its part file in 4 MiB pieces. */
async function* npyMember(header: Uint8Array, part: string): AsyncGenerator<Uint8Array> {
  yield Buffer.from(header.buffer, header.byteOffset, header.byteLength);
  for await (const piece of createReadStream(part, { highWaterMark: COPY_CHUNK })) yield piece as Buffer;
}
