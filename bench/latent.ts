/**
 * Latent models from pixels (issue 6): E2C encoder + decoder training throughput and latent planning
 * latency per action, each beside bench/reference/latent_e2c.py (the same computation in PyTorch)
 * timed in the same run, alternating units so both see the same load.
 *
 * Fixed reference size (the E2C planar system's images): 40×40×3 frames; encoder patch convs
 * 2×2/2 → 16 ch, 2×2/2 → 32 ch (10×10×32), dense 256, → μ, log σ² (dz = 3); decoder mirrored
 * (dense 256 → 10×10×32 → transposed 2×2/2 convs → 3 logits a pixel); transition MLP dz → 64 → 64 →
 * v, r, o, B (A = I + v rᵀ); action 2. Training: E2C loss (Bernoulli reconstructions of o_t and o_{t+1},
 * KL, consistency KL), Adam lr 1e-3, batch 64, 2048 transitions a epoch (32 steps); one epoch = one unit.
 * images/s counts the four images each transition passes through (two encoded, two decoded).
 * A second training row times the planar preset's nets (resources/presets/latent/e2c-point-mass.json):
 * spatial-softmax keypoint encoder (5×5 conv → 8, linear to dz 2), MLP decoder 150-150, transition
 * 100-100, Gaussian pixels σ 0.1, batch 128 (reference unit `--what=train-keypoints`).
 * Planning: one goal-image MPC action = CEM 500 × 5 iterations, horizon 10, through the transition
 * from an encoded frame toward an encoded goal. iLQR latency (horizon 10, 10 iterations) is ours only.
 * Frame contents do not change the work: frames are random bytes (seeded).
 *
 * Run alone: `npx tsx bench/latent.ts [wasm|cpu|…]` (prints JSON lines; the suite can call benchLatent).
 */
import * as tf from '@tensorflow/tfjs-core';
import { chooseBackend, type BackendChoice } from '../src-main/engine/tf-backend';
import { E2cModel, type E2cConfig, type ImageTransitions } from '../src-main/mbrl/models/latent';
import { CemOptimizer, LatentIlqrController, MpcAgent, encodeImage, latentObjectiveAt } from '../src-main/mbrl/planning';
import { Rng } from '../src-main/mbrl/util';
import { median, withReference, type BenchResult } from './bench-result';
import { ReferenceProcess, torchPython, REFERENCE_MISSING, describeReference } from './reference';

export const LATENT_SHAPES = Object.freeze({ size: 40, channels: 3, latentDim: 3, actDim: 2, transitions: 2048, batch: 64, population: 500, iterations: 5, horizon: 10 });

const S = LATENT_SHAPES;

function config(): E2cConfig {
  return {
    imageShape: [S.size, S.size, S.channels],
    actDim: S.actDim,
    latentDim: S.latentDim,
    stages: [
      { patch: 2, channels: 16 },
      { patch: 2, channels: 32 },
    ],
    hidden: [256],
    transitionHidden: [64, 64],
    activation: 'relu',
    weights: { reconstruction: 1, nextReconstruction: 1, kl: 1, consistency: 1 },
    seed: 0,
  };
}

/** The planar preset's E2C nets at the bench's image size (see the header). */
function keypointConfig(): E2cConfig {
  return {
    imageShape: [S.size, S.size, S.channels],
    actDim: S.actDim,
    latentDim: 2,
    stages: [],
    hidden: [150, 150],
    keypoints: { channels: 8, kernel: 5 },
    initialLogVariance: -6,
    meanImageOffset: true,
    pixelStd: 0.1,
    transitionHidden: [100, 100],
    activation: 'relu',
    weights: { reconstruction: 1, nextReconstruction: 1, kl: 1, consistency: 1 },
    seed: 0,
  };
}

function randomData(n: number): ImageTransitions {
  const rng = new Rng(0);
  const P = S.size * S.size * S.channels;
  const bytes = (len: number) => Uint8Array.from({ length: len }, () => (rng.nextUint32() & 0xff));
  return { size: n, imageShape: [S.size, S.size, S.channels], actDim: S.actDim, obs: bytes(n * P), nextObs: bytes(n * P), act: Float32Array.from({ length: n * S.actDim }, () => rng.uniform(-1, 1)), reward: new Float32Array(n) };
}

type Unit = () => Promise<number>;

/** Runs `warmup` then `runs` of ours, a reference unit after each of ours; medians. */
async function alternate(ours: Unit, ref: ReferenceProcess | null, runs: number, warmup: number, log: (l: string) => void): Promise<{ ms: number; refMs?: number }> {
  for (let i = 0; i < warmup; i++) await ours();
  const mine: number[] = [];
  const theirs: number[] = [];
  for (let i = 0; i < runs; i++) {
    mine.push(await ours());
    if (ref) {
      try {
        theirs.push(await ref.step());
      } catch (error) {
        log(`reference skipped: ${(error as Error).message}`);
        ref = null;
      }
    }
  }
  return { ms: median(mine), refMs: theirs.length ? median(theirs) : undefined };
}

async function startReference(what: 'train' | 'train-keypoints' | 'plan', log: (l: string) => void): Promise<ReferenceProcess | null> {
  const python = torchPython();
  if (!python) {
    log(`reference skipped: ${REFERENCE_MISSING}`);
    return null;
  }
  try {
    const ref = await ReferenceProcess.start(python, 'latent_e2c.py', [`--what=${what}`, '--warmup=1']);
    log(`reference: ${describeReference(ref.info)}`);
    return ref;
  } catch (error) {
    log(`reference skipped: ${(error as Error).message}`);
    return null;
  }
}

/** Training images/s of `model` (one epoch = one unit, timed from one onEpoch report to the next) beside `ref`'s. */
async function trainingThroughput(model: E2cModel, data: ImageTransitions, batch: number, ref: ReferenceProcess | null, runs: number, label: string, log: (l: string) => void): Promise<BenchResult> {
  let last = 0;
  const epochTimes: number[] = [];
  const fitOnce: Unit = async () => {
    last = performance.now();
    await model.fit(data, { epochs: 1, batchSize: batch, learningRate: 1e-3, valFraction: 0, seed: epochTimes.length }, () => {
      epochTimes.push(performance.now() - last);
    });
    return epochTimes[epochTimes.length - 1];
  };
  const train = await alternate(fitOnce, ref, runs, 1, log);
  ref?.close();
  const imagesPerEpoch = Math.floor(S.transitions / batch) * batch * 4;
  return withReference({ name: `latent train throughput (${label})`, value: imagesPerEpoch / (train.ms / 1000), unit: 'images/s' }, train.refMs === undefined ? undefined : imagesPerEpoch / (train.refMs / 1000));
}

/** The latent benchmarks on the current tfjs backend (`backend` labels the results). */
export async function benchLatent(backend: string, log: (l: string) => void = () => {}, options: { runs?: number; reference?: boolean } = {}): Promise<BenchResult[]> {
  const runs = options.runs ?? 3;
  const results: BenchResult[] = [];
  const data = randomData(S.transitions);
  const model = E2cModel.create(config());
  try {
    const label = `E2C ${S.size}x${S.size}x${S.channels}, patch convs 16-32, dense 256, dz ${S.latentDim}, batch ${S.batch}; ${backend}`;
    results.push(await trainingThroughput(model, data, S.batch, options.reference === false ? null : await startReference('train', log), runs, label, log));
    const planar = E2cModel.create(keypointConfig());
    try {
      const planarLabel = `E2C ${S.size}x${S.size}x${S.channels}, the planar preset's nets: keypoints 5x5 → 8, decoder 150-150, dz 2, batch 128; ${backend}`;
      results.push(await trainingThroughput(planar, data, 128, options.reference === false ? null : await startReference('train-keypoints', log), runs, planarLabel, log));
    } finally {
      planar.dispose();
    }

    // Planning: one goal-image MPC action (CEM), then iLQR.
    const ref = options.reference === false ? null : await startReference('plan', log);
    const bounds = { low: Float32Array.of(-1, -1), high: Float32Array.of(1, 1) };
    const P = S.size * S.size * S.channels;
    const frame = Float32Array.from(data.obs.subarray(0, P), (v) => v / 255);
    const goal = Float32Array.from(data.obs.subarray(P, 2 * P), (v) => v / 255);
    const cem = new CemOptimizer({ horizon: S.horizon, population: S.population, iterations: S.iterations, eliteFraction: 0.1, alpha: 0.1, seed: 0 }, bounds);
    const agent = new MpcAgent(latentObjectiveAt(model, { code: encodeImage(model, goal) }), cem, bounds, 1);
    const before = tf.memory().numTensors;
    const plan = await alternate(async () => (await agent.act(frame)).planMs, ref, Math.max(5, runs), 1, log);
    ref?.close();
    if (tf.memory().numTensors !== before) log(`warning: latent planning leaked ${tf.memory().numTensors - before} tensors`);
    const planLabel = `CEM ${S.population}x${S.iterations}, H ${S.horizon}, E2C dz ${S.latentDim}, goal image ${S.size}x${S.size}; ${backend}`;
    results.push(withReference({ name: `latent mpc plan latency (${planLabel})`, value: plan.ms, unit: 'ms' }, plan.refMs));
    const d = S.latentDim;
    const controller = new LatentIlqrController(model, goal, { horizon: S.horizon, stateCost: new Array(d).fill(0.1), finalStateCost: new Array(d).fill(10), actionCost: [0.01, 0.01], iterations: 10, low: [-1, -1], high: [1, 1], tolerance: 0 });
    const ilqrTimes: number[] = [];
    for (let i = 0; i < 1 + Math.max(5, runs); i++) {
      const ms = controller.act(frame).planMs;
      if (i > 0) ilqrTimes.push(ms);
    }
    results.push({ name: `latent ilqr plan latency (H ${S.horizon}, 10 iterations, E2C dz ${S.latentDim}; ${backend})`, value: median(ilqrTimes), unit: 'ms' });
  } finally {
    model.dispose();
  }
  return results;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const report = await chooseBackend((process.argv[2] as BackendChoice | undefined) ?? undefined);
  for (const r of await benchLatent(report.provider, (l) => console.error(l))) console.log(JSON.stringify(r));
}
