/**
 * Viridis (matplotlib's perceptually uniform map), as five control colours interpolated linearly in
 * RGB: dark blue at 0, teal at ½, yellow at 1. Enough for colouring points by a state variable; a
 * 256-entry table would not be visibly different at point sizes.
 */
const STOPS: readonly (readonly [number, number, number])[] = [
  [0x44, 0x01, 0x54],
  [0x3b, 0x52, 0x8b],
  [0x21, 0x91, 0x8c],
  [0x5e, 0xc9, 0x62],
  [0xfd, 0xe7, 0x25],
];

/**
 * Colour of t ∈ [0, 1] (clamped; NaN → 0) as linear 0…1 RGB written into `out` (also returned), in
 * the sRGB values of the map: three.js vertex colours take them as given.
 */
export function colormap(t: number, out: [number, number, number] = [0, 0, 0]): [number, number, number] {
  const x = Number.isFinite(t) ? Math.min(1, Math.max(0, t)) : 0;
  const pos = x * (STOPS.length - 1);
  const i = Math.min(STOPS.length - 2, Math.floor(pos));
  const f = pos - i;
  for (let c = 0; c < 3; c++) out[c] = (STOPS[i][c] * (1 - f) + STOPS[i + 1][c] * f) / 255;
  return out;
}

/** CSS colour of t ∈ [0, 1] on the same map (for legends and heat overlays). */
export function colormapCss(t: number): string {
  const [r, g, b] = colormap(t);
  return `rgb(${Math.round(r * 255)}, ${Math.round(g * 255)}, ${Math.round(b * 255)})`;
}
