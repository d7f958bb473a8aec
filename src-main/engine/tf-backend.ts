import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';

/** Backends in the order the engine prefers them, fastest first. */
export const BACKEND_PREFERENCE = ['tfjs-node-gpu', 'tfjs-node', 'wasm', 'cpu'] as const;
export type BackendChoice = (typeof BACKEND_PREFERENCE)[number];

/** Which backend is in use and why the faster ones were passed over. */
export interface BackendReport {
  /** tfjs backend name: 'tensorflow' (tfjs-node and tfjs-node-gpu), 'wasm' or 'cpu'. */
  backend: string;
  /** The package that provides it. */
  provider: BackendChoice;
  /** One line per backend tried: what happened. */
  attempts: string[];
}

const require = createRequire(import.meta.url);

/** Loads one backend; resolves to the tfjs backend name or throws with the reason. */
async function load(choice: BackendChoice): Promise<string> {
  switch (choice) {
    case 'tfjs-node-gpu':
    case 'tfjs-node': {
      // Optional dependencies: absent, or present without their native binding when libtensorflow
      // could not be downloaded at install time. Check for the binding before importing: a failed
      // import still registers the 'tensorflow' kernels, and the next package would register them again.
      const name = `@tensorflow/${choice}`;
      if (!hasNativeBinding(name)) throw new Error('installed without its native library (its download failed at install time)');
      await import(/* @vite-ignore */ name);
      if (!(await tf.setBackend('tensorflow'))) throw new Error(`${name} loaded but its backend did not start`);
      if (choice === 'tfjs-node-gpu' && !tf.env().getBool('IS_NODE')) throw new Error('not running under Node');
      return 'tensorflow';
    }
    case 'wasm': {
      const wasm = await import('@tensorflow/tfjs-backend-wasm');
      // In Node the wasm binaries are read from the package folder; point the loader at it explicitly
      // so bundled builds (electron-vite) find them too.
      const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
      wasm.setWasmPaths(join(dist, '/'));
      if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not initialise');
      return 'wasm';
    }
    case 'cpu': {
      await import('@tensorflow/tfjs-backend-cpu');
      if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend did not initialise');
      return 'cpu';
    }
  }
}

/** Whether an installed tfjs-node(-gpu) has its compiled binding (tfjs_binding.node under lib/napi-vN). */
function hasNativeBinding(pkg: string): boolean {
  let lib: string;
  try {
    lib = join(dirname(require.resolve(`${pkg}/package.json`)), 'lib');
  } catch {
    throw Object.assign(new Error(`${pkg} is not installed`), { code: 'MODULE_NOT_FOUND' });
  }
  return existsSync(lib) && readdirSync(lib).some((d) => d.startsWith('napi-v') && existsSync(join(lib, d, 'tfjs_binding.node')));
}

function reasonOf(error: unknown): string {
  const err = error as { code?: string; message?: string };
  if (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') return 'not installed';
  return (err?.message ?? String(error)).split('\n')[0];
}

/**
 * Picks the fastest tfjs backend that loads: tfjs-node-gpu → tfjs-node → wasm → cpu.
 * With `only`, tries just that one (the CLI's --backend) and fails if it does not load.
 */
export async function chooseBackend(only?: BackendChoice): Promise<BackendReport> {
  const attempts: string[] = [];
  const order = only ? [only] : BACKEND_PREFERENCE;
  for (const choice of order) {
    try {
      const backend = await load(choice);
      attempts.push(`${choice}: in use`);
      return { backend, provider: choice, attempts };
    } catch (error) {
      attempts.push(`${choice}: ${reasonOf(error)}`);
    }
  }
  throw new Error(`no TensorFlow.js backend could be loaded (${attempts.join('; ')})`);
}

/** A one-line summary for logs and the UI, e.g. "wasm (tfjs-node-gpu: not installed; ...)". */
export function describeBackend(report: BackendReport): string {
  const passed = report.attempts.filter((a) => !a.endsWith('in use'));
  return passed.length ? `${report.provider} (${passed.join('; ')})` : report.provider;
}
