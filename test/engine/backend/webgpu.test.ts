import { describe, expect, it } from 'vitest';
import { adapterName, isSoftwareAdapter } from '../../../src-main/engine/backend/webgpu';

describe('WebGPU adapters', () => {
  it('recognises software rasterizers by the fallback flag or by name', () => {
    // What Dawn reports for Chromium's SwiftShader Vulkan driver (measured here).
    const swiftshader = { vendor: 'google', architecture: 'swiftshader', device: 'swiftshader-device-subzero-', description: 'SwiftShader driver 5.0.0', isFallbackAdapter: true };
    expect(isSoftwareAdapter(swiftshader)).toBe(true);
    expect(isSoftwareAdapter({ ...swiftshader, isFallbackAdapter: false })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', description: 'llvmpipe (LLVM 15.0.6, 256 bits)' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'mesa', description: 'Lavapipe' })).toBe(true);
    expect(isSoftwareAdapter({ vendor: 'microsoft', description: 'Microsoft Basic Render Driver' })).toBe(true);
    expect(isSoftwareAdapter({ isFallbackAdapter: true })).toBe(true);
  });

  it('takes real GPUs as hardware', () => {
    expect(isSoftwareAdapter({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3080' })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'apple', architecture: 'common-3', description: 'Apple M2' })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'amd', architecture: 'rdna-2', description: 'AMD Radeon RX 6800 (RADV NAVI21)' })).toBe(false);
    expect(isSoftwareAdapter({ vendor: 'intel', architecture: 'gen-12lp', description: '', isFallbackAdapter: false })).toBe(false);
  });

  it('names an adapter by its description, else vendor and architecture', () => {
    expect(adapterName({ vendor: 'nvidia', architecture: 'ampere', description: 'NVIDIA GeForce RTX 3080' })).toBe('NVIDIA GeForce RTX 3080');
    expect(adapterName({ vendor: 'intel', architecture: 'gen-12lp', description: '' })).toBe('intel gen-12lp');
    expect(adapterName({})).toBe('unnamed WebGPU adapter');
  });
});
