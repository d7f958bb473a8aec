// Compares the parity child's wasm and WebGPU results: the measures that
// test/engine/backend/webgpu-swiftshader.test.ts bounds, printed for a GPU machine's record.
// Usage: node compare.mjs parity.json
import { readFileSync } from 'node:fs';
const r = JSON.parse(readFileSync(process.argv[2], 'utf8').trim().split('\n').at(-1));
const maxAbs = (a) => Math.max(...a.map(Math.abs));
const rel = (a, b) => Math.max(...a.map((v, i) => Math.abs(v - b[i]))) / maxAbs(a);
const { wasm, webgpu } = r;
console.log(JSON.stringify({
  auto: r.auto, webgpuDevice: r.webgpuDevice, software: r.software,
  forwardMean: rel(wasm.before.mean, webgpu.before.mean), forwardLogVar: rel(wasm.before.logVar, webgpu.before.logVar),
  trainLoss: Math.abs(wasm.trainLoss - webgpu.trainLoss) / Math.abs(wasm.trainLoss),
  weights: Math.max(...wasm.weights.map((w, i) => Math.abs(w - webgpu.weights[i]))),
  afterMean: rel(wasm.after.mean, webgpu.after.mean), afterLogVar: rel(wasm.after.logVar, webgpu.after.logVar),
  candidateReturns: rel(wasm.candidateReturns, webgpu.candidateReturns), bestReturns: rel(wasm.bestReturns, webgpu.bestReturns),
  longSum: rel(wasm.longSum, webgpu.longSum), accumulatedGradient: rel(wasm.accumulatedGradient, webgpu.accumulatedGradient),
  plan: Math.max(...wasm.plan.map((a, i) => Math.abs(a - webgpu.plan[i]))),
  foresightPlan: Math.max(...wasm.foresight.plan.map((a, i) => Math.abs(a - webgpu.foresight.plan[i]))),
  foresightMaps: rel(wasm.foresight.maps, webgpu.foresight.maps),
  foresightFrames: rel(wasm.foresight.frames, webgpu.foresight.frames),
}, null, 1));
