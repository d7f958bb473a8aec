/**
 * Child process of webgpu-swiftshader.test.ts (run with tsx and the Vulkan environment set): the same
 * model forward pass, training step and CEM planning call on wasm and on WebGPU, printed as one JSON
 * line for the test to compare. Small shapes: SwiftShader runs every shader on the CPU.
 */
import * as tf from '@tensorflow/tfjs-core';
import { chooseBackend } from '../../../src-main/engine/tf-backend';
import type { TransitionBatch } from '../../../src-main/mbrl/data';
import { taskFunctions } from '../../../src-main/mbrl/env';
import { EnsembleDynamicsModel } from '../../../src-main/mbrl/models';
import { renderSquare, VideoPredictionModel } from '../../../src-main/mbrl/models/video';
import { CemOptimizer, modelReturnObjective, VisualForesightPlanner } from '../../../src-main/mbrl/planning';
import { Rng } from '../../../src-main/mbrl/util/rng';

const N = 64;
const H = 8;

/** Cart-pole-like transitions from a fixed seed: s′ = s + small drift, so the fit sees real structure. */
function transitions(): TransitionBatch {
  const rng = new Rng(7);
  const obs = new Float32Array(N * 4).map(() => rng.normal());
  const act = new Float32Array(N).map(() => rng.uniform(-1, 1));
  const nextObs = obs.map((v, i) => v + 0.05 * Math.sin(v) + 0.1 * act[Math.floor(i / 4)]);
  return { size: N, obsDim: 4, actDim: 1, obs, act, nextObs, reward: new Float32Array(N), terminated: new Uint8Array(N) };
}

async function computeAll() {
  const data = transitions();
  // A probabilistic ensemble of two members covers the Gaussian head and the member loop.
  const model = EnsembleDynamicsModel.create({ members: 2, probabilistic: true, sampling: 'shuffle', elites: 2, obsDim: 4, actDim: 1, angleDims: [1], hidden: [32, 32], activation: 'swish', seed: 3 });
  const obs = tf.tensor2d(data.obs, [N, 4]);
  const act = tf.tensor2d(data.act, [N, 1]);
  // Read back asynchronously: WebGPU in Node has no synchronous read (tfjs's dataSync needs OffscreenCanvas).
  const forward = async () => {
    const p = model.memberPredict(1, obs, act);
    const out = { mean: Array.from(await p.next.data()), logVar: Array.from(await p.logVar!.data()) };
    p.next.dispose();
    p.logVar?.dispose();
    return out;
  };
  const before = await forward();
  // One training step: the whole batch, one Adam step on both members' summed Gaussian NLL.
  const fit = await model.fit(data, { epochs: 1, batchSize: N, learningRate: 1e-3, weightDecay: 5e-5, valFraction: 0, patience: 1, seed: 0 });
  const after = await forward();
  const weights = Array.from(new Float32Array((await model.save()).weightData as ArrayBuffer));
  // One CEM planning call through the trained model with the cart-pole reward.
  const bounds = { low: Float32Array.of(-1), high: Float32Array.of(1) };
  const cem = new CemOptimizer({ horizon: H, population: 48, iterations: 3, eliteFraction: 0.125, alpha: 0.1, seed: 0 }, bounds);
  const objective = modelReturnObjective(model, taskFunctions('cartpole'), Float32Array.of(0, Math.PI, 0, 0));
  // The objective on fixed candidates too: CEM's answer depends on which candidates rank as elites.
  const candidates = tf.tensor3d(new Float32Array(48 * H).map((_, i) => Math.sin(i * 0.37)), [48, H, 1]);
  const returns = objective(candidates);
  const candidateReturns = Array.from(await returns.data());
  returns.dispose();
  candidates.dispose();
  const iterations: number[] = [];
  const plan = Array.from(await cem.optimize(objective, new Float32Array(H), (r) => iterations.push(r.bestReturn)));
  obs.dispose();
  act.dispose();
  model.dispose();
  // A long sum, as autodiff makes for a weight used at every step of a 20-step rollout: tfjs's WebGPU
  // AddN binds one storage buffer per input, more than a device allows in one shader.
  const terms = Array.from({ length: 20 }, (_, i) => tf.fill([4, 8], i + 1 + 0.5 * Math.sin(i)));
  const total = tf.addN(terms);
  const longSum = Array.from(await total.data());
  const x = tf.fill([4, 8], 0.25);
  const gradient = tf.grad((v: tf.Tensor) => tf.sum(tf.addN(terms.map((t) => tf.mul(v, t)))))(x);
  const accumulatedGradient = Array.from(await gradient.data());
  tf.dispose([...terms, total, x, gradient]);
  return { before, trainLoss: fit.history[0].trainLoss, after, weights, candidateReturns, plan, bestReturns: iterations, longSum, accumulatedGradient, foresight: await foresightStep() };
}

/**
 * One visual-foresight MPC step through a small CDNA model: plan, execute, carry the designated
 * pixel's distribution by the predicted motion, and preview the next plan. Every read is async.
 */
async function foresightStep() {
  // Small: SwiftShader compiles a shader per op and shape, and runs them on the CPU.
  const S = 8;
  const frame = (x: number) => Float32Array.from(renderSquare(x, 3, { size: S, channels: 3, side: 2 }), (v) => v / 255);
  const model = VideoPredictionModel.create({ imageSize: S, channels: 3, actDim: 2, widths: [2, 4, 4], kernels: 2, kernelSize: 3, context: 2, seed: 1 });
  const planner = new VisualForesightPlanner(model, { kind: 'pixels', designated: [{ x: 2, y: 3 }], goals: [{ x: 6, y: 3 }] }, { horizon: 2, population: 8, iterations: 2, eliteFraction: 0.25, alpha: 0, replanEvery: 1, chunk: 8, seed: 5 }, { low: Float32Array.of(-1, -1), high: Float32Array.of(1, 1) });
  planner.reset(frame(1));
  const decision = await planner.act();
  await planner.observe(decision.action, frame(2));
  const preview = await planner.preview(decision.plan);
  const result = { plan: Array.from(decision.plan), maps: Array.from(planner.pixelMaps!), frames: Array.from(preview.frames) };
  model.dispose();
  return result;
}

// Chosen automatically, the software adapter is passed over (with its reason); named, it is used.
const auto = await chooseBackend();
const wasm = await chooseBackend('wasm');
const onWasm = await computeAll();
const gpu = await chooseBackend('webgpu');
const onWebGpu = await computeAll();
const line = `${JSON.stringify({ auto: { provider: auto.provider, attempts: auto.attempts }, wasmDevice: wasm.device, webgpuDevice: gpu.device, software: gpu.software, wasm: onWasm, webgpu: onWebGpu })}\n`;
// Dawn's instance would keep the process alive: exit, but only once the line is written (a pipe
// takes a long line in parts, and an exit in between would cut it).
process.stdout.write(line, () => process.exit(0));
