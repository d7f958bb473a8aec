import { open } from 'node:fs/promises';
import { type ByteSource, DatasetError } from '../../mbrl/data/formats';

/** One line for a file-system error: 'ENOENT: no such file or directory'. */
export function fsProblem(error: unknown): string {
  const e = error as NodeJS.ErrnoException;
  return e.code ? `cannot open (${e.code})` : `cannot open (${e.message})`;
}

/**
 * A ByteSource over a file opened read-only: reads are positioned (pread), so any number of
 * slices can be served from one handle without seeking, and nothing is ever written.
 */
export async function openFileSource(path: string, name = path): Promise<ByteSource> {
  let handle;
  try {
    handle = await open(path, 'r');
  } catch (error) {
    throw new DatasetError(name, undefined, fsProblem(error));
  }
  const { size } = await handle.stat();
  const h = handle;
  return {
    name,
    byteLength: size,
    async read(offset: number, length: number): Promise<Uint8Array> {
      const want = Math.max(0, Math.min(length, size - offset));
      const out = new Uint8Array(want);
      let got = 0;
      while (got < want) {
        const { bytesRead } = await h.read(out, got, want - got, offset + got);
        if (bytesRead === 0) break; // the file shrank under us
        got += bytesRead;
      }
      return got === want ? out : out.subarray(0, got);
    },
    close: () => h.close(),
  };
}
