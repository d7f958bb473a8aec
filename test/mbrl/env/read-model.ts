/** Test helper: reads MJCF models from resources/models with node:fs (tests may use node). */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const MODELS_DIR = fileURLToPath(new URL('../../../resources/models/', import.meta.url));

/** The text of resources/models/<fileName>. */
export function readModelXml(fileName: string): string {
  return readFileSync(MODELS_DIR + fileName, 'utf8');
}
