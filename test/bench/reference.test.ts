import { afterEach, describe, expect, it } from 'vitest';
import { describeReference, referenceTorchDevice } from '../../bench/reference';

const saved = process.env.MBRL_BENCH_TORCH_DEVICE;
afterEach(() => {
  if (saved === undefined) delete process.env.MBRL_BENCH_TORCH_DEVICE;
  else process.env.MBRL_BENCH_TORCH_DEVICE = saved;
});

describe('the reference device', () => {
  it('is the CPU unless MBRL_BENCH_TORCH_DEVICE names a CUDA device', () => {
    delete process.env.MBRL_BENCH_TORCH_DEVICE;
    expect(referenceTorchDevice()).toBe('cpu');
    process.env.MBRL_BENCH_TORCH_DEVICE = ' cuda ';
    expect(referenceTorchDevice()).toBe('cuda');
    process.env.MBRL_BENCH_TORCH_DEVICE = 'cuda:1';
    expect(referenceTorchDevice()).toBe('cuda:1');
  });

  it('refuses a device name with a typo, naming the variable', () => {
    process.env.MBRL_BENCH_TORCH_DEVICE = 'cdua';
    expect(() => referenceTorchDevice()).toThrow(/MBRL_BENCH_TORCH_DEVICE: 'cdua'/);
  });

  it('names the GPU in the reference line when the script ran on one', () => {
    const info = { torch: '2.11.0', python: '3.12.3', cpu_capability: 'AVX512', torch_threads: 16, blas_libraries: ['libcublas.so.13'] };
    expect(describeReference({ ...info, device: 'NVIDIA H100 80GB HBM3' })).toMatch(/^PyTorch 2\.11\.0 on NVIDIA H100 80GB HBM3 \(CUDA\) \(python 3\.12\.3/);
    expect(describeReference({ ...info, device: 'cpu' })).toMatch(/^PyTorch 2\.11\.0 \(python/);
  });
});
