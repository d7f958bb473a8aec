import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { parseWith, RunSpec } from '../protocol';
import { resourcesDir } from './resources';

/** A preset: a run spec shipped in resources/presets, named by its file. */
export interface Preset {
  /** File name without .json, e.g. "mpc-cartpole". */
  id: string;
  spec: RunSpec;
}

/**
 * Reads every preset in resources/presets. A preset that does not validate is reported in
 * `errors` (naming the file and the field) instead of being dropped silently or failing the list.
 */
export async function listPresets(dir = join(resourcesDir(), 'presets')): Promise<{ presets: Preset[]; errors: string[] }> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  const presets: Preset[] = [];
  const errors: string[] = [];
  for (const file of files) {
    const path = join(dir, file);
    try {
      const parsed = parseWith(RunSpec, JSON.parse(await readFile(path, 'utf8')));
      if (parsed.ok) presets.push({ id: basename(file, '.json'), spec: parsed.value });
      else errors.push(`${path}: ${parsed.error}`);
    } catch (error) {
      errors.push(`${path}: ${(error as Error).message}`);
    }
  }
  return { presets, errors };
}
