import { readdir, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import type { z } from 'zod';
import { ForesightEvalSpec, LatentJobSpec, parseWith, RunSpec } from '../protocol';
import { resourcesDir } from './resources';

/** A spec file shipped in a presets folder, named by its file. */
export interface SpecPreset<T> {
  /** File name without .json, e.g. "mpc-cartpole". */
  id: string;
  spec: T;
}

/** A preset: a run spec shipped in resources/presets, named by its file. */
export type Preset = SpecPreset<RunSpec>;
/** A latent-model job spec shipped in resources/presets/latent (what `mbrl-lab latent` runs). */
export type LatentPreset = SpecPreset<LatentJobSpec>;
/** A visual-foresight evaluation spec shipped in resources/presets/foresight (what `mbrl-lab foresight` runs). */
export type ForesightPreset = SpecPreset<ForesightEvalSpec>;

/** The presets of one folder, and one line per file that did not validate (its path, then the field and what is wrong). */
export interface PresetList<T> {
  presets: SpecPreset<T>[];
  errors: string[];
}

/**
 * Reads every `*.json` file directly in `dir` (not its subfolders) as a `schema` spec, sorted by
 * file name. A file that is not JSON or does not validate is reported in `errors` (naming the file
 * and the field) instead of being dropped silently or failing the list; a missing folder is empty.
 * Files are read at every call, so edits to the presets show without a restart.
 */
export async function listSpecFiles<S extends z.ZodType>(dir: string, schema: S): Promise<PresetList<z.infer<S>>> {
  const files = (await readdir(dir).catch(() => [] as string[])).filter((f) => f.endsWith('.json')).sort();
  const presets: SpecPreset<z.infer<S>>[] = [];
  const errors: string[] = [];
  for (const file of files) {
    const path = join(dir, file);
    try {
      const parsed = parseWith(schema, JSON.parse(await readFile(path, 'utf8')));
      if (parsed.ok) presets.push({ id: basename(file, '.json'), spec: parsed.value });
      else errors.push(`${path}: ${parsed.error}`);
    } catch (error) {
      errors.push(`${path}: ${(error as Error).message}`);
    }
  }
  return { presets, errors };
}

/** The folder of the shipped presets (resources/presets). */
export function presetsDir(): string {
  return join(resourcesDir(), 'presets');
}

/** Reads every run-spec preset in resources/presets (the top level: the subfolders hold other spec kinds). */
export function listPresets(dir = presetsDir()): Promise<PresetList<RunSpec>> {
  return listSpecFiles(dir, RunSpec);
}

/** Reads every latent-job preset in resources/presets/latent, validated as a {@link LatentJobSpec}. */
export function listLatentPresets(dir = join(presetsDir(), 'latent')): Promise<PresetList<LatentJobSpec>> {
  return listSpecFiles(dir, LatentJobSpec);
}

/** Reads every visual-foresight preset in resources/presets/foresight, validated as a {@link ForesightEvalSpec}. */
export function listForesightPresets(dir = join(presetsDir(), 'foresight')): Promise<PresetList<ForesightEvalSpec>> {
  return listSpecFiles(dir, ForesightEvalSpec);
}
