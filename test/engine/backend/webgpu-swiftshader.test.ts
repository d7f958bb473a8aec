import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';

/**
 * The WebGPU path checked for correctness without a GPU: Dawn on Chromium's SwiftShader Vulkan driver
 * (a CPU implementation of Vulkan). The child process sets the Vulkan environment before Dawn starts
 * and leaves the other tests' tfjs backend alone; it runs the same computations on wasm and WebGPU.
 */
const require = createRequire(import.meta.url);
const CHILD = join(dirname(fileURLToPath(import.meta.url)), 'webgpu-parity-child.ts');

/** Debian's chromium ships SwiftShader's Vulkan ICD and a Vulkan loader (libvulkan.so.1) beside it. */
const ICD_CANDIDATES = [process.env.MBRL_LAB_SWIFTSHADER_ICD, '/usr/lib/chromium/vk_swiftshader_icd.json', '/usr/lib64/chromium/vk_swiftshader_icd.json', '/usr/lib/chromium-browser/vk_swiftshader_icd.json'];
const icd = ICD_CANDIDATES.find((p): p is string => !!p && existsSync(p));
const hasPackages = (() => {
  try {
    require.resolve('webgpu');
    require.resolve('@tensorflow/tfjs-backend-webgpu');
    return true;
  } catch {
    return false;
  }
})();
const skipReason = !hasPackages
  ? 'the optional packages webgpu and @tensorflow/tfjs-backend-webgpu are not installed'
  : !icd
    ? `no SwiftShader Vulkan ICD (looked for ${ICD_CANDIDATES.filter(Boolean).join(', ')}; Debian's chromium package ships it)`
    : null;

interface Results {
  before: { mean: number[]; logVar: number[] };
  after: { mean: number[]; logVar: number[] };
  trainLoss: number;
  weights: number[];
  candidateReturns: number[];
  plan: number[];
  bestReturns: number[];
  longSum: number[];
  accumulatedGradient: number[];
  foresight: { plan: number[]; maps: number[]; frames: number[] };
}

function runChild(): Promise<{ auto: { provider: string; attempts: string[] }; wasmDevice: string; webgpuDevice: string; software: boolean; wasm: Results; webgpu: Results }> {
  const xdg = mkdtempSync(join(tmpdir(), 'mbrl-xdg-'));
  const env = {
    ...process.env,
    VK_ICD_FILENAMES: icd!,
    // Dawn opens libvulkan.so.1; Chromium's copy sits beside the ICD (the system may have none).
    LD_LIBRARY_PATH: [dirname(icd!), process.env.LD_LIBRARY_PATH].filter(Boolean).join(':'),
    XDG_RUNTIME_DIR: xdg,
  };
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', pathToFileURL(require.resolve('tsx')).href, CHILD], { env, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    child.stdout.on('data', (d: Buffer) => (out += d));
    child.stderr.on('data', (d: Buffer) => (err += d));
    const timer = setTimeout(() => child.kill('SIGKILL'), 300_000);
    child.on('close', (code) => {
      clearTimeout(timer);
      if (code !== 0) return reject(new Error(`parity child exited ${code}: ${err.slice(-2000)}`));
      try {
        resolve(JSON.parse(out.trim().split('\n').at(-1)!));
      } catch (error) {
        reject(new Error(`parity child's output is not one JSON line (${out.length} characters): ${(error as Error).message}`));
      }
    });
  });
}

const maxAbs = (a: number[]) => Math.max(...a.map(Math.abs));
/** Largest |a − b| as a fraction of the largest |a| (the quantity's own scale). */
const relToScale = (a: number[], b: number[]) => {
  expect(b).toHaveLength(a.length);
  return Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / maxAbs(a);
};

describe('WebGPU (Dawn on SwiftShader) against wasm', () => {
  it.skipIf(!!skipReason)(`forward pass, training step, CEM planning, long sums and a visual-foresight step agree within float32 tolerances${skipReason ? ` (skipped: ${skipReason})` : ''}`, { timeout: 320_000 }, async () => {
    const r = await runChild();
    // Chosen automatically, WebGPU is passed over (choose.ts NAMED_ONLY); named, the software adapter is used and labelled.
    expect(r.auto.provider).not.toBe('webgpu');
    expect(r.auto.attempts.find((a) => a.startsWith('webgpu:'))).toMatch(/^webgpu: used only when asked for by name/);
    // Named explicitly, WebGPU takes the software adapter, and says so.
    expect(r.software).toBe(true);
    expect(r.webgpuDevice).toMatch(/SwiftShader.*\(software\)/);
    const { wasm, webgpu } = r;
    // Tolerances. float32 (ε ≈ 1.2e-7) with different reduction orders (tiled shader matMuls vs
    // XNNPACK) gives errors of about √K·ε relative per layer; transcendental functions (exp in the swish
    // sigmoid and the soft log-variance bounds, sin/cos of the angle) may differ by a few ULP in WGSL
    // and more for large arguments. Measured here: ≤ 5e-5 of the output's scale for the forward pass,
    // ≤ 7e-5 for 8-step rollout returns. Bounds are ~10× that: a real fault (wrong transpose, lost
    // bias, wrong activation, a dropped gradient) is off by 1e-2..1.
    expect(relToScale(wasm.before.mean, webgpu.before.mean)).toBeLessThan(5e-4);
    expect(relToScale(wasm.before.logVar, webgpu.before.logVar)).toBeLessThan(5e-4);
    // One Adam step moves each weight by about the learning rate (1e-3) in the direction of its
    // gradient's sign; a wrong or missing gradient component shows as ~1e-3. Measured: 2e-8.
    expect(Math.abs(wasm.trainLoss - webgpu.trainLoss) / Math.abs(wasm.trainLoss)).toBeLessThan(1e-4);
    expect(Math.max(...wasm.weights.map((w, i) => Math.abs(w - webgpu.weights[i])))).toBeLessThan(1e-5);
    expect(relToScale(wasm.after.mean, webgpu.after.mean)).toBeLessThan(5e-4);
    expect(relToScale(wasm.after.logVar, webgpu.after.logVar)).toBeLessThan(5e-4);
    // Planning: rollout returns of fixed candidates, then a whole CEM call. CEM keeps the top
    // candidates by return; with errors ~1e-5 the same elites are chosen, so the plan (their mean, in
    // float64 on the CPU) matches to float32 rounding (measured: identical).
    expect(relToScale(wasm.candidateReturns, webgpu.candidateReturns)).toBeLessThan(1e-3);
    expect(relToScale(wasm.bestReturns, webgpu.bestReturns)).toBeLessThan(1e-3);
    expect(Math.max(...wasm.plan.map((a, i) => Math.abs(a - webgpu.plan[i])))).toBeLessThan(1e-4);
    // A sum of 20 tensors, and a gradient that autodiff accumulates over 20 uses: more inputs than a
    // WebGPU shader may bind, so they are summed in chunks (webgpu-add-n.ts). Unchunked, the pipeline
    // is invalid and the result stays unwritten (zeros).
    expect(wasm.longSum.every((v) => v > 200)).toBe(true);
    expect(relToScale(wasm.longSum, webgpu.longSum)).toBeLessThan(1e-6);
    expect(relToScale(wasm.accumulatedGradient, webgpu.accumulatedGradient)).toBeLessThan(1e-6);
    // Visual foresight on WebGPU: a CEM plan through the CDNA model, the designated pixel's map carried
    // by one predicted step, and the plan's predicted frames, all read back asynchronously.
    const f = { wasm: wasm.foresight, webgpu: webgpu.foresight };
    expect(f.webgpu.frames).toHaveLength(2 * 8 * 8 * 3);
    expect(Math.max(...f.wasm.plan.map((a, i) => Math.abs(a - f.webgpu.plan[i])))).toBeLessThan(1e-4);
    expect(relToScale(f.wasm.maps, f.webgpu.maps)).toBeLessThan(1e-4);
    expect(relToScale(f.wasm.frames, f.webgpu.frames)).toBeLessThan(1e-4);
  });
});
