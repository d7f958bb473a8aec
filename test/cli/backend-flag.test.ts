import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { benchBackendLabel, parseBackendList } from '../../bench/bench-backends';
import type { BackendReport } from '../../src-main/engine/tf-backend';

const CLI = fileURLToPath(new URL('../../bin/mbrl-lab.mjs', import.meta.url));
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

describe('--backend on the command line', () => {
  it('names every backend in the help, webgpu included', () => {
    const help = run(['help']);
    expect(help.status).toBe(0);
    expect(help.stdout).toContain('Backends: tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu');
    expect(help.stdout).toMatch(/serve \[--port N\] \[--backend B\]/);
    expect(help.stdout).toMatch(/bench .*\[--backend B,\.\.\.\]/);
  });

  it('refuses an unknown backend with one line, for serve and bench', () => {
    const serve = run(['serve', '--backend', 'gpu']);
    expect(serve.status).toBe(1);
    expect(serve.stderr.trim()).toBe("mbrl-lab: --backend: expected one of tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu, got 'gpu'");
    const bench = run(['bench', '--backend', 'wasm,tpu']);
    expect(bench.status).toBe(1);
    expect(bench.stderr.trim()).toBe("mbrl-lab: --backend: unknown backend 'tpu' (expected tfjs-node-gpu, webgpu, tfjs-node, wasm, cpu)");
  });

  it('bench: a list in preference order; a software GPU labelled by its driver', () => {
    expect(parseBackendList('cpu, wasm,webgpu')).toEqual(['webgpu', 'wasm', 'cpu']);
    const report = (over: Partial<BackendReport>): BackendReport => ({ backend: 'webgpu', provider: 'webgpu', attempts: [], device: 'NVIDIA GeForce RTX 3080', software: false, source: 'override', timings: [], ...over });
    expect(benchBackendLabel(report({}))).toBe('webgpu');
    expect(benchBackendLabel(report({ device: 'SwiftShader driver 5.0.0 (software)', software: true }))).toBe('webgpu-swiftshader');
    expect(benchBackendLabel(report({ device: 'llvmpipe (LLVM 15) (software)', software: true }))).toBe('webgpu-llvmpipe');
  });
});
