import { access, readdir, readFile, stat } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { type Container, DatasetError, type DatasetLocation } from '../../mbrl/data/formats';
import { fsProblem, openFileSource } from './file-source';
import { openHdf5 } from './hdf5-container';
import { openNpz } from './npz-container';

const HDF5_SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];
const ZIP_SIGNATURES = [[0x50, 0x4b, 0x03, 0x04], [0x50, 0x4b, 0x05, 0x06]];

const startsWith = (bytes: Uint8Array, sig: number[]) => sig.every((b, i) => bytes[i] === b);

/** HDF5 or .npz: by extension where it says, else by the first bytes. */
async function containerKind(path: string, name: string): Promise<'hdf5' | 'npz'> {
  if (/\.(h5|hdf5|he5|hdf)$/i.test(path)) return 'hdf5';
  if (/\.npz$/i.test(path)) return 'npz';
  const source = await openFileSource(path, name);
  try {
    const head = await source.read(0, 8);
    if (head.length === 0) throw new DatasetError(name, undefined, 'empty file');
    if (startsWith(head, HDF5_SIGNATURE)) return 'hdf5';
    if (ZIP_SIGNATURES.some((sig) => startsWith(head, sig))) return 'npz';
    throw new DatasetError(name, undefined, 'not HDF5, .npz or .npy (unrecognized first bytes)');
  } finally {
    await source.close();
  }
}

/**
 * A DatasetLocation on the local disk. Everything is opened read-only; `path` is kept as given
 * for messages, and resolved for access.
 */
export async function localLocation(path: string): Promise<DatasetLocation> {
  const abs = resolve(path);
  let isDirectory: boolean;
  try {
    isDirectory = (await stat(abs)).isDirectory();
  } catch (error) {
    throw new DatasetError(path, undefined, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'no such file or folder' : fsProblem(error));
  }
  const base = isDirectory ? abs : dirname(abs);
  const shownBase = isDirectory ? path : dirname(path);
  const full = (rel: string) => (rel === '' ? abs : join(base, rel));
  const display = (rel: string) => (rel === '' ? path : join(shownBase, rel));
  return {
    path,
    isDirectory,
    display,
    exists: (rel) => access(full(rel)).then(() => true, () => false),
    async list(rel) {
      try {
        return (await readdir(full(rel))).sort();
      } catch (error) {
        throw new DatasetError(display(rel), undefined, fsProblem(error));
      }
    },
    async readText(rel) {
      try {
        return await readFile(full(rel), 'utf8');
      } catch (error) {
        throw new DatasetError(display(rel), undefined, (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'missing required file' : fsProblem(error));
      }
    },
    openBytes: (rel) => openFileSource(full(rel), display(rel)),
    async openContainer(rel): Promise<Container> {
      const name = display(rel);
      const size = await stat(full(rel)).then((s) => s.size, (error) => {
        throw new DatasetError(name, undefined, fsProblem(error));
      });
      if (size === 0) throw new DatasetError(name, undefined, 'empty file');
      return (await containerKind(full(rel), name)) === 'hdf5' ? openHdf5(full(rel), name) : openNpz(full(rel), name);
    },
  };
}
