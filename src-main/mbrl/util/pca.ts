/**
 * Principal component analysis for showing latent codes in 3-D.
 *
 * Small and exact rather than a library: the latents are narrow (d ≤ a few dozen), so the d×d
 * covariance is diagonalised with cyclic Jacobi rotations, which is simple, stable for symmetric
 * matrices and fast at that size.
 */

/** A fitted projection onto the top principal components. */
export interface PcaProjection {
  /** Input width d. */
  dim: number;
  /** Number of components kept, k ≤ d. */
  components: number;
  /** Mean of the fitted codes: [d]. */
  mean: Float64Array;
  /** Principal axes, row-major [k, d], unit length, sorted by decreasing variance. */
  axes: Float64Array;
  /** Variance along each axis: [k]. */
  variance: Float64Array;
  /** Fraction of the total variance each axis explains: [k]. */
  explained: Float64Array;
}

/**
 * Fits PCA to codes [n, d] (row-major) and keeps the top k components (default 3). Each axis's sign
 * is fixed so its largest-magnitude entry is positive, so the picture does not flip between fits.
 * @throws RangeError when codes.length is not n·d, n < 1, or a code is not finite.
 */
export function fitPca(codes: ArrayLike<number>, n: number, d: number, k = 3): PcaProjection {
  if (n < 1 || d < 1 || codes.length !== n * d) throw new RangeError(`pca: codes has ${codes.length} values, expected ${n}×${d}`);
  const mean = new Float64Array(d);
  for (let i = 0; i < n; i++) {
    for (let j = 0; j < d; j++) {
      const v = codes[i * d + j];
      if (!Number.isFinite(v)) throw new RangeError(`pca: code ${i} dimension ${j} is ${v}`);
      mean[j] += v / n;
    }
  }
  const cov = new Float64Array(d * d);
  for (let i = 0; i < n; i++) {
    for (let a = 0; a < d; a++) {
      const xa = codes[i * d + a] - mean[a];
      for (let b = a; b < d; b++) cov[a * d + b] += (xa * (codes[i * d + b] - mean[b])) / Math.max(1, n - 1);
    }
  }
  for (let a = 0; a < d; a++) for (let b = 0; b < a; b++) cov[a * d + b] = cov[b * d + a];
  const { values, vectors } = symmetricEigen(cov, d);
  const order = Array.from({ length: d }, (_, i) => i).sort((x, y) => values[y] - values[x]);
  const kept = Math.min(k, d);
  const axes = new Float64Array(kept * d);
  const variance = new Float64Array(kept);
  const explained = new Float64Array(kept);
  const total = values.reduce((s, v) => s + Math.max(0, v), 0);
  for (let c = 0; c < kept; c++) {
    const col = order[c];
    let peak = 0;
    for (let j = 0; j < d; j++) if (Math.abs(vectors[j * d + col]) > Math.abs(peak)) peak = vectors[j * d + col];
    const sign = peak < 0 ? -1 : 1;
    for (let j = 0; j < d; j++) axes[c * d + j] = sign * vectors[j * d + col];
    variance[c] = Math.max(0, values[col]);
    explained[c] = total > 0 ? variance[c] / total : 0;
  }
  return { dim: d, components: kept, mean, axes, variance, explained };
}

/**
 * Projects codes [n, d] onto the projection's axes → [n, 3] (Float32, for three.js). With fewer than 3
 * components the missing coordinates are 0, so 1-D and 2-D latents still draw.
 */
export function projectPca(p: PcaProjection, codes: ArrayLike<number>, n: number): Float32Array {
  const d = p.dim;
  if (codes.length !== n * d) throw new RangeError(`pca: codes has ${codes.length} values, expected ${n}×${d}`);
  const out = new Float32Array(n * 3);
  for (let i = 0; i < n; i++) {
    for (let c = 0; c < p.components && c < 3; c++) {
      let s = 0;
      for (let j = 0; j < d; j++) s += (codes[i * d + j] - p.mean[j]) * p.axes[c * d + j];
      out[i * 3 + c] = s;
    }
  }
  return out;
}

/** Codes [n, d] as [n, 3]: as they are when d ≤ 3 (zero-padded), else their top-3 PCA projection. */
export function codesTo3d(codes: ArrayLike<number>, n: number, d: number): Float32Array {
  if (d <= 3) {
    const out = new Float32Array(n * 3);
    for (let i = 0; i < n; i++) for (let j = 0; j < d; j++) out[i * 3 + j] = codes[i * d + j];
    return out;
  }
  return projectPca(fitPca(codes, n, d, 3), codes, n);
}

/** Eigen-decomposition of a symmetric d×d matrix (row-major) by cyclic Jacobi: vectors in columns. */
function symmetricEigen(matrix: Float64Array, d: number): { values: Float64Array; vectors: Float64Array } {
  const a = Float64Array.from(matrix);
  const v = new Float64Array(d * d);
  for (let i = 0; i < d; i++) v[i * d + i] = 1;
  for (let sweep = 0; sweep < 100; sweep++) {
    let off = 0;
    for (let p = 0; p < d; p++) for (let q = p + 1; q < d; q++) off += a[p * d + q] ** 2;
    if (off < 1e-30) break;
    for (let p = 0; p < d; p++) {
      for (let q = p + 1; q < d; q++) {
        const apq = a[p * d + q];
        if (Math.abs(apq) < 1e-300) continue;
        const theta = (a[q * d + q] - a[p * d + p]) / (2 * apq);
        const t = Math.sign(theta || 1) / (Math.abs(theta) + Math.sqrt(theta * theta + 1));
        const c = 1 / Math.sqrt(t * t + 1);
        const s = t * c;
        for (let k = 0; k < d; k++) {
          const akp = a[k * d + p];
          const akq = a[k * d + q];
          a[k * d + p] = c * akp - s * akq;
          a[k * d + q] = s * akp + c * akq;
        }
        for (let k = 0; k < d; k++) {
          const apk = a[p * d + k];
          const aqk = a[q * d + k];
          a[p * d + k] = c * apk - s * aqk;
          a[q * d + k] = s * apk + c * aqk;
        }
        for (let k = 0; k < d; k++) {
          const vkp = v[k * d + p];
          const vkq = v[k * d + q];
          v[k * d + p] = c * vkp - s * vkq;
          v[k * d + q] = s * vkp + c * vkq;
        }
      }
    }
  }
  const values = new Float64Array(d);
  for (let i = 0; i < d; i++) values[i] = a[i * d + i];
  return { values, vectors: v };
}
