/**
 * NumPy .npz archives (a zip of .npy members) through yauzl, which reads the zip's central
 * directory without loading the archive. Stored members (np.savez) are read by byte ranges;
 * compressed members (np.savez_compressed) are inflated as a stream that only moves forward,
 * restarted when a read goes back, so memory stays bounded either way.
 */
import type { Readable } from 'node:stream';
import yauzl from 'yauzl';
import { type ArrayGroup, type ByteSource, type Container, DatasetError, type LazyArray, openNpy } from '../../mbrl/data/formats';
import { openFileSource } from './file-source';

/** yauzl's error → one line. */
export function zipProblem(error: unknown): string {
  const text = String((error as Error)?.message ?? error);
  if (/end of central directory record signature not found/i.test(text)) return 'not an .npz (zip) archive, or truncated: no end-of-central-directory record';
  return `unreadable zip archive (${text.split('\n')[0]})`;
}

/** A compressed member as a ByteSource: a forward-only inflating stream, restarted on a backward read. */
class InflatingSource implements ByteSource {
  private stream?: Readable;
  private chunks?: AsyncIterator<Buffer>;
  /** Absolute offset of pending[0]. */
  private pos = 0;
  private pending: Uint8Array = new Uint8Array(0);

  constructor(
    readonly name: string,
    private readonly member: string,
    private readonly zip: yauzl.ZipFile,
    private readonly entry: yauzl.Entry,
  ) {}

  get byteLength(): number {
    return this.entry.uncompressedSize;
  }

  private async restart(): Promise<void> {
    this.stream?.destroy();
    this.stream = await this.zip.openReadStreamPromise(this.entry);
    this.chunks = this.stream[Symbol.asyncIterator]() as AsyncIterator<Buffer>;
    this.pos = 0;
    this.pending = new Uint8Array(0);
  }

  async read(offset: number, length: number): Promise<Uint8Array> {
    try {
      return await this.readForward(offset, length);
    } catch (error) {
      await this.close();
      throw new DatasetError(this.name, this.member, `unreadable compressed data (${(error as Error).message})`);
    }
  }

  private async readForward(offset: number, length: number): Promise<Uint8Array> {
    const out = new Uint8Array(Math.max(0, Math.min(length, this.byteLength - offset)));
    if (!this.chunks || offset < this.pos) await this.restart();
    let filled = 0;
    while (filled < out.length) {
      if (this.pending.length === 0) {
        const next = await (this.chunks as AsyncIterator<Buffer>).next();
        if (next.done) break;
        this.pending = next.value;
      }
      const need = offset + filled;
      if (this.pos + this.pending.length <= need) {
        this.pos += this.pending.length;
        this.pending = new Uint8Array(0);
        continue;
      }
      const from = need - this.pos;
      const take = Math.min(this.pending.length - from, out.length - filled);
      out.set(this.pending.subarray(from, from + take), filled);
      filled += take;
      this.pending = this.pending.subarray(from + take);
      this.pos += from + take;
    }
    return filled === out.length ? out : out.subarray(0, filled);
  }

  async close(): Promise<void> {
    this.stream?.destroy();
    this.stream = undefined;
    this.chunks = undefined;
  }
}

/** A stored member: a window onto the archive's bytes. */
function storedSource(file: ByteSource, name: string, start: number, size: number): ByteSource {
  return {
    name,
    byteLength: size,
    read: (offset, length) => file.read(start + offset, Math.max(0, Math.min(length, size - offset))),
    close: async () => {},
  };
}

class FlatGroup implements ArrayGroup {
  readonly path = '';
  constructor(private readonly arrays: Map<string, LazyArray>) {}
  groupNames(): string[] {
    return [];
  }
  arrayNames(): string[] {
    return [...this.arrays.keys()];
  }
  group(): undefined {
    return undefined;
  }
  array(name: string): LazyArray | undefined {
    return this.arrays.get(name);
  }
  attrs(): Record<string, unknown> {
    return {};
  }
}

/** Opens an .npz read-only: every .npy member's header is read (shape, dtype), no data. Throws DatasetError. */
export async function openNpz(path: string, name: string): Promise<Container> {
  const file = await openFileSource(path, name);
  if (file.byteLength === 0) {
    await file.close();
    throw new DatasetError(name, undefined, 'empty file');
  }
  let zip: yauzl.ZipFile;
  try {
    zip = await yauzl.openPromise(path, { lazyEntries: true, autoClose: false });
  } catch (error) {
    await file.close();
    throw new DatasetError(name, undefined, zipProblem(error));
  }
  const sources: ByteSource[] = [];
  const close = async () => {
    for (const s of sources) await s.close();
    zip.close();
    await file.close();
  };
  try {
    const arrays = new Map<string, LazyArray>();
    for await (const entry of zip.eachEntry()) {
      if (!entry.fileName.endsWith('.npy')) continue;
      const member = entry.fileName.replace(/\.npy$/, '');
      let source: ByteSource;
      if (entry.compressionMethod === 0) {
        const { fileDataStart } = await zip.readLocalFileHeaderPromise(entry, { minimal: true });
        if (fileDataStart + entry.compressedSize > file.byteLength) throw new DatasetError(name, member, 'truncated: the member ends past the end of the file');
        source = storedSource(file, name, fileDataStart, entry.uncompressedSize);
      } else {
        source = new InflatingSource(name, member, zip, entry);
      }
      sources.push(source);
      arrays.set(member, await openNpy(source, name, member));
    }
    return { name, kind: 'npz', root: new FlatGroup(arrays), close };
  } catch (error) {
    await close();
    throw error instanceof DatasetError ? error : new DatasetError(name, undefined, zipProblem(error));
  }
}
