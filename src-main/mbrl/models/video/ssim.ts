/**
 * Structural similarity (Wang, Bovik, Sheikh & Simoncelli 2004) between two images in [0, 1]:
 * an 11×11 Gaussian window (σ = 1.5), K₁ = 0.01, K₂ = 0.03, dynamic range 1, windows fully inside
 * the image, averaged over positions and channels — the settings of the paper and of
 * skimage's `structural_similarity(gaussian_weights=True, sigma=1.5, use_sample_covariance=False)`.
 * Written here (≈ 50 lines) rather than taken from a package: the npm SSIM packages work on
 * RGBA ImageData in [0, 255] and bring canvas code the library must not depend on.
 * a, b: [H, W, C] row-major.
 */
export function ssim(a: Float32Array, b: Float32Array, height: number, width: number, channels: number): number {
  if (a.length !== b.length || a.length !== height * width * channels) throw new Error(`ssim: images must both be ${height}×${width}×${channels}`);
  const radius = 5;
  if (height < 2 * radius + 1 || width < 2 * radius + 1) throw new Error(`ssim: images must be at least ${2 * radius + 1}×${2 * radius + 1}, got ${height}×${width}`);
  const g = gaussian(radius, 1.5);
  const C1 = 0.01 ** 2;
  const C2 = 0.03 ** 2;
  const H = height - 2 * radius;
  const W = width - 2 * radius;
  let total = 0;
  const plane = (img: Float32Array, c: number, f: (v: number, w: number) => number, other?: Float32Array) => {
    // Separable filter: rows then columns, 'valid' positions only.
    const rows = new Float64Array(height * W);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < W; x++) {
        let s = 0;
        for (let i = 0; i <= 2 * radius; i++) {
          const idx = (y * width + x + i) * channels + c;
          s += g[i] * f(img[idx], other ? other[idx] : 0);
        }
        rows[y * W + x] = s;
      }
    }
    const out = new Float64Array(H * W);
    for (let y = 0; y < H; y++) for (let x = 0; x < W; x++) {
      let s = 0;
      for (let i = 0; i <= 2 * radius; i++) s += g[i] * rows[(y + i) * W + x];
      out[y * W + x] = s;
    }
    return out;
  };
  for (let c = 0; c < channels; c++) {
    const muA = plane(a, c, (v) => v);
    const muB = plane(b, c, (v) => v);
    const aa = plane(a, c, (v) => v * v);
    const bb = plane(b, c, (v) => v * v);
    const ab = plane(a, c, (v, w) => v * w, b);
    for (let i = 0; i < H * W; i++) {
      const va = aa[i] - muA[i] ** 2;
      const vb = bb[i] - muB[i] ** 2;
      const cov = ab[i] - muA[i] * muB[i];
      total += ((2 * muA[i] * muB[i] + C1) * (2 * cov + C2)) / ((muA[i] ** 2 + muB[i] ** 2 + C1) * (va + vb + C2));
    }
  }
  return total / (H * W * channels);
}

/** Normalised 1-D Gaussian weights over [−radius, radius]. */
function gaussian(radius: number, sigma: number): Float64Array {
  const g = new Float64Array(2 * radius + 1);
  let sum = 0;
  for (let i = -radius; i <= radius; i++) sum += g[i + radius] = Math.exp(-(i * i) / (2 * sigma * sigma));
  return g.map((v) => v / sum);
}
