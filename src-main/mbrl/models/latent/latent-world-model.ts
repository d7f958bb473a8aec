import * as tf from '@tensorflow/tfjs-core';
import type { ModelArtifacts } from '../dynamics-model';
import type { Activation } from '../mlp';
import { fitLatent, type LatentBatch, type LatentEpochReport, type LatentFitOptions, type LatentFitResult, type LossTerms } from './fit-latent';
import { ImageDecoder, ImageEncoder, pixelCount, pixelStats, SmallMlp, type ImageShape, type NamedVariables, type PatchStage } from './image-codec';
import type { ImageTransitions } from './image-transitions';
import { joinVariables, loadLatentWeights, readLatentHeader, saveLatent } from './latent-artifacts';
import { pixelNll, klToStandardNormal, reparameterize, splitGaussian, unitGaussianNll } from './latent-losses';
import type { LatentModel } from './latent-model';
import { focusedRewardNll, fromRewardScale, toRewardScale, type RewardFocus, type RewardScale } from './reward-fitting';

/** Relative weights of the lecture model's loss terms (each a negative log-likelihood in nats). */
export interface WorldModelLossWeights {
  /** −log p(g(o_{t+1}) | f(g(o_t), a_t)), a unit Gaussian: ½‖g(o_{t+1}) − f(g(o_t), a_t)‖². */
  dynamics: number;
  /** −log p(o_t | g(o_t)): Bernoulli pixels, or Gaussian with `pixelStd`. */
  reconstruction: number;
  /** −log p(r_t | g(o_{t+1})), a unit Gaussian (r_t is the reward of the state reached; see {@link LatentWorldModel.reward}). */
  reward: number;
  /** KL(q(z | o_t) ‖ N(0, I)); used by the stochastic encoder only. */
  kl: number;
  /**
   * The multi-step reward term (with {@link LatentWorldModelConfig.rolloutSteps} > 1):
   * (1/K) Σ_{j=1..K} ½(r_{t+j−1} − r̂(ẑ_{t+j}))², ẑ the codes the latent dynamics roll out from g(o_t)
   * under a_t … a_{t+j−1}. Default 1.
   */
  rollout?: number;
  /**
   * The multi-step code term (with {@link LatentWorldModelConfig.overshootEvery}): (1/|J|) Σ_{j∈J}
   * ½‖ẑ_{t+j} − g(o_{t+j})‖², the rolled-out codes against the encoder's codes of the frames reached.
   * Default 1.
   */
  overshoot?: number;
}

/** Architecture and loss weights of a {@link LatentWorldModel}. */
export interface LatentWorldModelConfig {
  /** 'deterministic': z = g(o); 'stochastic': a VAE encoder q(z | o) = N(μ(o), diag σ²(o)). */
  kind: 'deterministic' | 'stochastic';
  imageShape: ImageShape;
  actDim: number;
  latentDim: number;
  /** Encoder stages and hidden layers, image side first; the decoder mirrors them. */
  stages: PatchStage[];
  hidden: number[];
  /** Hidden widths of the latent dynamics f(z, a) and of the reward head r(z). */
  dynamicsHidden: number[];
  rewardHidden: number[];
  activation: Activation;
  /** Pixel likelihood: Bernoulli when absent, else Gaussian with this std (in [0, 1] intensity units). */
  pixelStd?: number;
  weights: WorldModelLossWeights;
  /**
   * K > 1 adds the multi-step reward term ('rollout'): the reward head must score the codes the dynamics
   * reach K steps ahead, which is what latent MPC sums. Why: the one-step terms alone leave the rolled-out
   * codes drifting off the encoder's manifold within a few steps, and the plan's return with them.
   * Default 1 (none).
   */
  rolloutSteps?: number;
  /**
   * With rolloutSteps K > 1: also match the rolled-out codes ẑ_{t+j} to the encoder's g(o_{t+j}) at
   * j = e, 2e, … ≤ K (e = this; term 'overshoot', PlaNet's latent overshooting for a deterministic
   * code). Why: one step of a torque moves the pendulum by ~0.01 rad, so the one-step dynamics term
   * barely sees the action, and near upright the reward is too flat for the multi-step reward term to
   * teach it; the angle a torque makes 5–15 steps later is large in the codes. Default: none.
   */
  overshootEvery?: number;
  /** The scale the reward head is fitted on (see {@link RewardScale}); {@link LatentWorldModel.reward} always returns task units. Default 'linear'. */
  rewardScale?: RewardScale;
  /** More weight on the reward and rollout terms' near-optimal rows (see {@link RewardFocus}). Default none. */
  rewardFocus?: RewardFocus;
  seed: number;
}

/**
 * The lecture's latent-space model: an encoder g(o) → z (deterministic or a VAE), latent dynamics
 * z' = z + f(z, a) (an MLP predicting the change), a decoder p(o | z) and a reward head p(r | z),
 * trained jointly by backprop on w_dyn·dynamics + w_rec·reconstruction + w_rew·reward (+ w_kl·KL).
 * The reward head is fitted to r_t from the code of o_{t+1}: the lecture's p(r_t | g(o_t)) with
 * the reward indexed by the state it scores (our tasks report the reward of the state reached).
 */
export class LatentWorldModel implements LatentModel {
  readonly hasReward = true;
  readonly termNames: readonly string[];
  private readonly encoder: ImageEncoder;
  private readonly decoder: ImageDecoder;
  private readonly dynamics: SmallMlp;
  private readonly rewardHead: SmallMlp;

  private constructor(readonly config: LatentWorldModelConfig) {
    const c = config;
    if (c.kind !== 'deterministic' && c.kind !== 'stochastic') throw new Error(`latent model: kind must be 'deterministic' or 'stochastic', got '${c.kind}'`);
    const codec = { imageShape: c.imageShape, stages: c.stages, hidden: c.hidden, activation: c.activation };
    this.encoder = new ImageEncoder(codec, c.kind === 'stochastic' ? 2 * c.latentDim : c.latentDim, c.seed);
    this.decoder = new ImageDecoder(codec, c.latentDim, c.seed + 1);
    this.dynamics = new SmallMlp([c.latentDim + c.actDim, ...c.dynamicsHidden, c.latentDim], c.activation, c.seed + 2, 0.1);
    this.rewardHead = new SmallMlp([c.latentDim, ...c.rewardHidden, 1], c.activation, c.seed + 3);
    if (c.rewardScale !== undefined && c.rewardScale !== 'linear' && c.rewardScale !== 'sqrt') throw new Error(`latent model: rewardScale must be 'linear' or 'sqrt', got '${c.rewardScale}'`);
    if (c.rewardFocus !== undefined && !(Number.isFinite(c.rewardFocus.above) && c.rewardFocus.weight >= 1)) throw new Error(`latent model: rewardFocus needs a finite 'above' and a weight ≥ 1, got ${JSON.stringify(c.rewardFocus)}`);
    if (c.rolloutSteps !== undefined && !(Number.isInteger(c.rolloutSteps) && c.rolloutSteps >= 1)) throw new Error(`latent model: rolloutSteps must be a positive integer, got ${c.rolloutSteps}`);
    if (c.overshootEvery !== undefined && !(Number.isInteger(c.overshootEvery) && c.overshootEvery >= 1 && c.overshootEvery <= this.rolloutSteps && this.rolloutSteps > 1)) {
      throw new Error(`latent model: overshootEvery must be an integer in 1..rolloutSteps (${this.rolloutSteps}) with rolloutSteps > 1, got ${c.overshootEvery}`);
    }
    const every = c.overshootEvery;
    this.aheadSteps = every ? Array.from({ length: Math.floor(this.rolloutSteps / every) }, (_, i) => (i + 1) * every) : [];
    this.termNames = [
      ...(c.kind === 'stochastic' ? ['reconstruction', 'dynamics', 'reward', 'kl'] : ['reconstruction', 'dynamics', 'reward']),
      ...(this.rolloutSteps > 1 ? ['rollout'] : []),
      ...(this.aheadSteps.length ? ['overshoot'] : []),
    ];
  }

  /** Offsets j of the multi-step code term ('overshoot'): e, 2e, … ≤ K; empty without it. */
  readonly aheadSteps: readonly number[];

  /** The scale the reward head is fitted on. */
  get rewardScale(): RewardScale {
    return this.config.rewardScale ?? 'linear';
  }

  /** Steps K of the multi-step reward term (1: none). */
  get rolloutSteps(): number {
    return this.config.rolloutSteps ?? 1;
  }

  static create(config: LatentWorldModelConfig): LatentWorldModel {
    return new LatentWorldModel(config);
  }

  get kind(): 'deterministic' | 'stochastic' {
    return this.config.kind;
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

  /** Encoder output as (μ, log σ²); log σ² is null for the deterministic encoder. */
  private encodeDist(images: tf.Tensor2D, training: boolean): { mu: tf.Tensor2D; logVar: tf.Tensor2D | null } {
    const out = this.encoder.forward(images, training);
    if (this.config.kind === 'deterministic') return { mu: out, logVar: null };
    return splitGaussian(out);
  }

  encode(images: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.encodeDist(images, false).mu);
  }

  decode(z: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => tf.sigmoid(this.decoder.forward(z)) as tf.Tensor2D);
  }

  private stepWith(z: tf.Tensor2D, a: tf.Tensor2D, training: boolean): tf.Tensor2D {
    return tf.add(z, this.dynamics.forward(tf.concat([z, a], 1) as tf.Tensor2D, training)) as tf.Tensor2D;
  }

  step(z: tf.Tensor2D, a: tf.Tensor2D): tf.Tensor2D {
    return tf.tidy(() => this.stepWith(z, a, false));
  }

  reward(z: tf.Tensor2D): tf.Tensor1D {
    return tf.tidy(() => fromRewardScale(tf.reshape(this.rewardHead.forward(z), [-1]) as tf.Tensor1D, this.rewardScale));
  }

  lossTerms(batch: LatentBatch, training: boolean, seed: number): LossTerms {
    const w = this.config.weights;
    const now = this.encodeDist(batch.obs, training);
    const next = this.encodeDist(batch.nextObs, training);
    const sample = (d: { mu: tf.Tensor2D; logVar: tf.Tensor2D | null }, s: number) => (training && d.logVar ? reparameterize(d.mu, d.logVar, s) : d.mu);
    const z = sample(now, seed);
    const zNext = sample(next, seed + 1);
    const reconstruction = pixelNll(this.decoder.forward(z, training), batch.obs, this.config.pixelStd);
    const dynamics = unitGaussianNll(this.stepWith(z, batch.act, training), zNext);
    // r_t scores the state the transition reaches (every task's reward is computed after the step),
    // so the head reads the code of o_{t+1}: then Σ r̂(z_1…z_H) over a plan's codes is its return.
    const reward = focusedRewardNll(this.rewardHead.forward(zNext, training), toRewardScale(batch.reward, this.rewardScale), batch.reward, this.config.rewardFocus);
    const terms = [reconstruction, dynamics, reward];
    let total = tf.addN([tf.mul(w.reconstruction, reconstruction), tf.mul(w.dynamics, dynamics), tf.mul(w.reward, reward)]) as tf.Scalar;
    if (now.logVar) {
      const kl = klToStandardNormal(now.mu, now.logVar);
      terms.push(kl);
      total = tf.add(total, tf.mul(w.kl, kl)) as tf.Scalar;
    }
    if (this.rolloutSteps > 1) {
      if (!batch.actSeq || !batch.rewardSeq) throw new Error(`latent model: rolloutSteps ${this.rolloutSteps} needs batches with actSeq and rewardSeq`);
      const codes = this.rollout(z, batch.actSeq, training);
      const rollout = this.rolloutRewardNll(codes, batch.rewardSeq, training);
      terms.push(rollout);
      total = tf.add(total, tf.mul(w.rollout ?? 1, rollout)) as tf.Scalar;
      if (this.aheadSteps.length) {
        if (!batch.obsAhead || batch.obsAhead.length !== this.aheadSteps.length) throw new Error(`latent model: overshootEvery needs batches with obsAhead at steps ${this.aheadSteps.join(', ')}`);
        const overshoot = this.overshootNll(codes, batch.obsAhead, training, seed + 2);
        terms.push(overshoot);
        total = tf.add(total, tf.mul(w.overshoot ?? 1, overshoot)) as tf.Scalar;
      }
    }
    return { total, terms };
  }

  /** Codes ẑ_{t+1} … ẑ_{t+K} [B, dz] each, rolled out from z [B, dz] under actions [B, K·A]. */
  private rollout(z: tf.Tensor2D, actSeq: tf.Tensor2D, training: boolean): tf.Tensor2D[] {
    const A = this.config.actDim;
    const codes: tf.Tensor2D[] = [];
    let zj = z;
    for (let j = 0; j < this.rolloutSteps; j++) {
      zj = this.stepWith(zj, tf.slice(actSeq, [0, j * A], [-1, A]) as tf.Tensor2D, training);
      codes.push(zj);
    }
    return codes;
  }

  /** (1/|J|) Σ_{j∈J} ½‖ẑ_{t+j} − g(o_{t+j})‖² from the rolled-out codes and the observations o_{t+j} [B, P], j ∈ aheadSteps. */
  private overshootNll(codes: tf.Tensor2D[], obsAhead: tf.Tensor2D[], training: boolean, seed: number): tf.Scalar {
    const nll = this.aheadSteps.map((j, i) => {
      const d = this.encodeDist(obsAhead[i], training);
      const target = training && d.logVar ? reparameterize(d.mu, d.logVar, seed + i) : d.mu;
      return unitGaussianNll(codes[j - 1], target);
    });
    return tf.div(tf.addN(nll), nll.length) as tf.Scalar;
  }

  /** (1/K) Σ_j ½w(r_{t+j−1} − r̂(ẑ_{t+j}))² (on the head's scale, w from rewardFocus) from the rolled-out codes ẑ_{t+1…t+K} and rewards [B, K]. */
  private rolloutRewardNll(codes: tf.Tensor2D[], rewardSeq: tf.Tensor2D, training: boolean): tf.Scalar {
    const target = toRewardScale(rewardSeq, this.rewardScale);
    const column = (t: tf.Tensor2D, j: number) => tf.slice(t, [0, j], [-1, 1]) as tf.Tensor2D;
    const nll = codes.map((zj, j) => focusedRewardNll(this.rewardHead.forward(zj, training), column(target, j), column(rewardSeq, j), this.config.rewardFocus));
    return tf.div(tf.addN(nll), codes.length) as tf.Scalar;
  }

  trainableVariables(): tf.Variable[] {
    return this.namedVariables().variables.filter((v) => v.trainable);
  }

  private namedVariables(): NamedVariables {
    return joinVariables(this.encoder.namedVariables('encoder'), this.decoder.namedVariables('decoder'), this.dynamics.namedVariables('dynamics'), this.rewardHead.namedVariables('reward'));
  }

  async fit(data: ImageTransitions, options: LatentFitOptions, onEpoch?: (r: LatentEpochReport) => void | Promise<void>, signal?: AbortSignal): Promise<LatentFitResult> {
    checkShapes(this, data);
    const { mean, std } = pixelStats(data.obs, pixelCount(data.imageShape));
    this.encoder.setInputStats(mean, std);
    return fitLatent(this, data, options, onEpoch, signal);
  }

  save(): Promise<ModelArtifacts> {
    return saveLatent(this.config.kind, this.config, this.namedVariables());
  }

  /** Rebuilds a model saved by {@link save}; it computes exactly what the saved one did. */
  static load(artifacts: ModelArtifacts): LatentWorldModel {
    const { kind, config } = readLatentHeader(artifacts);
    if (kind !== 'deterministic' && kind !== 'stochastic') throw new Error(`model.json: kind '${kind}' is not a lecture latent model`);
    const model = new LatentWorldModel(config as unknown as LatentWorldModelConfig);
    loadLatentWeights(artifacts, model.namedVariables());
    return model;
  }

  dispose(): void {
    this.encoder.dispose();
    this.decoder.dispose();
    this.dynamics.dispose();
    this.rewardHead.dispose();
  }
}

/** Throws when the data's images or actions do not fit the model. */
export function checkShapes(model: LatentModel, data: ImageTransitions): void {
  if (data.imageShape.join('×') !== model.imageShape.join('×')) throw new Error(`fit: images are ${data.imageShape.join('×')}, the model expects ${model.imageShape.join('×')}`);
  if (data.actDim !== model.actDim) throw new Error(`fit: data has ${data.actDim} action dims, the model ${model.actDim}`);
  if (pixelCount(data.imageShape) * data.size !== data.obs.length) throw new Error(`fit: obs has ${data.obs.length} bytes, expected ${pixelCount(data.imageShape) * data.size}`);
}
