import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * The folder holding MJCF models and presets. Hosts set MBRL_LAB_RESOURCES (Electron: the packaged
 * resources folder); otherwise the nearest `resources/models` above this file (source checkout or
 * out/main build).
 */
export function resourcesDir(): string {
  const fromEnv = process.env.MBRL_LAB_RESOURCES;
  if (fromEnv) return resolve(fromEnv);
  let dir = dirname(fileURLToPath(import.meta.url));
  for (;;) {
    if (existsSync(join(dir, 'resources', 'models'))) return join(dir, 'resources');
    const up = dirname(dir);
    if (up === dir) throw new Error('cannot find the resources folder (set MBRL_LAB_RESOURCES)');
    dir = up;
  }
}

/** Reads an MJCF model file from resources/models. */
export async function readModelXml(fileName: string): Promise<string> {
  const path = join(resourcesDir(), 'models', fileName);
  try {
    return await readFile(path, 'utf8');
  } catch (error) {
    throw new Error(`cannot read model file ${path}: ${(error as Error).message}`);
  }
}
