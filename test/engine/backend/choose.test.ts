import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { describe, expect, it } from 'vitest';
import type { BackendFingerprint } from '../../../src-main/engine/backend/choice-cache';
import type { BackendChoice, LoaderTable } from '../../../src-main/engine/backend/choices';
import { chooseBackend, describeBackend, NAMED_ONLY, type ChooseOptions } from '../../../src-main/engine/backend/choose';

/**
 * A loader table where every backend is simulated on tfjs's cpu backend: `fail` lists the providers
 * that throw while loading, `software` the ones that present a software adapter (refused unless
 * allowed, as the real WebGPU loader does). `loads` records what was tried.
 */
function fakeLoaders(fail: Partial<Record<BackendChoice, string>> = {}, software: BackendChoice[] = []) {
  const loads: BackendChoice[] = [];
  const make = (provider: BackendChoice) => async ({ allowSoftware }: { allowSoftware: boolean }) => {
    loads.push(provider);
    if (fail[provider]) throw new Error(fail[provider]);
    const isSoftware = software.includes(provider);
    if (isSoftware && !allowSoftware) throw new Error('only a software adapter (SwiftShader)');
    await tf.setBackend('cpu');
    return { backend: 'cpu', device: `fake ${provider}${isSoftware ? ' (software)' : ''}`, software: isSoftware };
  };
  const loaders = Object.fromEntries((['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const).map((p) => [p, make(p)])) as LoaderTable;
  return { loaders, loads };
}

/** The choice with no provider reserved for naming: these tests cover the order, the measurement and the cache. */
const choose = (only?: BackendChoice, options: ChooseOptions = {}) => chooseBackend(only, { namedOnly: {}, ...options });

const fingerprint = (version = '4.22.0'): BackendFingerprint => ({ platform: 'linux', arch: 'x64', runtime: 'node 20', packages: { '@tensorflow/tfjs-core': version, webgpu: null } });
const tempFile = () => join(mkdtempSync(join(tmpdir(), 'mbrl-backend-')), 'backend.json');
/** Fixed timings per provider (ms per forward pass). */
const timings = (ms: Partial<Record<BackendChoice, number>>) => async (p: BackendChoice) => ms[p] ?? 1000;

describe('backend choice: order and fallback', () => {
  it('falls back in preference order when backends fail to load, saying why each was passed over', async () => {
    const { loaders, loads } = fakeLoaders({ 'tfjs-node-gpu': 'not installed', webgpu: 'no WebGPU adapter', 'tfjs-node': 'installed without its native library' });
    const report = await choose(undefined, { loaders });
    expect(report.provider).toBe('wasm');
    expect(report.source).toBe('preference');
    expect(loads).toEqual(['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm']);
    expect(report.attempts).toEqual(['tfjs-node-gpu: not installed', 'webgpu: no WebGPU adapter', 'tfjs-node: installed without its native library', 'wasm: in use']);
    expect(describeBackend(report)).toBe('wasm: fake wasm (tfjs-node-gpu: not installed; webgpu: no WebGPU adapter; tfjs-node: installed without its native library)');
  });

  it('takes the first in order when it loads, and falls to cpu when all else fails', async () => {
    expect((await choose(undefined, { loaders: fakeLoaders().loaders })).provider).toBe('tfjs-node-gpu');
    const allFail = fakeLoaders({ 'tfjs-node-gpu': 'x', webgpu: 'x', 'tfjs-node': 'x', wasm: 'wasm backend did not initialise' });
    expect((await choose(undefined, { loaders: allFail.loaders })).provider).toBe('cpu');
  });

  it('fails with every reason when nothing loads', async () => {
    const { loaders } = fakeLoaders({ 'tfjs-node-gpu': 'a', webgpu: 'b', 'tfjs-node': 'c', wasm: 'd', cpu: 'e' });
    await expect(choose(undefined, { loaders })).rejects.toThrow('no TensorFlow.js backend could be loaded (tfjs-node-gpu: a; webgpu: b; tfjs-node: c; wasm: d; cpu: e)');
  });

  it('honours an override: loads only that one, or fails with its reason', async () => {
    const { loaders, loads } = fakeLoaders();
    const report = await choose('cpu', { loaders });
    expect(report).toMatchObject({ provider: 'cpu', source: 'override', device: 'fake cpu' });
    expect(loads).toEqual(['cpu']);
    const broken = fakeLoaders({ 'tfjs-node': 'installed without its native library' });
    await expect(choose('tfjs-node', { loaders: broken.loaders })).rejects.toThrow('no TensorFlow.js backend could be loaded (tfjs-node: installed without its native library)');
    expect(broken.loads).toEqual(['tfjs-node']);
  });

  it('never picks a software adapter unless WebGPU is asked for by name', async () => {
    const { loaders } = fakeLoaders({ 'tfjs-node-gpu': 'not installed' }, ['webgpu']);
    // Even when the software adapter would measure fastest.
    const auto = await choose(undefined, { loaders, selfBenchmark: true, measure: timings({ webgpu: 1, 'tfjs-node': 50, wasm: 20, cpu: 300 }) });
    expect(auto.provider).toBe('wasm');
    expect(auto.software).toBe(false);
    expect(auto.attempts).toContain('webgpu: only a software adapter (SwiftShader)');
    const first = await choose(undefined, { loaders });
    expect(first.provider).toBe('tfjs-node');
    const asked = await choose('webgpu', { loaders });
    expect(asked).toMatchObject({ provider: 'webgpu', software: true, device: 'fake webgpu (software)' });
  });
});

describe('backend choice: self-benchmark and the cached choice', () => {
  it('measures every backend that loads and takes the fastest; a slower preferred one loses only by more than the margin', async () => {
    const { loaders } = fakeLoaders({ 'tfjs-node-gpu': 'not installed', webgpu: 'no WebGPU adapter' });
    const report = await choose(undefined, { loaders, selfBenchmark: true, measure: timings({ 'tfjs-node': 30, wasm: 12, cpu: 300 }) });
    expect(report).toMatchObject({ provider: 'wasm', source: 'benchmark' });
    expect(report.timings).toEqual([
      { provider: 'tfjs-node-gpu', note: 'not installed' },
      { provider: 'webgpu', note: 'no WebGPU adapter' },
      { provider: 'tfjs-node', ms: 30 },
      { provider: 'wasm', ms: 12 },
      { provider: 'cpu', ms: 300 },
    ]);
    // Within 5 %: the preferred (earlier) one stays.
    const close = await choose(undefined, { loaders, selfBenchmark: true, measure: timings({ 'tfjs-node': 12.4, wasm: 12, cpu: 300 }) });
    expect(close.provider).toBe('tfjs-node');
  });

  it('a backend that fails its benchmark is passed over', async () => {
    const { loaders } = fakeLoaders({ 'tfjs-node-gpu': 'not installed', 'tfjs-node': 'not installed' });
    const measure = async (p: BackendChoice) => {
      if (p === 'webgpu') throw new Error('shader compilation failed');
      return p === 'wasm' ? 10 : 100;
    };
    const report = await choose(undefined, { loaders, selfBenchmark: true, measure });
    expect(report.provider).toBe('wasm');
    expect(report.timings.find((t) => t.provider === 'webgpu')?.note).toBe('loaded but failed the benchmark: shader compilation failed');
  });

  it('writes the choice, reuses it without measuring, and measures again when the installed backends change', async () => {
    const file = tempFile();
    const { loaders, loads } = fakeLoaders({ 'tfjs-node-gpu': 'not installed', webgpu: 'no adapter', 'tfjs-node': 'not installed' });
    let measured = 0;
    const measure = async (p: BackendChoice) => (measured++, p === 'wasm' ? 10 : 200);
    const first = await choose(undefined, { loaders, selfBenchmark: true, cacheFile: file, measure, fingerprint: () => fingerprint() });
    expect(first.source).toBe('benchmark');
    expect(measured).toBe(2);
    const stored = JSON.parse(readFileSync(file, 'utf8'));
    expect(stored).toMatchObject({ format: 'mbrl-lab/backend', version: 1, measured: { choice: 'wasm', device: 'fake wasm', fingerprint: fingerprint() } });

    loads.length = 0;
    const again = await choose(undefined, { loaders, selfBenchmark: true, cacheFile: file, measure, fingerprint: () => fingerprint() });
    expect(again).toMatchObject({ provider: 'wasm', source: 'cache' });
    expect(again.timings).toEqual(first.timings);
    expect(measured).toBe(2);
    expect(loads).toEqual(['wasm']);

    // A new tfjs version (or a backend installed or removed) invalidates the measurement.
    const upgraded = await choose(undefined, { loaders, selfBenchmark: true, cacheFile: file, measure, fingerprint: () => fingerprint('4.23.0') });
    expect(upgraded.source).toBe('benchmark');
    expect(upgraded.attempts[0]).toMatch(/stored measurement is out of date/);
    expect(measured).toBe(4);
    expect(JSON.parse(readFileSync(file, 'utf8')).measured.fingerprint.packages['@tensorflow/tfjs-core']).toBe('4.23.0');

    // remeasure ignores a matching measurement.
    const forced = await choose(undefined, { loaders, selfBenchmark: true, cacheFile: file, measure, remeasure: true, fingerprint: () => fingerprint('4.23.0') });
    expect(forced.source).toBe('benchmark');
    expect(measured).toBe(6);
  });

  it('a cached choice that no longer loads is measured again', async () => {
    const file = tempFile();
    const ok = fakeLoaders({ 'tfjs-node-gpu': 'not installed', webgpu: 'x', 'tfjs-node': 'x' });
    await choose(undefined, { loaders: ok.loaders, selfBenchmark: true, cacheFile: file, measure: timings({ wasm: 10, cpu: 100 }), fingerprint: () => fingerprint() });
    const wasmGone = fakeLoaders({ 'tfjs-node-gpu': 'not installed', webgpu: 'x', 'tfjs-node': 'x', wasm: 'wasm backend did not initialise' });
    const report = await choose(undefined, { loaders: wasmGone.loaders, selfBenchmark: true, cacheFile: file, measure: timings({ cpu: 100 }), fingerprint: () => fingerprint() });
    expect(report).toMatchObject({ provider: 'cpu', source: 'benchmark' });
  });

  it('a corrupt cache file is ignored with a warning naming the file, then replaced', async () => {
    for (const [contents, why] of [
      ['{"format": "mbrl-lab/backend", "version": 1, "measured": {', /not valid JSON/],
      ['{"format": "mbrl-lab/backend", "version": 1, "measured": {"choice": "tpu"}}', /measured\.(fingerprint|choice)/],
      ['[1, 2, 3]', /ignored/],
    ] as const) {
      const file = tempFile();
      writeFileSync(file, contents);
      const warnings: string[] = [];
      const { loaders } = fakeLoaders({ 'tfjs-node-gpu': 'x', webgpu: 'x', 'tfjs-node': 'x' });
      const report = await choose(undefined, { loaders, selfBenchmark: true, cacheFile: file, measure: timings({ wasm: 10, cpu: 100 }), fingerprint: () => fingerprint(), warn: (l) => warnings.push(l) });
      expect(report).toMatchObject({ provider: 'wasm', source: 'benchmark' });
      expect(warnings).toHaveLength(1);
      expect(warnings[0]).toContain(`${file}: ignored (`);
      expect(warnings[0]).toMatch(why);
      expect(JSON.parse(readFileSync(file, 'utf8')).measured.choice).toBe('wasm');
    }
  });
});

describe('backend choice: providers used only when named', () => {
  it('passes over WebGPU automatically without loading it, and loads it when named', async () => {
    const { loaders, loads } = fakeLoaders({ 'tfjs-node-gpu': 'not installed' });
    const auto = await chooseBackend(undefined, { loaders, selfBenchmark: true, measure: timings({ webgpu: 1, 'tfjs-node': 50, wasm: 20, cpu: 300 }) });
    // WebGPU would have measured fastest; the rest are measured as usual and wasm wins.
    expect(auto.provider).toBe('wasm');
    expect(loads).not.toContain('webgpu');
    expect(auto.attempts).toContain(`webgpu: ${NAMED_ONLY.webgpu}`);
    expect(auto.timings.find((t) => t.provider === 'webgpu')).toEqual({ provider: 'webgpu', note: NAMED_ONLY.webgpu });
    const named = await chooseBackend('webgpu', { loaders });
    expect(named).toMatchObject({ provider: 'webgpu', source: 'override' });
    expect(loads).toContain('webgpu');
  });
});
