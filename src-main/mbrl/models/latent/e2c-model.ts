import * as tf from '@tensorflow/tfjs-core';
import type { ModelArtifacts } from '../dynamics-model';
import type { Activation } from '../mlp';
import { fitLatent, type LatentBatch, type LatentEpochReport, type LatentFitOptions, type LatentFitResult, type LossTerms } from './fit-latent';
import { ImageDecoder, ImageEncoder, meanImageLogits, pixelCount, pixelStats, type ImageShape, type NamedVariables, type PatchStage } from './image-codec';
import type { ImageTransitions } from './image-transitions';
import type { KeypointConfig } from './keypoint-head';
import { joinVariables, loadLatentWeights, readLatentHeader, saveLatent } from './latent-artifacts';
import { pixelNll, klToStandardNormal, reparameterize, splitGaussian } from './latent-losses';
import type { LocallyLinearModel } from './latent-model';
import { checkShapes } from './latent-world-model';
import { LocallyLinearTransition, transitionKl } from './locally-linear-transition';

/** Relative weights of E2C's loss terms. */
export interface E2cLossWeights {
  /** −log p(o_t | z_t): Bernoulli pixels, or Gaussian with `pixelStd`. */
  reconstruction: number;
  /** −log p(o_{t+1} | ẑ_{t+1}), the decoded transition sample. */
  nextReconstruction: number;
  /** KL(q(z_t | o_t) ‖ N(0, I)). */
  kl: number;
  /** λ: KL(Q̂(ẑ_{t+1} | μ_t, a_t) ‖ q(z_{t+1} | o_{t+1})), the consistency term. */
  consistency: number;
}

/** Architecture and loss weights of an {@link E2cModel}. */
export interface E2cConfig {
  imageShape: ImageShape;
  actDim: number;
  latentDim: number;
  /** Encoder stages and hidden layers (decoder mirrored); no stages = MLPs as in the paper's planar task. */
  stages: PatchStage[];
  hidden: number[];
  /** Hidden widths of the transition network h(z) → v, r, B, o. */
  transitionHidden: number[];
  activation: Activation;
  /** Pixel likelihood: Bernoulli when absent, else Gaussian with this std (in [0, 1] intensity units). */
  pixelStd?: number;
  /**
   * Start the decoder at the training frames' mean image (a fixed output offset, {@link meanImageLogits}),
   * so its weights only model what moves. Default false.
   */
  meanImageOffset?: boolean;
  /** Std (pixels) of the encoder's fixed input blur (ImageCodecConfig.inputBlur); absent: none. */
  inputBlur?: number;
  /** The encoder's first layer: spatial-softmax keypoints (ImageCodecConfig.keypoints); absent: dense. */
  keypoints?: KeypointConfig;
  /**
   * The encoder's log-variance output at the start of training (its bias); absent: 0 (σ = 1, the prior's).
   * Why: with σ = 1 the sampled code of a freshly initialised encoder is mostly noise, the decoder learns
   * to ignore it and the KL term keeps it that way; a narrow start (e.g. −6) lets the code carry the
   * image from the first step, and the KL term widens it as far as the likelihood allows.
   */
  initialLogVariance?: number;
  weights: E2cLossWeights;
  seed: number;
}

/**
 * Embed to Control (Watter et al., 2015): a VAE encoder q(z | o) = N(μ(o), diag σ²(o)), a locally linear
 * transition ẑ_{t+1} = A(z_t) z_t + B(z_t) a_t + o(z_t) with A = I + v rᵀ, whose distribution is
 * N(A μ_t + B a + o, A Σ_t Aᵀ), and a Bernoulli decoder. Loss: reconstruction of o_t and of o_{t+1}
 * from the transition's sample, KL of the encoding to N(0, I), and λ·KL from the transition's
 * distribution to the encoding of o_{t+1} (the consistency term).
 */
export class E2cModel implements LocallyLinearModel {
  readonly kind = 'e2c' as const;
  readonly hasReward = false;
  readonly termNames = ['reconstruction', 'nextReconstruction', 'kl', 'consistency'] as const;
  private readonly encoder: ImageEncoder;
  private readonly decoder: ImageDecoder;
  readonly transition: LocallyLinearTransition;

  private constructor(readonly config: E2cConfig) {
    const c = config;
    const codec = { imageShape: c.imageShape, stages: c.stages, hidden: c.hidden, activation: c.activation, inputBlur: c.inputBlur, keypoints: c.keypoints };
    this.encoder = new ImageEncoder(codec, 2 * c.latentDim, c.seed);
    if (c.initialLogVariance !== undefined) this.encoder.setOutputBias(c.latentDim, c.initialLogVariance);
    this.decoder = new ImageDecoder(codec, c.latentDim, c.seed + 1);
    this.transition = new LocallyLinearTransition(c.latentDim, c.actDim, c.transitionHidden, c.activation, c.seed + 2);
  }

  static create(config: E2cConfig): E2cModel {
    return new E2cModel(config);
  }

  get imageShape(): ImageShape {
    return this.config.imageShape;
  }

  get actDim(): number {
    return this.config.actDim;
  }

  get latentDim(): number {
    return this.config.latentDim;
  }

  encode(images: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => splitGaussian(this.encoder.forward(images)).mu);
  }

  decode(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decoder.forward(z)) as tf.Tensor2D);
  }

  step(z: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => LocallyLinearTransition.apply(this.transition.parts(z), z, a));
  }

  reward(): tf.Tensor1D {
    throw new Error('E2C learns no reward; plan toward a goal image instead');
  }

  linearize(z: Float32Array, rows: number): { A: Float32Array; B: Float32Array; o: Float32Array } {
    const d = this.latentDim;
    const [A, B, o] = tf.tidy(() => {
      const p = this.transition.parts(tf.tensor2d(z, [rows, d]));
      return [LocallyLinearTransition.matrixA(p), p.B, p.o];
    });
    const out = { A: A.dataSync() as Float32Array, B: B.dataSync() as Float32Array, o: o.dataSync() as Float32Array };
    tf.dispose([A, B, o]);
    return out;
  }

  lossTerms(batch: LatentBatch, training: boolean, seed: number): LossTerms {
    const w = this.config.weights;
    const now = splitGaussian(this.encoder.forward(batch.obs, training));
    const next = splitGaussian(this.encoder.forward(batch.nextObs, training));
    const z = training ? reparameterize(now.mu, now.logVar, seed) : now.mu;
    const parts = this.transition.parts(z, training);
    const zHat = LocallyLinearTransition.apply(parts, z, batch.act);
    const muHat = LocallyLinearTransition.apply(parts, now.mu, batch.act);
    const reconstruction = pixelNll(this.decoder.forward(z, training), batch.obs, this.config.pixelStd);
    const nextReconstruction = pixelNll(this.decoder.forward(zHat, training), batch.nextObs, this.config.pixelStd);
    const kl = klToStandardNormal(now.mu, now.logVar);
    const consistency = transitionKl(parts, muHat, now.logVar, next.mu, next.logVar);
    const total = tf.addN([
      tf.mul(w.reconstruction, reconstruction),
      tf.mul(w.nextReconstruction, nextReconstruction),
      tf.mul(w.kl, kl),
      tf.mul(w.consistency, consistency),
    ]) as tf.Scalar;
    return { total, terms: [reconstruction, nextReconstruction, kl, consistency] };
  }

  trainableVariables(): tf.Variable[] {
    return this.namedVariables().variables.filter((v) => v.trainable);
  }

  private namedVariables(): NamedVariables {
    return joinVariables(this.encoder.namedVariables('encoder'), this.decoder.namedVariables('decoder'), this.transition.namedVariables('transition'));
  }

  async fit(data: ImageTransitions, options: LatentFitOptions, onEpoch?: (r: LatentEpochReport) => void | Promise<void>, signal?: AbortSignal): Promise<LatentFitResult> {
    checkShapes(this, data);
    const { mean, std } = pixelStats(data.obs, pixelCount(data.imageShape));
    this.encoder.setInputStats(mean, std);
    if (this.config.meanImageOffset) this.decoder.setOutputOffset(meanImageLogits(mean));
    return fitLatent(this, data, options, onEpoch, signal);
  }

  save(): Promise<ModelArtifacts> {
    return saveLatent('e2c', this.config, this.namedVariables());
  }

  /** Rebuilds a model saved by {@link save}. */
  static load(artifacts: ModelArtifacts): E2cModel {
    const { kind, config } = readLatentHeader(artifacts);
    if (kind !== 'e2c') throw new Error(`model.json: kind '${kind}' is not an E2C model`);
    const model = new E2cModel(config as unknown as E2cConfig);
    loadLatentWeights(artifacts, model.namedVariables());
    return model;
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
    this.transition.dispose();
  }
}
