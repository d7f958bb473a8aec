import * as tf from '@tensorflow/tfjs-core';
import { transformImages } from './cdna-transform';

/** A pixel on an S×S frame: x to the right, y down, integers in [0, S). */
export interface Pixel {
  x: number;
  y: number;
}

/**
 * P₀ for designated pixels: one map per pixel, all mass on it. pixels: D of them → [S, S, D] row-major
 * (y, x, d), each map summing to 1.
 * @throws if a pixel lies outside the frame.
 */
export function oneHotPixelMaps(pixels: readonly Pixel[], size: number): Float32Array {
  const D = pixels.length;
  const maps = new Float32Array(size * size * D);
  pixels.forEach((p, d) => {
    if (!Number.isInteger(p.x) || !Number.isInteger(p.y) || p.x < 0 || p.y < 0 || p.x >= size || p.y >= size) {
      throw new Error(`designated pixel ${d}: (${p.x}, ${p.y}) is not a pixel of the ${size}×${size} frame`);
    }
    maps[(p.y * size + p.x) * D + d] = 1;
  });
  return maps;
}

/**
 * P₀ for designated points at fractional positions (pixel-index coordinates, pixel centres at
 * integers): each map spreads its unit mass bilinearly over the up to four pixels around the point,
 * so its mean is exactly the point (an integer point gives {@link oneHotPixelMaps}'s one-hot). Used when
 * a point is known more finely than the model's frame (a 64×64 click on a 32×32 model, a tracker).
 * points: D of them → [S, S, D] row-major (y, x, d).
 * @throws if a point lies outside [0, S − 1]².
 */
export function pointPixelMaps(points: readonly Pixel[], size: number): Float32Array {
  const D = points.length;
  const maps = new Float32Array(size * size * D);
  points.forEach((p, d) => {
    if (!(p.x >= 0 && p.y >= 0 && p.x <= size - 1 && p.y <= size - 1)) throw new Error(`designated point ${d}: (${p.x}, ${p.y}) is not inside the ${size}×${size} frame`);
    const x0 = Math.floor(p.x);
    const y0 = Math.floor(p.y);
    const fx = p.x - x0;
    const fy = p.y - y0;
    const add = (x: number, y: number, w: number) => {
      if (w > 0) maps[(y * size + x) * D + d] += w;
    };
    add(x0, y0, (1 - fx) * (1 - fy));
    add(x0 + 1, y0, fx * (1 - fy));
    add(x0, y0 + 1, (1 - fx) * fy);
    add(x0 + 1, y0 + 1, fx * fy);
  });
  return maps;
}

/**
 * P_{t+1} from P_t by the same motion the model predicted for the frame (Finn & Levine 2017):
 * Σ_m mask_m · (kernel_m ⊛ P_t) plus the background mask keeping mass in place, then renormalised per
 * map, because masks are evaluated at the destination and zero padding loses mass at the border.
 * maps: [B, S, S, D], kernels: [B, k, k, K], masks: [B, S, S, K+1] → [B, S, S, D], each map summing to 1.
 */
export function propagatePixelMaps(maps: tf.Tensor4D, kernels: tf.Tensor4D, masks: tf.Tensor4D): tf.Tensor4D {
  return normalizeMaps(transformImages(maps, kernels, masks));
}

/** Divides each map [B, S, S, D] by its total mass (a tiny floor keeps an emptied map finite). */
export function normalizeMaps(maps: tf.Tensor4D): tf.Tensor4D {
  return tf.div(maps, tf.maximum(tf.sum(maps, [1, 2], true), 1e-12)) as tf.Tensor4D;
}

/** The mean position of each map: maps [S, S, D] row-major → D pixels (fractional). */
export function expectedPixels(maps: Float32Array, size: number, count: number): { x: number; y: number }[] {
  const out = Array.from({ length: count }, () => ({ x: 0, y: 0, mass: 0 }));
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      for (let d = 0; d < count; d++) {
        const p = maps[(y * size + x) * count + d];
        out[d].x += p * x;
        out[d].y += p * y;
        out[d].mass += p;
      }
    }
  }
  return out.map((o) => ({ x: o.x / (o.mass || 1), y: o.y / (o.mass || 1) }));
}
