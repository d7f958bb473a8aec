/**
 * PETS-shaped planning latency (opt-in group "pets"): one MPC action of CEM through a probabilistic
 * ensemble with trajectory sampling, at the PETS reference shapes: 5 members, each an MLP 6 → 3×200
 * swish → 8 (mean and log-variance of the normalized state change, log-variance soft-bounded as in
 * PETS/mbrl-lib), 20 particles per candidate (TS∞: each particle stays with one member, 4 per member),
 * CEM population 400, 5 iterations, horizon 25, elites 10 %, α 0.1; the return of a candidate is the
 * mean over its particles of the summed cart-pole reward.
 *
 * The library has no ensemble model yet, so the ensemble's forward pass is written here from the
 * library's parts (Mlp, Normalizer, obsFeatures), the way the wasm backend runs fastest: one plain
 * 2-D matMul chain per member on its block of rows (batched 3-D matMuls are much slower on wasm).
 * bench/reference/pets_planning.py is the same computation in PyTorch (batched bmm, as mbrl-lib).
 */
import * as tf from '@tensorflow/tfjs-core';
import type { TransitionBatch } from '../src-main/mbrl/data';
import { taskFunctions } from '../src-main/mbrl/env';
import { featureDim, Mlp, Normalizer, obsFeatures, obsFeaturesArray } from '../src-main/mbrl/models';
import { CemOptimizer, type Objective } from '../src-main/mbrl/planning';
import { median } from './bench-result';

/** The PETS reference shapes. */
export const PETS_SHAPES = Object.freeze({
  members: 5,
  particles: 20,
  hidden: [200, 200, 200] as readonly number[],
  population: 400,
  iterations: 5,
  horizon: 25,
  eliteFraction: 0.1,
  alpha: 0.1,
});

const SPEC = { obsDim: 4, angleDims: [1] };
const ACT_DIM = 1;

/** A probabilistic ensemble, just enough for planning: E MLPs with normalizers and log-variance bounds. */
export class BenchEnsemble {
  readonly members: Mlp[];
  readonly inputNorm: Normalizer;
  readonly outputNorm: Normalizer;
  private readonly maxLogvar = tf.keep(tf.fill([1, SPEC.obsDim], 0.5));
  private readonly minLogvar = tf.keep(tf.fill([1, SPEC.obsDim], -10));

  constructor(size: number, hidden: readonly number[], data: TransitionBatch) {
    const inputDim = featureDim(SPEC) + ACT_DIM;
    this.members = Array.from({ length: size }, (_, m) => Mlp.create({ inputDim, hidden: [...hidden], outputDim: 2 * SPEC.obsDim, activation: 'swish' }, m));
    const feats = obsFeaturesArray(data.obs, SPEC);
    const F = featureDim(SPEC);
    const inputs = new Float32Array(data.size * inputDim);
    for (let i = 0; i < data.size; i++) {
      inputs.set(feats.subarray(i * F, (i + 1) * F), i * inputDim);
      inputs[i * inputDim + F] = data.act[i];
    }
    const deltas = data.nextObs.map((v, i) => v - data.obs[i]);
    this.inputNorm = Normalizer.fit(inputs, inputDim);
    this.outputNorm = Normalizer.fit(deltas, SPEC.obsDim);
  }

  /**
   * obs, act: [E·B, ·], member m owning rows m·B … (m+1)·B − 1 → sampled next observations [E·B, D].
   */
  sample(obs: tf.Tensor2D, act: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const E = this.members.length;
      const B = obs.shape[0] / E;
      const D = SPEC.obsDim;
      const x = this.inputNorm.normalize(tf.concat([obsFeatures(obs, SPEC), act], 1) as tf.Tensor2D);
      const out = tf.concat(this.members.map((mlp, m) => mlp.forward(tf.slice(x, [m * B, 0], [B, -1]))), 0) as tf.Tensor2D;
      const mean = tf.slice(out, [0, 0], [-1, D]);
      let logvar = tf.slice(out, [0, D], [-1, D]);
      logvar = tf.sub(this.maxLogvar, tf.softplus(tf.sub(this.maxLogvar, logvar)));
      logvar = tf.add(this.minLogvar, tf.softplus(tf.sub(logvar, this.minLogvar)));
      const delta = tf.add(mean, tf.mul(tf.exp(tf.mul(logvar, 0.5)), tf.randomNormal(mean.shape)));
      return tf.add(obs, this.outputNorm.denormalize(delta as tf.Tensor2D)) as tf.Tensor2D;
    });
  }

  dispose(): void {
    this.members.forEach((m) => m.dispose());
    this.inputNorm.dispose();
    this.outputNorm.dispose();
    tf.dispose([this.maxLogvar, this.minLogvar]);
  }
}

/** TS∞ objective: actions [N, H, A] → mean over particles of the summed reward [N]. */
export function particleObjective(ensemble: BenchEnsemble, particles: number, obs0: Float32Array): Objective {
  return (actions) =>
    tf.tidy(() => {
      const [N, H, A] = actions.shape;
      const E = ensemble.members.length;
      const perMember = particles / E;
      const rows = E * N * perMember; // row = m·(N·perMember) + n·perMember + j
      let obs = tf.tile(tf.tensor2d(obs0, [1, obs0.length]), [rows, 1]) as tf.Tensor2D;
      let total = tf.zeros([rows]) as tf.Tensor1D;
      const steps = tf.unstack(tf.transpose(actions, [1, 0, 2])) as tf.Tensor2D[];
      const { rewardBatch } = taskFunctions('cartpole');
      for (let t = 0; t < H; t++) {
        const act = tf.reshape(tf.tile(tf.reshape(steps[t], [1, N, 1, A]), [E, 1, perMember, 1]), [rows, A]) as tf.Tensor2D;
        const next = ensemble.sample(obs, act);
        total = tf.add(total, rewardBatch(next, act));
        obs = next;
      }
      return tf.mean(tf.reshape(total, [E, N, perMember]), [0, 2]) as tf.Tensor1D;
    });
}

export interface PetsBenchOptions {
  runs?: number;
  warmup?: number;
  /** Called after each timed MPC action (the suite runs one reference action there). */
  afterRun?: () => Promise<void>;
  shapes?: Partial<typeof PETS_SHAPES>;
}

/** Times MPC actions (CEM optimisations, warm-started) from the hanging start; median ms and each run. */
export async function benchPetsPlanning(data: TransitionBatch, options: PetsBenchOptions = {}): Promise<{ ms: number; runs: number[] }> {
  const s = { ...PETS_SHAPES, ...options.shapes };
  if (s.particles % s.members) throw new Error(`pets: particles (${s.particles}) must be a multiple of members (${s.members})`);
  const runs = options.runs ?? 3;
  const warmup = options.warmup ?? 1;
  const ensemble = new BenchEnsemble(s.members, s.hidden, data);
  try {
    const bounds = { low: Float32Array.of(-1), high: Float32Array.of(1) };
    const optimizer = new CemOptimizer({ horizon: s.horizon, population: s.population, iterations: s.iterations, eliteFraction: s.eliteFraction, alpha: s.alpha, seed: 0 }, bounds);
    const objective = particleObjective(ensemble, s.particles, Float32Array.of(0, Math.PI, 0, 0));
    let plan: Float32Array = new Float32Array(s.horizon * ACT_DIM);
    const times: number[] = [];
    for (let call = 0; call < warmup + runs; call++) {
      const warm = new Float32Array(plan.length);
      warm.set(plan.subarray(ACT_DIM));
      const start = performance.now();
      plan = await optimizer.optimize(objective, warm);
      if (call >= warmup) {
        times.push(performance.now() - start);
        await options.afterRun?.();
      }
    }
    return { ms: median(times), runs: times };
  } finally {
    ensemble.dispose();
  }
}
