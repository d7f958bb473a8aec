import { readFile } from 'node:fs/promises';
import { parseWith, RunSpec } from '../protocol';

/** A user-facing error: printed as one line, no stack trace, non-zero exit. */
export class CliError extends Error {}

/** Reads and validates a run spec; errors name the file and the field. */
export async function readRunSpec(path: string): Promise<RunSpec> {
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
  const parsed = parseWith(RunSpec, json);
  if (!parsed.ok) throw new CliError(`${path}: invalid spec: ${parsed.error}`);
  return parsed.value;
}
