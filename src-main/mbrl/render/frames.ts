/**
 * Small helpers for image observations: frame layout conversions, a content hash and a pixel
 * counter for tests and tools. Frames are RGB bytes [H, W, 3], row by row from the top-left pixel.
 */

/**
 * k stacked frames [k, H, W, 3] (oldest first) → one image with 3k channels [H, W, 3k] (frame i at
 * channels 3i..3i+2), the input layout of a convolutional encoder on frame stacks (NHWC).
 */
export function framesToChannels(frames: Uint8Array, k: number, height: number, width: number): Uint8Array {
  const pixels = height * width;
  if (frames.length !== k * pixels * 3) throw new RangeError(`framesToChannels: ${frames.length} bytes are not ${k} frames of ${height}×${width}×3`);
  const out = new Uint8Array(frames.length);
  const channels = 3 * k;
  for (let f = 0; f < k; f++) {
    const src = f * pixels * 3;
    for (let p = 0; p < pixels; p++) {
      const o = p * channels + 3 * f;
      const i = src + 3 * p;
      out[o] = frames[i];
      out[o + 1] = frames[i + 1];
      out[o + 2] = frames[i + 2];
    }
  }
  return out;
}

/** Image bytes (any layout) → floats in [0, 1], the video and latent models' input scale. */
export function bytesToUnit(bytes: Uint8Array): Float32Array {
  return Float32Array.from(bytes, (v) => v / 255);
}

/**
 * A frame-stack observation [k, H, W, 3] (oldest first) → a convolutional encoder's input [H, W, 3k],
 * floats in [0, 1] (one frame passes through as [H, W, 3]).
 */
export function stackToUnitChannels(obs: Uint8Array, k: number, height: number, width: number): Float32Array {
  return bytesToUnit(k === 1 ? obs : framesToChannels(obs, k, height, width));
}

/** 32-bit FNV-1a of the bytes, as 8 hex digits: a cheap fingerprint to compare frames. */
export function frameHash(bytes: Uint8Array): string {
  let h = 0x811c9dc5;
  for (let i = 0; i < bytes.length; i++) {
    h ^= bytes[i];
    h = Math.imul(h, 0x01000193);
  }
  return (h >>> 0).toString(16).padStart(8, '0');
}

/** The [row, col] of every pixel of frame [H, W, 3] whose colour is exactly rgb (bytes). */
export function pixelsOfColor(frame: Uint8Array, width: number, rgb: readonly [number, number, number]): [number, number][] {
  const out: [number, number][] = [];
  for (let i = 0, p = 0; i < frame.length; i += 3, p++) {
    if (frame[i] === rgb[0] && frame[i + 1] === rgb[1] && frame[i + 2] === rgb[2]) out.push([Math.floor(p / width), p % width]);
  }
  return out;
}

/** Colour in [0, 1] → the byte the rasterizer writes for it under flat shading. */
export function colorByte(c: number): number {
  const v = Math.round(c * 255);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}
