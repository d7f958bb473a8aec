/**
 * WebGPU in Node: the `webgpu` package (Dawn's Node bindings: Vulkan, Metal, D3D12) provides
 * `navigator.gpu`, and @tensorflow/tfjs-backend-webgpu runs on the adapter we pick. We request the
 * adapter ourselves (rather than letting tfjs do it at import) so a software rasterizer posing as a GPU
 * can be recognised and refused unless the user asked for WebGPU by name.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import type { LoadedBackend } from './choices';
import { limitAddNInputs } from './webgpu-add-n';

/** What Dawn tells about an adapter (GPUAdapterInfo, plus the older isFallbackAdapter on the adapter). */
export interface AdapterInfoLike {
  vendor?: string;
  architecture?: string;
  device?: string;
  description?: string;
  isFallbackAdapter?: boolean;
}

const SOFTWARE_NAMES = /swiftshader|lavapipe|llvmpipe|softpipe|software|basic render|\bwarp\b/i;

/** Whether an adapter is a CPU rasterizer (SwiftShader, lavapipe/llvmpipe, WARP) rather than a GPU. */
export function isSoftwareAdapter(info: AdapterInfoLike): boolean {
  if (info.isFallbackAdapter) return true;
  return [info.vendor, info.architecture, info.device, info.description].some((s) => !!s && SOFTWARE_NAMES.test(s));
}

/** A readable adapter name: its description, else vendor and architecture. */
export function adapterName(info: AdapterInfoLike): string {
  const description = info.description?.trim();
  if (description) return description;
  const parts = [info.vendor, info.architecture, info.device].filter((s) => !!s?.trim());
  return parts.length ? parts.join(' ') : 'unnamed WebGPU adapter';
}

/**
 * On Linux Dawn reaches the GPU through Vulkan's loader, libvulkan.so.1. Without one it can only
 * print a warning at exit; say so plainly instead and do not start Dawn at all.
 */
function hasVulkanLoader(): boolean {
  if (process.platform !== 'linux') return true;
  const dirs = [
    ...(process.env.LD_LIBRARY_PATH ?? '').split(':').filter(Boolean),
    `/usr/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`,
    `/lib/${process.arch === 'arm64' ? 'aarch64' : 'x86_64'}-linux-gnu`,
    '/usr/lib64',
    '/usr/lib',
    '/lib64',
  ];
  if (dirs.some((d) => existsSync(join(d, 'libvulkan.so.1')))) return true;
  // Elsewhere on the library path (ld.so.conf): the dynamic linker's cache names it.
  try {
    return readFileSync('/etc/ld.so.cache').includes('libvulkan.so.1');
  } catch {
    return false;
  }
}

interface GpuLike {
  requestAdapter(options?: { powerPreference?: string }): Promise<AdapterLike | null>;
}
interface AdapterLike {
  info: AdapterInfoLike;
  isFallbackAdapter?: boolean;
  features: Set<string>;
  limits: Record<string, number>;
  requestDevice(descriptor: { requiredFeatures?: string[]; requiredLimits?: Record<string, number> }): Promise<unknown>;
}

/**
 * Imports an optional package by a name the bundler cannot see, so electron-vite leaves it to Node at
 * run time (it externalizes only `dependencies`): `webgpu` loads its dawn.node by a computed path, and
 * tfjs-backend-webgpu must share the one tfjs-core instance.
 */
function importOptional(name: string): Promise<unknown> {
  return import(/* @vite-ignore */ name);
}

/** The adapter found (once per process: Dawn instances are not cheap, and tfjs keeps the backend). */
let found: Promise<{ adapter: AdapterLike; info: AdapterInfoLike; software: boolean }> | null = null;
/** The adapter registered with tfjs as 'webgpu', once a load succeeded. */
let registered: LoadedBackend | null = null;

async function findAdapter() {
  if (!hasVulkanLoader()) throw new Error('no Vulkan loader (libvulkan.so.1) on this system');
  const { create, globals } = (await importOptional('webgpu')) as { create(flags: string[]): GpuLike; globals: Record<string, unknown> };
  // tfjs-backend-webgpu uses the WebGPU globals (GPUBufferUsage, GPUMapMode, ...) and navigator.gpu.
  for (const [name, value] of Object.entries(globals)) if (!(name in globalThis)) (globalThis as Record<string, unknown>)[name] = value;
  const gpu = create([]);
  const g = globalThis as unknown as { navigator?: Record<string, unknown> };
  if (!g.navigator) g.navigator = {};
  if (!g.navigator.gpu) Object.defineProperty(g.navigator, 'gpu', { value: gpu, configurable: true });
  const adapter = await gpu.requestAdapter({ powerPreference: 'high-performance' });
  if (!adapter) throw new Error('no WebGPU adapter (no Vulkan, Metal or D3D12 driver found)');
  const info: AdapterInfoLike = { ...pick(adapter.info), isFallbackAdapter: adapter.info.isFallbackAdapter ?? adapter.isFallbackAdapter };
  return { adapter, info, software: isSoftwareAdapter(info) };
}

function pick(info: AdapterInfoLike): AdapterInfoLike {
  return { vendor: info.vendor, architecture: info.architecture, device: info.device, description: info.description };
}

/** Loads the WebGPU backend on the best adapter; a software one only with `allowSoftware`. */
export async function loadWebGpu(options: { allowSoftware: boolean }): Promise<LoadedBackend> {
  found ??= findAdapter();
  let adapterFound;
  try {
    adapterFound = await found;
  } catch (error) {
    found = null;
    throw error;
  }
  const { adapter, info, software } = adapterFound;
  const name = adapterName(info);
  if (software && !options.allowSoftware) throw new Error(`only a software adapter (${name}); used only when asked for by name (--backend webgpu)`);
  if (!registered) {
    const { WebGPUBackend } = (await importOptional('@tensorflow/tfjs-backend-webgpu')) as typeof import('@tensorflow/tfjs-backend-webgpu');
    // The device request tfjs makes for itself (the adapter's full limits, timestamps when there), and
    // as many storage buffers per shader as the adapter has: tfjs's AddN binds one per input.
    const limits = adapter.limits;
    const device = await adapter.requestDevice({
      requiredFeatures: adapter.features.has('timestamp-query') ? ['timestamp-query'] : [],
      requiredLimits: Object.fromEntries(
        ['maxComputeWorkgroupStorageSize', 'maxComputeWorkgroupsPerDimension', 'maxStorageBufferBindingSize', 'maxBufferSize', 'maxComputeWorkgroupSizeX', 'maxComputeInvocationsPerWorkgroup', 'maxStorageBuffersPerShaderStage'].map((k) => [k, limits[k]]),
      ),
    });
    // Importing the package registers its own 'webgpu' factory when navigator.gpu already existed.
    if (tf.findBackendFactory('webgpu')) tf.removeBackend('webgpu');
    type Ctor = ConstructorParameters<typeof WebGPUBackend>;
    // tfjs reads GPU buffers synchronously through an OffscreenCanvas, which Node lacks: say what to do instead.
    class NodeWebGpuBackend extends WebGPUBackend {
      override readSync(dataId: object) {
        try {
          return super.readSync(dataId);
        } catch (error) {
          if (error instanceof ReferenceError && error.message.includes('OffscreenCanvas')) {
            throw new Error('WebGPU in Node cannot read a tensor synchronously (dataSync/arraySync): use await tensor.data()');
          }
          throw error;
        }
      }
    }
    tf.registerBackend('webgpu', () => new NodeWebGpuBackend(device as Ctor[0], info as Ctor[1]), 1);
    limitAddNInputs('webgpu', (device as { limits: Record<string, number> }).limits.maxStorageBuffersPerShaderStage ?? 8);
    registered = { backend: 'webgpu', device: software ? `${name} (software)` : name, software };
  }
  if (!(await tf.setBackend('webgpu'))) throw new Error(`WebGPU backend did not start on ${name}`);
  return registered;
}
