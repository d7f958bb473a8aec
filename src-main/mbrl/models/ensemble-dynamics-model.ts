import * as tf from '@tensorflow/tfjs-core';
import type { TransitionBatch } from '../data';
import type { DynamicsModel, EpochReport, FitOptions, ModelArtifacts } from './dynamics-model';
import { featureDim, obsFeatures, obsFeaturesArray, type FeatureSpec } from './features';
import { fitMembers, type MemberSampling, type MembersFitResult } from './fit-regression';
import { LogVarBounds } from './gaussian-head';
import { memberForward, memberVariables, type Member } from './member';
import type { MemberTrainingCompute } from './member-training';
import { Mlp, type Activation } from './mlp';
import { Normalizer, type NormalizerJson } from './normalizer';

/** Architecture of an {@link EnsembleDynamicsModel}. One deterministic member is the lecture's MLP. */
export interface EnsembleConfig extends FeatureSpec {
  actDim: number;
  /** Hidden layer widths of every member, e.g. [200, 200, 200]. */
  hidden: number[];
  activation: Activation;
  /** K: number of networks. */
  members: number;
  /** Members predict a Gaussian (mean and log-variance) instead of a point. */
  probabilistic: boolean;
  /** Each member's data: independent shuffles of all of it, or a bootstrap resample. */
  sampling: MemberSampling;
  /** E ≤ K: members kept for prediction after each fit, by validation loss (K keeps all). */
  elites: number;
  /** Seeds the initial weights (member k uses seed + k). */
  seed: number;
}

/** One member's prediction for a batch, in observation units. */
export interface MemberPrediction {
  /** Predicted next observation (mean): [B, obsDim]. */
  next: tf.Tensor2D;
  /** Predicted log-variance of the next observation: [B, obsDim]; null for deterministic members. */
  logVar: tf.Tensor2D | null;
}

/**
 * What ensemble-aware planning needs from a model: members it can query one by one, so each
 * member's forward pass is one plain 2-D matMul chain (faster here than a batched 3-D matMul).
 */
export interface EnsembleModel extends DynamicsModel {
  readonly memberCount: number;
  readonly probabilistic: boolean;
  /** Indices of the members used for prediction (all, or the elites of the last fit). */
  readonly eliteIndices: readonly number[];
  /** Member k's prediction. obs: [B, obsDim], act: [B, actDim]. Caller owns the result (use tf.tidy). */
  memberPredict(k: number, obs: tf.Tensor2D, act: tf.Tensor2D): MemberPrediction;
  /**
   * Optional fast path: contiguous row blocks, block b moved by member blocks[b].member, inputs
   * prepared once for all rows. obs: [R, obsDim], act: [R, actDim] → predictions for all R rows.
   */
  predictBlocks?(obs: tf.Tensor2D, act: tf.Tensor2D, blocks: readonly RowBlock[]): MemberPrediction;
}

/** Rows [start, start + count) belong to member `member`. */
export interface RowBlock {
  member: number;
  start: number;
  count: number;
}

const FORMAT = 'mbrl-lab/ensemble-dynamics';

/**
 * Dynamics as an ensemble of K MLPs that predict the normalized state change (s′ − s − μ_Δ) / σ_Δ
 * from normalized features of (s, a): deterministic (MSE) or probabilistic (Gaussian NLL with
 * learned log-variance bounds), trained side by side. K = 1 deterministic is the lecture's model.
 */
export class EnsembleDynamicsModel implements EnsembleModel {
  private inputNorm: Normalizer;
  private outputNorm: Normalizer;
  private elites: number[];
  /** Validation MSE per member after the last fit (NaN before any fit). */
  memberValLoss: number[];
  /**
   * Where fit trains the members: null = this thread; engine/compute's training pool trains member
   * groups on worker threads (same result for the same seed).
   */
  trainingCompute: MemberTrainingCompute | null = null;

  private constructor(readonly config: EnsembleConfig, private readonly members: Member[], norms?: { input: Normalizer; output: Normalizer }, elites?: number[]) {
    this.inputNorm = norms?.input ?? Normalizer.identity(featureDim(config) + config.actDim);
    this.outputNorm = norms?.output ?? Normalizer.identity(config.obsDim);
    this.elites = elites ?? members.map((_, k) => k);
    this.memberValLoss = members.map(() => NaN);
  }

  static create(config: EnsembleConfig): EnsembleDynamicsModel {
    if (config.members < 1 || config.elites < 1 || config.elites > config.members) throw new Error(`ensemble: need 1 ≤ elites (${config.elites}) ≤ members (${config.members})`);
    const mlpConfig = EnsembleDynamicsModel.mlpConfig(config);
    const members = Array.from({ length: config.members }, (_, k) => ({
      mlp: Mlp.create(mlpConfig, config.seed + k),
      bounds: config.probabilistic ? LogVarBounds.create(config.obsDim) : null,
    }));
    return new EnsembleDynamicsModel(config, members);
  }

  private static mlpConfig(c: EnsembleConfig) {
    return { inputDim: featureDim(c) + c.actDim, hidden: c.hidden, outputDim: c.probabilistic ? 2 * c.obsDim : c.obsDim, activation: c.activation };
  }

  get obsDim(): number {
    return this.config.obsDim;
  }

  get actDim(): number {
    return this.config.actDim;
  }

  get memberCount(): number {
    return this.members.length;
  }

  get probabilistic(): boolean {
    return this.config.probabilistic;
  }

  get eliteIndices(): readonly number[] {
    return this.elites;
  }

  memberPredict(k: number, obs: tf.Tensor2D, act: tf.Tensor2D): MemberPrediction {
    // tidy cannot return null members, so the deterministic case returns an object without logVar.
    const out = tf.tidy(() => {
      const x = this.inputNorm.normalize(tf.concat([obsFeatures(obs, this.config), act], 1) as tf.Tensor2D);
      const { mean, logVar } = memberForward(this.members[k], x);
      const next = tf.add(obs, this.outputNorm.denormalize(mean)) as tf.Tensor2D;
      if (!logVar) return { next };
      // Var in observation units = var_normalized · σ_Δ², so log-variances shift by 2 log σ_Δ.
      const shift = tf.tensor1d(this.outputNorm.std.map((s) => 2 * Math.log(s)));
      return { next, logVar: tf.add(logVar, shift) as tf.Tensor2D };
    }) as { next: tf.Tensor2D; logVar?: tf.Tensor2D };
    return { next: out.next, logVar: out.logVar ?? null };
  }

  predictBlocks(obs: tf.Tensor2D, act: tf.Tensor2D, blocks: readonly RowBlock[]): MemberPrediction {
    const out = tf.tidy(() => {
      // Features and normalization once for all rows; then one plain 2-D forward per block.
      const x = this.inputNorm.normalize(tf.concat([obsFeatures(obs, this.config), act], 1) as tf.Tensor2D);
      const parts = blocks.map((b) => memberForward(this.members[b.member], tf.slice(x, [b.start, 0], [b.count, -1]) as tf.Tensor2D));
      const join = (ts: tf.Tensor2D[]) => (ts.length === 1 ? ts[0] : (tf.concat(ts, 0) as tf.Tensor2D));
      const next = tf.add(obs, this.outputNorm.denormalize(join(parts.map((p) => p.mean)))) as tf.Tensor2D;
      if (!this.config.probabilistic) return { next };
      const shift = tf.tensor1d(this.outputNorm.std.map((s) => 2 * Math.log(s)));
      return { next, logVar: tf.add(join(parts.map((p) => p.logVar!)), shift) as tf.Tensor2D };
    }) as { next: tf.Tensor2D; logVar?: tf.Tensor2D };
    return { next: out.next, logVar: out.logVar ?? null };
  }

  /** The elites' mean prediction (the "expectation" over members): [B, obsDim]. */
  predict(obs: tf.Tensor2D, act: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const nexts = this.elites.map((k) => this.memberPredict(k, obs, act).next);
      return (nexts.length === 1 ? nexts[0] : tf.div(tf.addN(nexts), nexts.length)) as tf.Tensor2D;
    });
  }

  async fit(data: TransitionBatch, options: FitOptions, onEpoch?: (r: EpochReport) => void | Promise<void>, signal?: AbortSignal): Promise<MembersFitResult> {
    if (data.obsDim !== this.obsDim || data.actDim !== this.actDim) {
      throw new Error(`fit: data has obs ${data.obsDim}/act ${data.actDim} dims, the model ${this.obsDim}/${this.actDim}`);
    }
    const { inputs, targets } = this.trainingArrays(data);
    this.inputNorm.dispose();
    this.outputNorm.dispose();
    this.inputNorm = Normalizer.fit(inputs, this.inputNorm.dim);
    this.outputNorm = Normalizer.fit(targets, this.obsDim);
    const result = await fitMembers(this.members, this.inputNorm.normalizeArray(inputs), this.outputNorm.normalizeArray(targets), data.size, { ...options, sampling: this.config.sampling, compute: this.trainingCompute ?? undefined }, onEpoch, signal);
    this.memberValLoss = result.memberValLoss;
    this.elites = rankMembers(result.memberValLoss).slice(0, this.config.elites).sort((a, b) => a - b);
    return result;
  }

  async save(): Promise<ModelArtifacts> {
    const named = this.members.flatMap((m, k) => memberVariables(m).map((v, i) => ({ name: `member${k}/${i}`, tensor: v })));
    const { data, specs } = await tf.io.encodeWeights(named);
    return {
      modelJson: {
        format: FORMAT,
        formatVersion: 1,
        config: this.config,
        elites: this.elites,
        normalizers: { input: this.inputNorm.toJSON(), output: this.outputNorm.toJSON() },
        weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
      },
      weightData: data,
    };
  }

  /** Rebuilds a model saved by {@link save}; it predicts exactly what the saved one did. */
  static load(artifacts: ModelArtifacts): EnsembleDynamicsModel {
    const json = artifacts.modelJson as {
      format?: string;
      config?: EnsembleConfig;
      elites?: number[];
      normalizers?: { input: NormalizerJson; output: NormalizerJson };
      weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[];
    };
    if (json.format !== FORMAT) throw new Error(`model.json: format is '${json.format}', expected '${FORMAT}'`);
    if (!json.config || !json.normalizers || !json.weightsManifest?.[0]) throw new Error('model.json: missing config, normalizers or weightsManifest');
    const specs = json.weightsManifest[0].weights;
    const tensors = tf.io.decodeWeights(artifacts.weightData, specs);
    const value = (name: string): Float32Array => {
      const t = tensors[name];
      if (!t) throw new Error(`weights.bin: missing ${name}`);
      const v = t.dataSync() as Float32Array;
      t.dispose();
      return v;
    };
    const c = json.config;
    const layers = 2 * (c.hidden.length + 1);
    const members = Array.from({ length: c.members }, (_, k) => ({
      mlp: Mlp.fromWeights(EnsembleDynamicsModel.mlpConfig(c), Array.from({ length: layers }, (_, i) => value(`member${k}/${i}`))),
      bounds: c.probabilistic ? LogVarBounds.fromArrays(value(`member${k}/${layers}`), value(`member${k}/${layers + 1}`)) : null,
    }));
    return new EnsembleDynamicsModel(c, members, { input: Normalizer.fromJSON(json.normalizers.input), output: Normalizer.fromJSON(json.normalizers.output) }, json.elites);
  }

  dispose(): void {
    this.members.forEach((m) => memberVariables(m).forEach((v) => v.dispose()));
    this.inputNorm.dispose();
    this.outputNorm.dispose();
  }

  /** Inputs [N, features + actDim] and targets s′ − s [N, obsDim] as arrays. */
  private trainingArrays(data: TransitionBatch): { inputs: Float32Array; targets: Float32Array } {
    const F = featureDim(this.config);
    const A = this.actDim;
    const feats = obsFeaturesArray(data.obs, this.config);
    const inputs = new Float32Array(data.size * (F + A));
    for (let i = 0; i < data.size; i++) {
      inputs.set(feats.subarray(i * F, (i + 1) * F), i * (F + A));
      inputs.set(data.act.subarray(i * A, (i + 1) * A), i * (F + A) + F);
    }
    const targets = new Float32Array(data.size * this.obsDim);
    for (let i = 0; i < targets.length; i++) targets[i] = data.nextObs[i] - data.obs[i];
    return { inputs, targets };
  }
}

/** Member indices from best (lowest validation loss) to worst; NaN losses (no validation) keep order. */
function rankMembers(losses: number[]): number[] {
  return losses.map((l, k) => [Number.isNaN(l) ? k : l, k] as const).sort((a, b) => (Number.isNaN(losses[a[1]]) ? a[1] - b[1] : a[0] - b[0])).map(([, k]) => k);
}
