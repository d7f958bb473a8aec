/**
 * The machine's backend file (`backend.json` in the engine's settings folder): the user's backend
 * setting and the last self-benchmark with the fingerprint it was measured under. A measurement is
 * used only while the fingerprint matches (same platform, runtime and installed backend packages with
 * the same versions); a file that cannot be read is ignored with a warning and rewritten on the next
 * measurement.
 */
import { existsSync, readdirSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { z } from 'zod';
import { BACKEND_PROVIDERS } from '../../protocol/requests';
import { writeFileAtomic } from '../run/atomic-write';

const require = createRequire(import.meta.url);

/** The packages whose presence and version decide which backends can load and how fast. */
export const BACKEND_PACKAGES = [
  '@tensorflow/tfjs-core',
  '@tensorflow/tfjs-backend-cpu',
  '@tensorflow/tfjs-backend-wasm',
  '@tensorflow/tfjs-backend-webgpu',
  'webgpu',
  '@tensorflow/tfjs-node',
  '@tensorflow/tfjs-node-gpu',
] as const;

const provider = z.enum(BACKEND_PROVIDERS);
const Fingerprint = z.strictObject({
  platform: z.string(),
  arch: z.string(),
  /** 'node 20' or 'electron 45.4.1': wasm and native speeds differ between runtimes. */
  runtime: z.string(),
  /** Version of each backend package, with " (no native library)" for a native package without its binding; null when absent. */
  packages: z.record(z.string(), z.string().nullable()),
});
export type BackendFingerprint = z.infer<typeof Fingerprint>;

const Measurement = z.strictObject({
  fingerprint: Fingerprint,
  choice: provider,
  device: z.string(),
  timings: z.array(z.strictObject({ provider, ms: z.number().optional(), note: z.string().optional() })),
  /** ISO time of the measurement. */
  at: z.string(),
});
export type BackendMeasurement = z.infer<typeof Measurement>;

const BackendFile = z.strictObject({
  format: z.literal('mbrl-lab/backend'),
  version: z.literal(1),
  /** The user's setting: a provider, or 'auto' (the measured fastest). Absent: auto. */
  setting: z.enum(['auto', ...BACKEND_PROVIDERS]).optional(),
  measured: Measurement.optional(),
});
export type BackendFile = z.infer<typeof BackendFile>;

/** The file's name in the settings folder. */
export const BACKEND_FILE_NAME = 'backend.json';

/**
 * The engine's settings folder: MBRL_LAB_CONFIG_DIR, else `.mbrl-lab` beside the runs folder (so a
 * test or a CI job that points MBRL_LAB_RUNS_DIR elsewhere keeps its settings there too).
 */
export function engineConfigDir(runsDir: string, env: NodeJS.ProcessEnv = process.env): string {
  return env.MBRL_LAB_CONFIG_DIR || join(dirname(runsDir), '.mbrl-lab');
}

/** Where the backend file of this engine lives. */
export function backendFilePath(runsDir = process.env.MBRL_LAB_RUNS_DIR ?? join(homedir(), 'mbrl-lab-runs'), env: NodeJS.ProcessEnv = process.env): string {
  return join(engineConfigDir(runsDir, env), BACKEND_FILE_NAME);
}

function packageVersion(name: string): string | null {
  try {
    const file = require.resolve(`${name}/package.json`);
    const version = (require(file) as { version: string }).version;
    if (name.startsWith('@tensorflow/tfjs-node')) {
      const lib = join(dirname(file), 'lib');
      const bound = existsSync(lib) && readdirSync(lib).some((d) => d.startsWith('napi-v') && existsSync(join(lib, d, 'tfjs_binding.node')));
      if (!bound) return `${version} (no native library)`;
    }
    return version;
  } catch {
    return null;
  }
}

/** This process's fingerprint: what a stored measurement must match to be reused. */
export function backendFingerprint(): BackendFingerprint {
  return {
    platform: process.platform,
    arch: process.arch,
    runtime: process.versions.electron ? `electron ${process.versions.electron}` : `node ${process.versions.node.split('.')[0]}`,
    packages: Object.fromEntries(BACKEND_PACKAGES.map((p) => [p, packageVersion(p)])),
  };
}

/** The stored measurement when it was made under `fingerprint`; null when there is none or it is stale. */
export function measurementFor(file: BackendFile, fingerprint: BackendFingerprint): BackendMeasurement | null {
  const m = file.measured;
  if (!m) return null;
  return JSON.stringify(canonical(m.fingerprint)) === JSON.stringify(canonical(fingerprint)) ? m : null;
}

function canonical(f: BackendFingerprint): BackendFingerprint {
  return { platform: f.platform, arch: f.arch, runtime: f.runtime, packages: Object.fromEntries(Object.entries(f.packages).sort(([a], [b]) => a.localeCompare(b))) };
}

/** An empty file (no setting, nothing measured). */
export function emptyBackendFile(): BackendFile {
  return { format: 'mbrl-lab/backend', version: 1 };
}

/**
 * Reads the backend file. Missing: empty. Unreadable, not JSON or not the expected shape: empty, with
 * one warning naming the file and what is wrong (the next measurement rewrites it).
 */
export async function readBackendFile(path: string, warn: (line: string) => void): Promise<BackendFile> {
  let text: string;
  try {
    text = await readFile(path, 'utf8');
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return emptyBackendFile();
    warn(`${path}: ignored (could not be read: ${(error as Error).message.split('\n')[0]})`);
    return emptyBackendFile();
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch (error) {
    warn(`${path}: ignored (not valid JSON: ${(error as Error).message.split('\n')[0]})`);
    return emptyBackendFile();
  }
  const parsed = BackendFile.safeParse(json);
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    warn(`${path}: ignored (${issue.path.join('.') || 'file'}: ${issue.message})`);
    return emptyBackendFile();
  }
  return parsed.data;
}

/** Writes the backend file atomically, creating the settings folder. */
export async function writeBackendFile(path: string, file: BackendFile): Promise<void> {
  await mkdir(dirname(path), { recursive: true });
  await writeFileAtomic(path, `${JSON.stringify(BackendFile.parse(file), null, 2)}\n`);
}
