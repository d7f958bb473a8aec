import { colormap } from '../scene/colormap';

/** An RGB image as the engine sends it: rgb [height · width · 3] uint8, row-major, top row first. */
export interface RgbFrame {
  width: number;
  height: number;
  rgb: Uint8Array;
}

/** Splits K frames stored back to back, bytes [K · height · width · 3], into K frames (views, no copies). */
export function splitFrames(bytes: Uint8Array, width: number, height: number): RgbFrame[] {
  const n = width * height * 3;
  return Array.from({ length: Math.floor(bytes.length / n) }, (_, k) => ({ width, height, rgb: bytes.subarray(k * n, (k + 1) * n) }));
}

/** RGBA pixels [h · w · 4] of an RGB frame (opaque), for ImageData. Throws when the sizes disagree. */
export function rgbToRgba(frame: RgbFrame): Uint8ClampedArray {
  const { width, height, rgb } = frame;
  const n = width * height;
  if (rgb.length !== 3 * n) throw new RangeError(`frame ${width}×${height} needs ${3 * n} RGB bytes, got ${rgb.length}`);
  const out = new Uint8ClampedArray(4 * n);
  for (let i = 0; i < n; i++) {
    out[4 * i] = rgb[3 * i];
    out[4 * i + 1] = rgb[3 * i + 1];
    out[4 * i + 2] = rgb[3 * i + 2];
    out[4 * i + 3] = 255;
  }
  return out;
}

/**
 * A probability map p [h · w] as translucent RGBA [h · w · 4]: colour from the viridis map of p / max(p),
 * alpha rising with p so empty pixels stay clear and the frame shows through. All-zero maps are clear.
 */
export function heatToRgba(p: Float32Array, width: number, height: number, maxAlpha = 200): Uint8ClampedArray {
  const n = width * height;
  if (p.length !== n) throw new RangeError(`heat map ${width}×${height} needs ${n} values, got ${p.length}`);
  let peak = 0;
  for (let i = 0; i < n; i++) if (p[i] > peak) peak = p[i];
  const out = new Uint8ClampedArray(4 * n);
  if (!(peak > 0)) return out;
  const rgb: [number, number, number] = [0, 0, 0];
  for (let i = 0; i < n; i++) {
    const t = p[i] / peak;
    if (!(t > 0.01)) continue;
    colormap(t, rgb);
    out[4 * i] = rgb[0] * 255;
    out[4 * i + 1] = rgb[1] * 255;
    out[4 * i + 2] = rgb[2] * 255;
    out[4 * i + 3] = Math.sqrt(t) * maxAlpha;
  }
  return out;
}

/** Draws RGBA pixels onto a canvas sized to the frame (CSS scales it up crisply). */
export function paintRgba(canvas: HTMLCanvasElement, rgba: Uint8ClampedArray, width: number, height: number): void {
  if (canvas.width !== width) canvas.width = width;
  if (canvas.height !== height) canvas.height = height;
  const ctx = canvas.getContext('2d');
  if (!ctx) return;
  ctx.putImageData(new ImageData(rgba as Uint8ClampedArray<ArrayBuffer>, width, height), 0, 0);
}

/**
 * Pixel (column, row) of a pointer event on an element showing a width × height image stretched over
 * its box, clamped to the image. Columns grow rightwards, rows downwards (image convention).
 */
export function pixelAt(
  clientX: number,
  clientY: number,
  box: { left: number; top: number; width: number; height: number },
  width: number,
  height: number,
): [number, number] {
  const col = Math.floor(((clientX - box.left) / Math.max(1, box.width)) * width);
  const row = Math.floor(((clientY - box.top) / Math.max(1, box.height)) * height);
  return [Math.min(width - 1, Math.max(0, col)), Math.min(height - 1, Math.max(0, row))];
}
