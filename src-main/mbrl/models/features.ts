import * as tf from '@tensorflow/tfjs-core';

/**
 * Model input features from an observation: angle dimensions become (sin θ, cos θ), the others pass
 * through. Why: a raw, unwrapped angle makes "upright" a different input after each full turn; the
 * sin/cos pair is continuous and periodic (PETS's obs_preproc).
 */
export interface FeatureSpec {
  obsDim: number;
  /** Indices of observation dimensions that are angles in radians. */
  angleDims: number[];
}

/** Width of the feature vector: obsDim + one extra per angle. */
export function featureDim(spec: FeatureSpec): number {
  return spec.obsDim + spec.angleDims.length;
}

/** obs: [B, obsDim] → features [B, featureDim]: non-angle dims in order, then sin, cos of each angle. */
export function obsFeatures(obs: tf.Tensor2D, spec: FeatureSpec): tf.Tensor2D {
  if (spec.angleDims.length === 0) return obs;
  return tf.tidy(() => {
    const angles = new Set(spec.angleDims);
    const plain = [...Array(spec.obsDim).keys()].filter((d) => !angles.has(d));
    const parts: tf.Tensor2D[] = [];
    if (plain.length) parts.push(tf.gather(obs, plain, 1) as tf.Tensor2D);
    const theta = tf.gather(obs, spec.angleDims, 1) as tf.Tensor2D;
    parts.push(tf.sin(theta), tf.cos(theta));
    return tf.concat(parts, 1) as tf.Tensor2D;
  });
}

/** The same transform on row-major arrays: [n, obsDim] → [n, featureDim]. */
export function obsFeaturesArray(obs: Float32Array, spec: FeatureSpec): Float32Array {
  if (spec.angleDims.length === 0) return obs;
  const n = obs.length / spec.obsDim;
  const F = featureDim(spec);
  const angles = new Set(spec.angleDims);
  const plain = [...Array(spec.obsDim).keys()].filter((d) => !angles.has(d));
  const out = new Float32Array(n * F);
  for (let i = 0; i < n; i++) {
    const row = i * spec.obsDim;
    let k = i * F;
    for (const d of plain) out[k++] = obs[row + d];
    for (const d of spec.angleDims) out[k++] = Math.sin(obs[row + d]);
    for (const d of spec.angleDims) out[k++] = Math.cos(obs[row + d]);
  }
  return out;
}
