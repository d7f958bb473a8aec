import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** How to start a worker thread from a module of this folder, wherever the engine runs. */
export interface WorkerEntry {
  /** Absolute path of the worker's file. */
  file: string;
  /** Arguments for the worker (from source: the .ts file the bootstrap imports). */
  argv: string[];
}

/**
 * Finds a worker entry by its base name (e.g. 'planning-worker'):
 * - from source (vitest, the CLI through tsx): `ts-worker-bootstrap.mjs`, which registers tsx in the
 *   new thread and imports the .ts file beside this one (a loader given as execArgv does not reach
 *   worker threads on Node 20);
 * - in the electron-vite build: `out/main/<name>.js`, an extra entry of the main build
 *   (electron.vite.config.ts), beside the chunk this code was bundled into or one folder up.
 */
export function workerEntry(name: string): WorkerEntry {
  const here = fileURLToPath(import.meta.url);
  const dir = dirname(here);
  if (here.endsWith('.ts')) return { file: join(dir, 'ts-worker-bootstrap.mjs'), argv: [join(dir, `${name}.ts`)] };
  for (const folder of [dir, dirname(dir)]) {
    const file = join(folder, `${name}.js`);
    if (existsSync(file)) return { file, argv: [] };
  }
  throw new Error(`worker '${name}': ${name}.js not found beside ${here} (is it an entry of the main build?)`);
}
