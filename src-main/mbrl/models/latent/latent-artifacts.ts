import * as tf from '@tensorflow/tfjs-core';
import type { ModelArtifacts } from '../dynamics-model';
import type { NamedVariables } from './image-codec';

/** model.json `format` of every latent model; `kind` inside tells which. */
export const LATENT_FORMAT = 'mbrl-lab/latent-model';

/** Encodes named variables as tfjs-format artifacts with `config` and `kind`. */
export async function saveLatent(kind: string, config: unknown, vars: NamedVariables): Promise<ModelArtifacts> {
  const { data, specs } = await tf.io.encodeWeights(vars.names.map((name, i) => ({ name, tensor: vars.variables[i] })));
  return {
    modelJson: { format: LATENT_FORMAT, formatVersion: 1, kind, config, weightsManifest: [{ paths: ['weights.bin'], weights: specs }] },
    weightData: data,
  };
}

/** Reads kind and config of saved latent-model artifacts, with one-line errors for what is wrong. */
export function readLatentHeader(artifacts: ModelArtifacts): { kind: string; config: Record<string, unknown> } {
  const json = artifacts.modelJson as { format?: string; kind?: string; config?: Record<string, unknown>; weightsManifest?: unknown[] };
  if (json.format !== LATENT_FORMAT) throw new Error(`model.json: format is '${json.format}', expected '${LATENT_FORMAT}'`);
  if (typeof json.kind !== 'string' || !json.config || !json.weightsManifest?.[0]) throw new Error('model.json: missing kind, config or weightsManifest');
  return { kind: json.kind, config: json.config };
}

/** Assigns the saved weights to a freshly built model's variables (names and shapes must match). */
export function loadLatentWeights(artifacts: ModelArtifacts, vars: NamedVariables): void {
  const manifest = (artifacts.modelJson as { weightsManifest: { weights: tf.io.WeightsManifestEntry[] }[] }).weightsManifest[0].weights;
  const tensors = tf.io.decodeWeights(artifacts.weightData, manifest);
  try {
    vars.names.forEach((name, i) => {
      const t = tensors[name];
      if (!t) throw new Error(`weights.bin: missing ${name}`);
      const v = vars.variables[i];
      if (t.shape.join() !== v.shape.join()) throw new Error(`weights.bin: ${name} has shape [${t.shape}], the model [${v.shape}]`);
      v.assign(t);
    });
  } finally {
    tf.dispose(Object.values(tensors));
  }
}

/** Joins several parts' named variables. */
export function joinVariables(...parts: NamedVariables[]): NamedVariables {
  return { names: parts.flatMap((p) => p.names), variables: parts.flatMap((p) => p.variables) };
}
