import { readFile } from 'node:fs/promises';
import type { z } from 'zod';
import { parseWith, RunSpec } from '../protocol';

/** A user-facing error: printed as one line, no stack trace, non-zero exit. */
export class CliError extends Error {}

/** Reads a JSON spec file and validates it with `schema`; errors name the file and the field. */
export async function readSpecFile<S extends z.ZodType>(path: string, schema: S): Promise<z.infer<S>> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    throw new CliError(`${path}: cannot read the spec (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    throw new CliError(`${path}: not valid JSON (${(error as Error).message})`);
  }
  const parsed = parseWith(schema, json);
  if (!parsed.ok) throw new CliError(`${path}: invalid spec: ${parsed.error}`);
  return parsed.value;
}

/**
 * The controllers a `--controllers a,b` option names (or `fallback` without it), each checked
 * against `known`; a CliError names the option and the unknown one.
 */
export function parseControllers<C extends string>(option: string | undefined, known: readonly C[], fallback: readonly string[]): C[] {
  const names = (option ? option.split(',') : fallback).map((c) => c.trim());
  for (const c of names) if (!(known as readonly string[]).includes(c)) throw new CliError(`--controllers: expected some of ${known.join(', ')}, got '${c}'`);
  return names as C[];
}

/** Reads and validates a run spec; errors name the file and the field. */
export function readRunSpec(path: string): Promise<RunSpec> {
  return readSpecFile(path, RunSpec);
}
