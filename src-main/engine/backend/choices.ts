import { BACKEND_PROVIDERS, type BackendProvider } from '../../protocol/requests';

/** Backends in the order the engine prefers them when nothing was measured: CUDA, WebGPU, native CPU, wasm, cpu. */
export const BACKEND_PREFERENCE = BACKEND_PROVIDERS;
/** A backend by the package that provides it. */
export type BackendChoice = BackendProvider;

/** Whether a string names a backend (for --backend, MBRL_LAB_BACKEND, settings files). */
export function isBackendChoice(value: unknown): value is BackendChoice {
  return typeof value === 'string' && (BACKEND_PREFERENCE as readonly string[]).includes(value);
}

/** A backend that loaded and is registered with tfjs (not necessarily the active one). */
export interface LoadedBackend {
  /** tfjs backend name: 'tensorflow' (tfjs-node and tfjs-node-gpu), 'webgpu', 'wasm' or 'cpu'. */
  backend: string;
  /** What computes, for people: 'wasm (SIMD, 1 thread)', a GPU adapter's name, a CPU model. */
  device: string;
  /** A software rasterizer posing as a GPU (SwiftShader, lavapipe, llvmpipe). */
  software: boolean;
}

/** How the backend in use was chosen. */
export type ChoiceSource = 'override' | 'setting' | 'cache' | 'benchmark' | 'preference';

/** One backend's entry in a self-benchmark: ms per planning forward pass, or why it was not measured. */
export interface BackendTiming {
  provider: BackendChoice;
  ms?: number;
  note?: string;
}

/** Which backend is in use, on what, and why the others were passed over. */
export interface BackendReport {
  /** tfjs backend name: 'tensorflow' (tfjs-node and tfjs-node-gpu), 'webgpu', 'wasm' or 'cpu'. */
  backend: string;
  /** The package that provides it. */
  provider: BackendChoice;
  /** One line per backend tried: what happened. */
  attempts: string[];
  /** What computes (see {@link LoadedBackend.device}). */
  device: string;
  software: boolean;
  source: ChoiceSource;
  /** Per provider: the measurement the choice was made from, or why it is unavailable. */
  timings: BackendTiming[];
}

/**
 * Loads one backend: imports its package, registers it with tfjs and makes it the active backend
 * (which proves it initialises). Throws with the reason when it cannot. `allowSoftware`: a WebGPU
 * software adapter may be used (only when the user asked for WebGPU by name).
 */
export type BackendLoader = (options: { allowSoftware: boolean }) => Promise<LoadedBackend>;
export type LoaderTable = Record<BackendChoice, BackendLoader>;

/** The first line of an error, with "not installed" for a missing optional package. */
export function reasonOf(error: unknown): string {
  const err = error as { code?: string; message?: string };
  if (err?.code === 'ERR_MODULE_NOT_FOUND' || err?.code === 'MODULE_NOT_FOUND') return 'not installed';
  return (err?.message ?? String(error)).split('\n')[0];
}
