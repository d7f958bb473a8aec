/**
 * Format detection: which parser reads a location. Folders: LeRobot (meta/info.json) or Minari
 * (data/main_data.hdf5). Files: .npy; HDF5 (robomimic, Minari's main_data.hdf5 or D4RL, told apart
 * by their groups); .npz (a replay buffer, or arrays listed only).
 */
import { type DatasetLayout, type DatasetReader, LayoutReader, fieldOf, infoOf } from './dataset-reader';
import { arraysOnlyLayout, isFlatLayout, readFlatLayout } from './flat-layout';
import { isLeRobot, readLeRobot } from './lerobot';
import { isMinari, readMinari } from './minari';
import { openNpy } from './npy';
import { isRobomimic, readRobomimic } from './robomimic';
import { type Container, DatasetError, type DatasetLocation } from './sources';

const MINARI_FILES = ['data/main_data.hdf5', 'main_data.hdf5'];

function baseName(path: string): string {
  return path.replace(/[/\\]+$/, '').split(/[/\\]/).pop() ?? path;
}

async function readJsonIfThere(location: DatasetLocation, rel: string): Promise<Record<string, unknown> | undefined> {
  if (!(await location.exists(rel))) return undefined;
  try {
    return JSON.parse(await location.readText(rel)) as Record<string, unknown>;
  } catch (error) {
    throw new DatasetError(location.display(rel), undefined, `not valid JSON (${(error as Error).message})`);
  }
}

/** Parses a container, closing it if the parse fails. */
async function withContainer(container: Container, parse: (c: Container) => Promise<DatasetLayout>): Promise<DatasetReader> {
  try {
    return new LayoutReader(await parse(container));
  } catch (error) {
    await container.close();
    throw error;
  }
}

async function openHdf5Layout(location: DatasetLocation, rel: string, container: Container): Promise<DatasetReader> {
  const file = location.display(rel);
  const close = () => container.close();
  return withContainer(container, async ({ root }) => {
    if (isRobomimic(root)) return readRobomimic(root, file, close);
    if (isMinari(root)) {
      const metadataRel = rel === '' ? 'metadata.json' : rel.replace(/main_data\.hdf5$/, 'metadata.json');
      const layout = await readMinari(root, await readJsonIfThere(location, metadataRel), file, close);
      // The user named the folder; errors about arrays name the HDF5 file that holds them.
      if (location.isDirectory) {
        layout.summary.path = location.path;
        layout.fileOf = () => file;
      }
      return layout;
    }
    if (isFlatLayout(root)) return readFlatLayout(root, file, 'd4rl', close);
    throw new DatasetError(file, undefined, "not a recognized layout: missing 'data' group (robomimic), 'observations' and 'actions' arrays (D4RL) or episode_<i> groups (Minari)");
  });
}

async function openNpyFile(location: DatasetLocation): Promise<DatasetReader> {
  const source = await location.openBytes('');
  const name = baseName(location.path).replace(/\.npy$/i, '');
  try {
    // The file is the array: errors name it once.
    const array = await openNpy(source, location.path, '');
    const rows = array.shape[0] ?? 1;
    const field = array.shape.length ? fieldOf(array) : { shape: [], dtype: array.dtype, rows: 'steps' as const };
    return new LayoutReader({
      summary: {
        format: 'npy',
        path: location.path,
        episodes: [{ index: 0, name, length: rows }],
        arrays: { [name]: infoOf(array) },
        fields: { [name]: field },
        roles: {},
        attributes: {},
        warnings: [`a single array: shown as one episode of ${rows} rows`],
      },
      arrays: new Map([[name, array]]),
      locate: (episode, f) => (episode === 0 && f === name ? { array, offset: 0, rows } : undefined),
      close: () => source.close(),
    });
  } catch (error) {
    await source.close();
    throw error;
  }
}

/**
 * Opens the dataset at `location` with the parser its layout calls for. Reads metadata only (and,
 * for flat layouts, the terminal/timeout flags to find episodes). Throws DatasetError, one line,
 * for anything it cannot read.
 */
export async function openDataset(location: DatasetLocation): Promise<DatasetReader> {
  if (location.isDirectory) {
    if (await isLeRobot(location)) return new LayoutReader(await readLeRobot(location));
    for (const rel of MINARI_FILES) if (await location.exists(rel)) return openHdf5Layout(location, rel, await location.openContainer(rel));
    throw new DatasetError(location.path, undefined, 'not a recognized dataset folder: no meta/info.json (LeRobot) and no data/main_data.hdf5 (Minari)');
  }
  if (/\.npy$/i.test(location.path)) return openNpyFile(location);
  const container = await location.openContainer('');
  if (container.kind === 'hdf5') return openHdf5Layout(location, '', container);
  return withContainer(container, async ({ root }) => {
    const close = () => container.close();
    if (isFlatLayout(root)) return readFlatLayout(root, location.path, 'npz', close);
    return arraysOnlyLayout(root, location.path, 'npz', close, 'no transition layout (obs/observations and action/actions arrays): arrays listed only');
  });
}
