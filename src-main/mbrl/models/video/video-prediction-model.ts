import * as tf from '@tensorflow/tfjs-core';
import type { ModelArtifacts } from '../dynamics-model';
import { composeStep } from './skip-translation';
import { CdnaNetwork, cdnaVariableShapes } from './cdna-network';
import { normalizeMaps } from './pixel-distribution';
import { skipsOf, validateVideoModelConfig, type VideoModelConfig } from './video-model-config';

/** What {@link VideoPredictionModel.rollout} starts from and executes. */
export interface RolloutInput {
  /** Context frames [Bc, context, S, S, C], values in [0, 1]; Bc is 1 (shared by every candidate) or B. */
  context: tf.Tensor5D;
  /** The actions between the context frames: [Bc, context − 1, A]. */
  contextActions: tf.Tensor3D;
  /** Future actions [B, H, A]; actions[:, 0] is taken at the last context frame. */
  actions: tf.Tensor3D;
  /** Designated-pixel distributions on the last context frame: [Bc, S, S, D] (each map sums to 1). */
  pixelMaps?: tf.Tensor4D;
}

/** Predicted future: H frames and, when asked, the designated pixels' distributions at each. */
export interface Rollout {
  /** Predicted frames [B, H, S, S, C] in [0, 1]; frames[:, t] follows actions[:, t]. */
  frames: tf.Tensor5D;
  /** P_{t+1} of each designated pixel: [B, H, S, S, D], each map summing to 1; null without pixelMaps. */
  pixelMaps: tf.Tensor5D | null;
}

const FORMAT = 'mbrl-lab/cdna-video';

/**
 * Action-conditioned video prediction by pixel motion (CDNA, Finn, Goodfellow & Levine 2016): for each
 * future step the network predicts K normalised kernels and K + 1 compositing masks; the next frame is
 * the masked composite of the previous frame moved by each kernel (mask 0 keeps pixels in place).
 * Because it predicts how pixels move, the same kernels and masks carry a designated pixel's
 * probability map forward (Finn & Levine 2017), which is what visual-foresight planning scores.
 * Train with {@link fitVideoModel}.
 */
export class VideoPredictionModel {
  private constructor(readonly config: VideoModelConfig, readonly network: CdnaNetwork) {}

  static create(config: VideoModelConfig): VideoPredictionModel {
    validateVideoModelConfig(config);
    return new VideoPredictionModel(config, CdnaNetwork.create(config));
  }

  /** All trainable variables. */
  get variables(): tf.Variable[] {
    return this.network.variables;
  }

  /**
   * Rolls the model forward from context frames under the given actions, predicting from its own
   * outputs after the context. Each step runs in its own tidy scope, so memory stays at a few frames
   * per candidate plus the outputs. With temporal skips (config.skips), each step may also take pixels
   * (and pixel-map mass) from the last context frame (and the maps on it) translated by the skips'
   * accumulated shifts. The caller owns the result's tensors.
   */
  rollout(input: RolloutInput): Rollout {
    const c = this.config;
    const [Bc, ctx] = input.context.shape;
    const [B, H] = input.actions.shape;
    if (ctx !== c.context) throw new Error(`rollout: ${ctx} context frames, the model was built for ${c.context}`);
    if (Bc !== 1 && Bc !== B) throw new Error(`rollout: context batch ${Bc} must be 1 or the actions' batch ${B}`);
    if (input.actions.shape[2] !== c.actDim) throw new Error(`rollout: actions have ${input.actions.shape[2]} dims, the model ${c.actDim}`);
    const S = c.imageSize;
    const C = c.channels;
    const frameAt = (t: number) => tf.reshape(tf.slice(input.context, [0, t, 0, 0, 0], [Bc, 1, S, S, C]), [Bc, S, S, C]) as tf.Tensor4D;

    // Warm up the recurrent state on the context (once, at the context's batch size).
    let hidden = this.network.zeroState(Bc);
    for (let t = 0; t < ctx - 1; t++) {
      const next = tf.tidy(() => {
        const action = tf.reshape(tf.slice(input.contextActions, [0, t, 0], [Bc, 1, c.actDim]), [Bc, c.actDim]) as tf.Tensor2D;
        return this.network.step(frameAt(t), action, hidden).hidden;
      });
      hidden.dispose();
      hidden = next;
    }
    const D = input.pixelMaps?.shape[3] ?? 0;
    // Frame and pixel maps move by the same kernels and masks but stay separate tensors: slicing
    // and concatenating them every step cost more than the second transform on wasm.
    const firstFrame = tf.tidy(() => (Bc === B ? frameAt(ctx - 1) : (tf.tile(frameAt(ctx - 1), [B, 1, 1, 1]) as tf.Tensor4D)));
    const firstMaps = D ? tf.tidy(() => (Bc === B ? tf.clone(input.pixelMaps!) : (tf.tile(input.pixelMaps!, [B, 1, 1, 1]) as tf.Tensor4D))) : null;
    if (Bc !== B) {
      const tiled = tf.tile(hidden, [B, 1, 1, 1]) as tf.Tensor4D;
      hidden.dispose();
      hidden = tiled;
    }
    // The skips translate the last context frame and maps at the context's batch (1 when shared).
    const withSkips = skipsOf(c) > 0;
    const skipFrame = withSkips ? tf.tidy(() => frameAt(ctx - 1)) : null;
    const skipMaps = withSkips && D ? tf.clone(input.pixelMaps!) : null;
    let frame = firstFrame;
    let maps = firstMaps;
    let offsets: tf.Tensor3D | null = null;
    const frames: tf.Tensor4D[] = [];
    const allMaps: tf.Tensor4D[] = [];
    try {
      for (let t = 0; t < H; t++) {
        const next = tf.tidy(() => {
          const action = tf.reshape(tf.slice(input.actions, [0, t, 0], [B, 1, c.actDim]), [B, c.actDim]) as tf.Tensor2D;
          const step = this.network.step(frame, action, hidden);
          const moved = step.skipSteps && offsets ? (tf.add(offsets, step.skipSteps) as tf.Tensor3D) : step.skipSteps;
          const skipOf = (first: tf.Tensor4D | null) => (moved && first ? { first, offsets: moved } : null);
          return {
            frame: composeStep(frame, step, skipOf(skipFrame)),
            hidden: step.hidden,
            maps: maps ? normalizeMaps(composeStep(maps, step, skipOf(skipMaps))) : undefined,
            offsets: moved ?? undefined,
          };
        });
        hidden.dispose();
        offsets?.dispose();
        ({ frame, hidden } = next);
        offsets = next.offsets ?? null;
        frames.push(frame);
        if (next.maps) allMaps.push((maps = next.maps));
      }
      return {
        frames: tf.stack(frames, 1) as tf.Tensor5D,
        pixelMaps: D ? (tf.stack(allMaps, 1) as tf.Tensor5D) : null,
      };
    } finally {
      tf.dispose([hidden, firstFrame, ...frames, ...allMaps]);
      for (const t of [firstMaps, skipFrame, skipMaps, offsets]) t?.dispose();
    }
  }

  /** The model as tfjs-format artifacts: model.json (format, config, weightsManifest) and weights.bin. */
  async save(): Promise<ModelArtifacts> {
    const { data, specs } = await tf.io.encodeWeights(this.network.namedVariables);
    return {
      modelJson: { format: FORMAT, formatVersion: 1, config: this.config, weightsManifest: [{ paths: ['weights.bin'], weights: specs }] },
      weightData: data,
    };
  }

  /** Rebuilds a model saved by {@link save}; it predicts exactly what the saved one did. */
  static load(artifacts: ModelArtifacts): VideoPredictionModel {
    const json = artifacts.modelJson as { format?: string; config?: VideoModelConfig; weightsManifest?: { weights: tf.io.WeightsManifestEntry[] }[] };
    if (json.format !== FORMAT) throw new Error(`model.json: format is '${json.format}', expected '${FORMAT}'`);
    if (!json.config || !json.weightsManifest?.[0]) throw new Error('model.json: missing config or weightsManifest');
    validateVideoModelConfig(json.config);
    const tensors = tf.io.decodeWeights(artifacts.weightData, json.weightsManifest[0].weights);
    try {
      const values = cdnaVariableShapes(json.config).map(([name]) => {
        const t = tensors[name];
        if (!t) throw new Error(`weights.bin: missing ${name}`);
        return t.dataSync() as Float32Array;
      });
      return new VideoPredictionModel(json.config, CdnaNetwork.fromArrays(json.config, values));
    } finally {
      tf.dispose(Object.values(tensors));
    }
  }

  dispose(): void {
    this.network.dispose();
  }
}
