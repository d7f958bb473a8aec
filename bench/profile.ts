/**
 * Where the time goes (by hand, not part of `npm run bench`): `npx tsx bench/profile.ts`.
 * Per-kernel time (tf.profile) of one planning objective call (500 candidates × 30 steps through the
 * cart-pole MLP 3×200), of one PETS-shaped objective call (bench/pets.ts) and of one step of the
 * 5-member probabilistic ensemble (batch 256) the old way (autodiff) and the way fit takes it now;
 * and plain versus transposed matMul, bias-gradient sums and transposes, which is what a backward pass
 * uses. Findings are written down in bench/README.md.
 */
import * as tf from '@tensorflow/tfjs-core';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import '@tensorflow/tfjs-layers'; // gradients
import { chooseBackend } from '../src-main/engine/tf-backend';
import { taskFunctions } from '../src-main/mbrl/env';
import { AdamStep, EnsembleDynamicsModel, LogVarBounds, memberLoss, memberLossGradients, memberVariables, Mlp, type Member } from '../src-main/mbrl/models';
import { modelReturnObjective, particleReturnObjective } from '../src-main/mbrl/planning';
import { Rng } from '../src-main/mbrl/util';
import { collectCartpoleTransitions } from './cartpole-data';

const modelsDir = fileURLToPath(new URL('../resources/models/', import.meta.url));

const report = await chooseBackend();
console.log(`backend: ${report.provider}`);

async function profile(title: string, fn: () => Promise<void> | void, repeats = 5): Promise<void> {
  for (let i = 0; i < 3; i++) await fn();
  const start = performance.now();
  for (let i = 0; i < repeats; i++) await fn();
  const wall = (performance.now() - start) / repeats;
  const prof = await tf.profile(async () => {
    await fn();
  });
  const byKernel = new Map<string, { ms: number; calls: number }>();
  for (const k of prof.kernels) {
    const key = `${k.name} ${JSON.stringify(k.inputShapes)}`;
    const e = byKernel.get(key) ?? { ms: 0, calls: 0 };
    e.ms += Number(k.kernelTimeMs) || 0;
    e.calls++;
    byKernel.set(key, e);
  }
  const total = [...byKernel.values()].reduce((s, e) => s + e.ms, 0);
  console.log(`\n${title}: wall ${wall.toFixed(1)} ms; ${prof.kernels.length} kernels, ${total.toFixed(1)} ms in kernels`);
  for (const [key, e] of [...byKernel].sort((a, b) => b[1].ms - a[1].ms).slice(0, 12)) {
    console.log(`${e.ms.toFixed(2).padStart(8)} ms ${String(e.calls).padStart(4)}×  ${key}`);
  }
}

// Planning: one objective call = one CEM iteration (an MPC action is `iterations` of these).
const model = EnsembleDynamicsModel.create({ members: 1, probabilistic: false, sampling: 'shuffle', elites: 1,  obsDim: 4, actDim: 1, angleDims: [1], hidden: [200, 200, 200], activation: 'swish', seed: 0 });
const objective = modelReturnObjective(model, taskFunctions('cartpole'), Float32Array.of(0, Math.PI, 0, 0));
const actions = tf.randomUniform([500, 30, 1], -1, 1) as tf.Tensor3D;
await profile('planning objective, 500 × 30 steps', async () => {
  const r = objective(actions);
  await r.data();
  r.dispose();
});

// PETS shapes: one objective call = 400 candidates × 20 particles (8000 rows) × 25 steps, 5 members.
const data = await collectCartpoleTransitions((f) => readFile(modelsDir + f, 'utf8'), 2000);
const ensemble = EnsembleDynamicsModel.create({ obsDim: 4, actDim: 1, angleDims: [1], hidden: [200, 200, 200], activation: 'swish', members: 5, probabilistic: true, sampling: 'shuffle', elites: 5, seed: 0 });
await ensemble.fit(data, { epochs: 1, batchSize: 256, learningRate: 1e-3, weightDecay: 0, valFraction: 0, patience: 1, seed: 0 });
const petsSettings = { particles: 20, propagation: 'tsinf' as const, sample: true, objective: 'expected' as const, riskK: 1 };
const petsObjective = particleReturnObjective(ensemble, taskFunctions('cartpole'), Float32Array.of(0, Math.PI, 0, 0), petsSettings, new Rng(0));
const petsActions = tf.randomUniform([400, 25, 1], -1, 1) as tf.Tensor3D;
await profile('PETS objective, 400 × 20 particles × 25 steps, 5 members', async () => {
  const r = petsObjective(petsActions);
  await r.data();
  r.dispose();
}, 2);

// Training: one step of issue 8's ensemble (5 probabilistic members, 6 → 3×200 swish → 8, batch 256,
// weight decay 5e-5), as fit-regression.ts took it before (tfjs autodiff of memberLoss + tf.train.adam)
// and as it takes it now (hand-written gradients, member-gradients.ts, + AdamStep).
const members: Member[] = Array.from({ length: 5 }, (_, k) => ({ mlp: Mlp.create({ inputDim: 6, hidden: [200, 200, 200], outputDim: 8, activation: 'swish' }, k), bounds: LogVarBounds.create(4) }));
const xTrain = tf.randomNormal([2000, 6]) as tf.Tensor2D;
const yTrain = tf.randomNormal([2000, 4]) as tf.Tensor2D;
const batches = members.map((_, k) => tf.tensor1d(Int32Array.from({ length: 256 }, (_, i) => (i * 7 + k * 131) % 2000), 'int32'));
const tfAdam = tf.train.adam(1e-3);
const autodiffVariables = members.flatMap(memberVariables);
await profile('ensemble training step before: autodiff + tf.train.adam, 5 members, batch 256', async () => {
  const loss = tfAdam.minimize(() => tf.addN(members.map((m, k) => memberLoss(m, tf.gather(xTrain, batches[k]) as tf.Tensor2D, tf.gather(yTrain, batches[k]) as tf.Tensor2D, 5e-5))) as tf.Scalar, true, autodiffVariables);
  await loss!.data();
  loss!.dispose();
}, 5);
const adams = members.map((m) => new AdamStep(memberVariables(m), { learningRate: 1e-3 }));
await profile('ensemble training step now: hand-written gradients + AdamStep, 5 members, batch 256', async () => {
  const loss = tf.tidy(() => tf.addN(members.map((m, k) => {
    const r = memberLossGradients(m, tf.gather(xTrain, batches[k]) as tf.Tensor2D, tf.gather(yTrain, batches[k]) as tf.Tensor2D, 5e-5);
    adams[k].apply(r.grads);
    return r.loss;
  })));
  await loss.data();
  loss.dispose();
}, 5);

// The backward pass of h·W needs dh = dz·Wᵀ and dW = hᵀ·dz: matMul with transposeB / transposeA.
const h = tf.randomNormal([256, 200]) as tf.Tensor2D;
const w = tf.randomNormal([200, 200]) as tf.Tensor2D;
const cases: [string, () => tf.Tensor][] = [
  ['matMul(h, W)            [256,200]·[200,200]', () => tf.matMul(h, w)],
  ['matMul(h, W, false, true)  (dz·Wᵀ)', () => tf.matMul(h, w, false, true)],
  ['matMul(h, transpose(W))    (same, explicit transpose)', () => tf.tidy(() => tf.matMul(h, tf.transpose(w)))],
  ['matMul(h, h, true, false)  (hᵀ·dz)', () => tf.matMul(h, h, true, false)],
  ['matMul(transpose(h), h)    (same, explicit transpose)', () => tf.tidy(() => tf.matMul(tf.transpose(h), h))],
  ['sum(h, 0)                  (bias gradient, as autodiff does)', () => tf.sum(h, 0)],
  ['matMul(ones [1,256], h)    (bias gradient, as member-gradients.ts does)', () => tf.tidy(() => tf.matMul(tf.ones([1, 256]), h))],
  ['transpose(h)               [256,200]', () => tf.transpose(h)],
];
console.log('\nmatMul variants (ms per call, median of 7 × 20 calls):');
for (const [name, f] of cases) {
  for (let i = 0; i < 5; i++) f().dispose();
  const samples: number[] = [];
  for (let k = 0; k < 7; k++) {
    const start = performance.now();
    for (let i = 0; i < 20; i++) f().dispose();
    samples.push((performance.now() - start) / 20);
  }
  samples.sort((a, b) => a - b);
  console.log(`${samples[3].toFixed(3).padStart(8)} ms  ${name}`);
}
model.dispose();
members.forEach((m) => memberVariables(m).forEach((v) => v.dispose()));
adams.forEach((a) => a.dispose());
tfAdam.dispose();
ensemble.dispose();
