import * as tf from '@tensorflow/tfjs-core';
import type { TransitionBatch } from '../data';
import type { DynamicsModel, EpochReport, FitOptions, FitResult, ModelArtifacts } from './dynamics-model';
import { featureDim, obsFeatures, obsFeaturesArray, type FeatureSpec } from './features';
import { fitRegression } from './fit-regression';
import { Mlp, type Activation } from './mlp';
import { Normalizer, type NormalizerJson } from './normalizer';

/** Architecture of an {@link MlpDynamicsModel}. */
export interface MlpDynamicsConfig extends FeatureSpec {
  actDim: number;
  /** Hidden layer widths, e.g. [200, 200, 200]. */
  hidden: number[];
  activation: Activation;
  /** Seeds the initial weights. */
  seed: number;
}

const FORMAT = 'mbrl-lab/mlp-dynamics';

/**
 * The lecture's dynamics model: an MLP that predicts the normalized state change
 * (s′ − s − μ_Δ) / σ_Δ from normalized features of (s, a). Trained by MSE with Adam (see fit).
 */
export class MlpDynamicsModel implements DynamicsModel {
  private inputNorm: Normalizer;
  private outputNorm: Normalizer;

  private constructor(readonly config: MlpDynamicsConfig, private readonly mlp: Mlp, inputNorm?: Normalizer, outputNorm?: Normalizer) {
    this.inputNorm = inputNorm ?? Normalizer.identity(featureDim(config) + config.actDim);
    this.outputNorm = outputNorm ?? Normalizer.identity(config.obsDim);
  }

  static create(config: MlpDynamicsConfig): MlpDynamicsModel {
    const mlp = Mlp.create({ inputDim: featureDim(config) + config.actDim, hidden: config.hidden, outputDim: config.obsDim, activation: config.activation }, config.seed);
    return new MlpDynamicsModel(config, mlp);
  }

  get obsDim(): number {
    return this.config.obsDim;
  }

  get actDim(): number {
    return this.config.actDim;
  }

  /** obs: [B, obsDim], act: [B, actDim] → s′: [B, obsDim]. */
  predict(obs: tf.Tensor2D, act: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => {
      const x = this.inputNorm.normalize(tf.concat([obsFeatures(obs, this.config), act], 1) as tf.Tensor2D);
      return tf.add(obs, this.outputNorm.denormalize(this.mlp.forward(x))) as tf.Tensor2D;
    });
  }

  async fit(data: TransitionBatch, options: FitOptions, onEpoch?: (r: EpochReport) => void | Promise<void>, signal?: AbortSignal): Promise<FitResult> {
    if (data.obsDim !== this.obsDim || data.actDim !== this.actDim) {
      throw new Error(`fit: data has obs ${data.obsDim}/act ${data.actDim} dims, the model ${this.obsDim}/${this.actDim}`);
    }
    const { inputs, targets } = this.trainingArrays(data);
    this.inputNorm.dispose();
    this.outputNorm.dispose();
    this.inputNorm = Normalizer.fit(inputs, this.inputNorm.dim);
    this.outputNorm = Normalizer.fit(targets, this.obsDim);
    return fitRegression(this.mlp, this.inputNorm.normalizeArray(inputs), this.outputNorm.normalizeArray(targets), data.size, options, onEpoch, signal);
  }

  async save(): Promise<ModelArtifacts> {
    const named = this.mlp.variables.map((v, i) => ({ name: `layer${i >> 1}/${i % 2 ? 'bias' : 'kernel'}`, tensor: v }));
    const { data, specs } = await tf.io.encodeWeights(named);
    return {
      modelJson: {
        format: FORMAT,
        formatVersion: 1,
        config: this.config,
        normalizers: { input: this.inputNorm.toJSON(), output: this.outputNorm.toJSON() },
        weightsManifest: [{ paths: ['weights.bin'], weights: specs }],
      },
      weightData: data,
    };
  }

  /** Rebuilds a model saved by {@link save}; it predicts exactly what the saved one did. */
  static load(artifacts: ModelArtifacts): MlpDynamicsModel {
    const json = artifacts.modelJson as {
      format?: string;
      config?: MlpDynamicsConfig;
      normalizers?: { input: NormalizerJson; output: NormalizerJson };
      weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[];
    };
    if (json.format !== FORMAT) throw new Error(`model.json: format is '${json.format}', expected '${FORMAT}'`);
    if (!json.config || !json.normalizers || !json.weightsManifest?.[0]) throw new Error('model.json: missing config, normalizers or weightsManifest');
    const specs = json.weightsManifest[0].weights;
    const tensors = tf.io.decodeWeights(artifacts.weightData, specs);
    const values = specs.map((s) => {
      const t = tensors[s.name];
      if (!t) throw new Error(`weights.bin: missing ${s.name}`);
      const v = t.dataSync() as Float32Array;
      t.dispose();
      return v;
    });
    const c = json.config;
    const mlp = Mlp.fromWeights({ inputDim: featureDim(c) + c.actDim, hidden: c.hidden, outputDim: c.obsDim, activation: c.activation }, values);
    return new MlpDynamicsModel(c, mlp, Normalizer.fromJSON(json.normalizers.input), Normalizer.fromJSON(json.normalizers.output));
  }

  dispose(): void {
    this.mlp.dispose();
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
