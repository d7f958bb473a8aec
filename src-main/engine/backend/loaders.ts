/**
 * The real loader of each backend (see {@link BackendLoader}). Each optional package may be absent;
 * a loader then throws with the reason, and the chooser goes on to the next.
 */
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import { cpus } from 'node:os';
import { dirname, join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { BackendChoice, LoadedBackend, LoaderTable } from './choices';
import { loadWebGpu } from './webgpu';

const require = createRequire(import.meta.url);

/** Which package registered tfjs's single 'tensorflow' backend in this process (both native packages use that name). */
let nativeProvider: BackendChoice | null = null;

async function loadNative(choice: 'tfjs-node-gpu' | 'tfjs-node'): Promise<LoadedBackend> {
  const name = `@tensorflow/${choice}`;
  if (nativeProvider && nativeProvider !== choice) throw new Error(`${nativeProvider} already provides the 'tensorflow' backend in this process`);
  // Optional dependencies: absent, or present without their native binding when libtensorflow could not
  // be downloaded at install time. Check for the binding before importing: a failed import still
  // registers the 'tensorflow' kernels, and the next package would register them again.
  if (!hasNativeBinding(name)) throw new Error('installed without its native library (its download failed at install time)');
  await import(/* @vite-ignore */ name);
  nativeProvider = choice;
  if (!(await tf.setBackend('tensorflow'))) throw new Error(`${name} loaded but its backend did not start`);
  const usesGpu = (tf.backend() as { isUsingGpuDevice?: boolean }).isUsingGpuDevice === true;
  // tfjs-node-gpu without a CUDA device runs on the CPU: still usable, and the self-benchmark says how fast.
  const device = usesGpu ? 'CUDA GPU (TensorFlow)' : `${cpuModel()} (TensorFlow${choice === 'tfjs-node-gpu' ? ', no CUDA device' : ''})`;
  return { backend: 'tensorflow', device, software: false };
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

function cpuModel(): string {
  const list = cpus();
  return `${list[0]?.model.trim() ?? 'CPU'}, ${list.length} cores`;
}

async function loadWasm(): Promise<LoadedBackend> {
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  // In Node the wasm binaries are read from the package folder; point the loader at it explicitly so
  // bundled builds (electron-vite) find them too.
  const dist = dirname(require.resolve('@tensorflow/tfjs-backend-wasm/dist/tfjs-backend-wasm.wasm'));
  wasm.setWasmPaths(join(dist, '/'));
  if (!(await tf.setBackend('wasm'))) throw new Error('wasm backend did not initialise');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = wasm.getThreadsCount();
  return { backend: 'wasm', device: `wasm (${simd ? 'SIMD' : 'no SIMD'}, ${threads} thread${threads === 1 ? '' : 's'})`, software: false };
}

async function loadCpu(): Promise<LoadedBackend> {
  await import('@tensorflow/tfjs-backend-cpu');
  if (!(await tf.setBackend('cpu'))) throw new Error('cpu backend did not initialise');
  return { backend: 'cpu', device: 'JavaScript (1 thread)', software: false };
}

/** The loaders the engine uses. */
export const DEFAULT_LOADERS: LoaderTable = {
  'tfjs-node-gpu': () => loadNative('tfjs-node-gpu'),
  webgpu: loadWebGpu,
  'tfjs-node': () => loadNative('tfjs-node'),
  wasm: loadWasm,
  cpu: loadCpu,
};
