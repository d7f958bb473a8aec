/**
 * Checks that the PyTorch planning reference computes what our planner computes: the same model
 * (weights and normalizers copied from an EnsembleDynamicsModel fitted on cart-pole data), the same start
 * and the same candidate action sequences must give the same returns, up to float32 rounding.
 * Run: `npx tsx bench/check-reference.ts` (needs python3-torch; exits 1 on a mismatch).
 */
import * as tf from '@tensorflow/tfjs-core';
import { execFileSync } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { chooseBackend } from '../src-main/engine/tf-backend';
import { taskFunctions } from '../src-main/mbrl/env';
import { EnsembleDynamicsModel } from '../src-main/mbrl/models';
import { modelReturnObjective } from '../src-main/mbrl/planning';
import { Rng } from '../src-main/mbrl/util';
import { collectCartpoleTransitions } from './cartpole-data';
import { REFERENCE_MISSING, referenceTempDir, torchPython, writeReferenceFile } from './reference';

const modelsDir = fileURLToPath(new URL('../resources/models/', import.meta.url));
const python = torchPython();
if (!python) {
  console.log(`reference skipped: ${REFERENCE_MISSING}`);
  process.exit(0);
}
await chooseBackend();
const hidden = [200, 200, 200];
const N = 64;
const H = 30;
const data = await collectCartpoleTransitions((f) => readFile(modelsDir + f, 'utf8'), 2000);
const model = EnsembleDynamicsModel.create({ members: 1, probabilistic: false, sampling: 'shuffle', elites: 1,  obsDim: 4, actDim: 1, angleDims: [1], hidden, activation: 'swish', seed: 1 });
await model.fit(data, { epochs: 3, batchSize: 256, learningRate: 1e-3, weightDecay: 5e-5, valFraction: 0, patience: 3, seed: 0 });

const { modelJson, weightData } = await model.save();
const specs = (modelJson.weightsManifest as { weights: tf.io.WeightsManifestEntry[] }[])[0].weights;
const tensors = tf.io.decodeWeights(weightData, specs);
const kernels: number[][] = [];
const kernelShapes: number[][] = [];
const biases: number[][] = [];
for (const s of specs) {
  const values = Array.from(tensors[s.name].dataSync());
  if (s.name.endsWith('kernel')) {
    kernels.push(values);
    kernelShapes.push(s.shape);
  } else biases.push(values);
}
const norms = modelJson.normalizers as { input: { mean: number[]; std: number[] }; output: { mean: number[]; std: number[] } };

const rng = new Rng(7);
const actions = Float32Array.from({ length: N * H }, () => Math.max(-1, Math.min(1, 0.6 * rng.normal())));
const obs0 = [0.1, Math.PI - 0.2, -0.3, 0.5];
const ours = tf.tidy(() => modelReturnObjective(model, taskFunctions('cartpole'), Float32Array.from(obs0))(tf.tensor3d(actions, [N, H, 1])));
const ourReturns = await ours.data();

const temp = await referenceTempDir();
try {
  const spec = { hidden, kernels, kernelShapes, biases, inMean: norms.input.mean, inStd: norms.input.std, outMean: norms.output.mean, outStd: norms.output.std, obs0, population: N, horizon: H, actions: Array.from(actions) };
  const file = await writeReferenceFile(temp.dir, 'check.json', JSON.stringify(spec));
  const out = execFileSync(python, [fileURLToPath(new URL('./reference/mpc_planning.py', import.meta.url)), '--check', file], { encoding: 'utf8' });
  const theirs = (JSON.parse(out.trim().split('\n').pop()!) as { returns: number[] }).returns;
  let maxAbs = 0;
  let maxRel = 0;
  for (let i = 0; i < N; i++) {
    const d = Math.abs(theirs[i] - ourReturns[i]);
    maxAbs = Math.max(maxAbs, d);
    maxRel = Math.max(maxRel, d / Math.max(1e-3, Math.abs(ourReturns[i])));
  }
  const ok = maxRel < 1e-3;
  console.log(`returns of ${N} candidates over ${H} steps: ours [${ourReturns[0].toFixed(5)}, ${ourReturns[1].toFixed(5)}, …], reference [${theirs[0].toFixed(5)}, ${theirs[1].toFixed(5)}, …]`);
  console.log(`max |Δ| ${maxAbs.toExponential(2)}, max relative ${maxRel.toExponential(2)}: ${ok ? 'same computation' : 'MISMATCH'}`);
  process.exitCode = ok ? 0 : 1;
} finally {
  await temp.cleanup();
  model.dispose();
}
