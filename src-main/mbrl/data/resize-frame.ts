/**
 * Recorded frames come in any size and with 1, 3 or 4 channels (gray, RGB, RGBA); the image models
 * take RGB at their own size. Area resampling (each output pixel is the mean of the source area it
 * covers, with fractional edge weights — OpenCV's INTER_AREA) keeps thin things visible when
 * shrinking a 84×84 camera to 32×32, where nearest-neighbour would drop them.
 */

/** Per output index along one axis: the source indices it covers and their weights (summing to 1). */
interface AxisWeights {
  start: Int32Array;
  count: Int32Array;
  weights: Float64Array;
  /** Offset of output i's weights in `weights`. */
  offset: Int32Array;
}

/** Weights of an n → m area resample: output i covers source [i·n/m, (i+1)·n/m). */
function axisWeights(n: number, m: number): AxisWeights {
  const scale = n / m;
  const start = new Int32Array(m);
  const count = new Int32Array(m);
  const offset = new Int32Array(m);
  const list: number[] = [];
  for (let i = 0; i < m; i++) {
    const lo = i * scale;
    const hi = Math.min(n, (i + 1) * scale);
    const first = Math.min(n - 1, Math.floor(lo));
    const last = Math.max(first, Math.min(n - 1, Math.ceil(hi) - 1));
    start[i] = first;
    count[i] = last - first + 1;
    offset[i] = list.length;
    let total = 0;
    for (let j = first; j <= last; j++) {
      // Upsampling (scale < 1) covers part of one source pixel: weight 1.
      const w = scale <= 1 ? 1 : Math.min(hi, j + 1) - Math.max(lo, j);
      list.push(w);
      total += w;
    }
    for (let j = 0; j < count[i]; j++) list[offset[i] + j] /= total;
  }
  return { start, count, weights: Float64Array.from(list), offset };
}

/** A reusable resampler from [h, w, c] bytes (c ∈ {1, 3, 4}) to RGB [height, width, 3] bytes. */
export interface FrameResizer {
  (src: Uint8Array, out?: Uint8Array, outOffset?: number): Uint8Array;
}

/**
 * A resampler from source frames [h, w, c] (c = 1 gray, 3 RGB, 4 RGBA: alpha dropped) to RGB
 * [height, width, 3] bytes, area-weighted. Same size and c = 3 copies. Writes into `out` at
 * `outOffset` when given (episode buffers), else returns a new frame.
 * @throws RangeError on a channel count other than 1, 3 or 4 or a non-positive size.
 */
export function frameResizer(h: number, w: number, c: number, height: number, width: number): FrameResizer {
  if (![1, 3, 4].includes(c)) throw new RangeError(`frames with ${c} channels cannot be shown as RGB (1, 3 or 4 channels)`);
  for (const v of [h, w, height, width]) if (!Number.isInteger(v) || v < 1) throw new RangeError(`frame sizes must be positive integers, got ${h}×${w} → ${height}×${width}`);
  const ys = axisWeights(h, height);
  const xs = axisWeights(w, width);
  const gray = c === 1;
  return (src, out, outOffset = 0) => {
    if (src.length !== h * w * c) throw new RangeError(`a ${h}×${w}×${c} frame has ${h * w * c} bytes, got ${src.length}`);
    const dst = out ?? new Uint8Array(height * width * 3);
    if (h === height && w === width && c === 3) {
      dst.set(src, outOffset);
      return dst;
    }
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let i = 0; i < ys.count[y]; i++) {
          const wy = ys.weights[ys.offset[y] + i];
          const row = (ys.start[y] + i) * w;
          for (let j = 0; j < xs.count[x]; j++) {
            const wgt = wy * xs.weights[xs.offset[x] + j];
            const p = (row + xs.start[x] + j) * c;
            r += wgt * src[p];
            g += wgt * src[gray ? p : p + 1];
            b += wgt * src[gray ? p : p + 2];
          }
        }
        const o = outOffset + (y * width + x) * 3;
        dst[o] = Math.round(r);
        dst[o + 1] = Math.round(g);
        dst[o + 2] = Math.round(b);
      }
    }
    return dst;
  };
}
