import * as THREE from 'three';
import { colormap } from './colormap';

/** Half the side of the cube the codes are fitted into, m (the viewport's world units). */
export const CLOUD_HALF_EXTENT = 1;
/** Height of the cloud's centre above the ground, m: it floats over the grid. */
const CLOUD_CENTRE_Z = 1.2;

/** The two latent paths drawn through the cloud. */
export type LatentPathKind = 'executed' | 'predicted';

const PATH_COLORS: Record<LatentPathKind, number> = { executed: 0xffc36b, predicted: 0x9fd8ff };

/**
 * The codes z = g(o) of many observations as a three.js point cloud, coloured by a true state variable,
 * with the executed trajectory and the model's predicted latent rollout drawn as paths through it.
 *
 * Codes arrive already in 3-D (the engine projects larger latents with PCA). They are fitted into a cube
 * of side 2·{@link CLOUD_HALF_EXTENT} around (0, 0, 1.2) so every embedding reads at the same size; paths
 * use the same fit so they line up with the points. A layer of a {@link Viewport}: add `root`, call
 * `dispose()` when done.
 */
export class LatentCloud {
  readonly root = new THREE.Group();
  private readonly points: THREE.Points;
  private readonly geometry = new THREE.BufferGeometry();
  private readonly material = new THREE.PointsMaterial({ size: 0.07, vertexColors: true, sizeAttenuation: true });
  private readonly marker: THREE.Mesh;
  private readonly paths = new Map<LatentPathKind, THREE.Line>();
  /** Maps a code to the cube: world = (code − centre) · scale + (0, 0, CLOUD_CENTRE_Z). */
  private centre: [number, number, number] = [0, 0, 0];
  private scale = 1;
  private count = 0;

  constructor() {
    this.root.name = 'latent-cloud';
    this.points = new THREE.Points(this.geometry, this.material);
    this.points.name = 'codes';
    this.root.add(this.points);
    this.marker = new THREE.Mesh(new THREE.SphereGeometry(0.06, 16, 12), new THREE.MeshBasicMaterial({ color: 0xffffff }));
    this.marker.visible = false;
    this.root.add(this.marker);
  }

  /** Number of points drawn. */
  get size(): number {
    return this.count;
  }

  /**
   * Shows codes: xyz [N·3] (any scale), values [N] colour them (low = dark blue, high = yellow) over
   * [min, max] of the values, or the given range. Replaces the previous points; clears the marker.
   */
  setPoints(xyz: Float32Array, values: Float32Array, range?: [number, number]): void {
    const n = Math.floor(xyz.length / 3);
    if (values.length !== n) throw new RangeError(`latent cloud: ${n} points but ${values.length} colour values`);
    this.fit(xyz, n);
    const positions = new Float32Array(n * 3);
    this.toWorld(xyz, positions);
    const colors = new Float32Array(n * 3);
    const [lo, hi] = range ?? finiteRange(values);
    const span = hi > lo ? hi - lo : 1;
    const rgb: [number, number, number] = [0, 0, 0];
    for (let i = 0; i < n; i++) {
      colormap((values[i] - lo) / span, rgb);
      colors.set(rgb, 3 * i);
    }
    this.geometry.setAttribute('position', new THREE.BufferAttribute(positions, 3));
    this.geometry.setAttribute('color', new THREE.BufferAttribute(colors, 3));
    this.geometry.computeBoundingSphere();
    this.count = n;
    this.marker.visible = false;
  }

  /** Draws (or with an empty array, hides) a path through the cloud: xyz [T·3] in code units. */
  setPath(kind: LatentPathKind, xyz: Float32Array): void {
    let line = this.paths.get(kind);
    if (!line) {
      line = new THREE.Line(new THREE.BufferGeometry(), new THREE.LineBasicMaterial({ color: PATH_COLORS[kind] }));
      line.name = `path-${kind}`;
      this.paths.set(kind, line);
      this.root.add(line);
    }
    const world = new Float32Array(xyz.length - (xyz.length % 3));
    this.toWorld(xyz, world);
    line.geometry.dispose();
    line.geometry = new THREE.BufferGeometry();
    line.geometry.setAttribute('position', new THREE.BufferAttribute(world, 3));
    line.visible = world.length >= 6;
  }

  /** Index of the point under the ray, or null. `threshold`: pick distance, m. */
  pick(raycaster: THREE.Raycaster, threshold = 0.05): number | null {
    if (this.count === 0) return null;
    raycaster.params.Points = { threshold };
    const hits = raycaster.intersectObject(this.points, false);
    return hits.length > 0 && hits[0].index !== undefined ? hits[0].index : null;
  }

  /** Rings point `index` with a white marker (null hides it). */
  highlight(index: number | null): void {
    const position = this.geometry.getAttribute('position') as THREE.BufferAttribute | undefined;
    if (index === null || !position || index < 0 || index >= this.count) {
      this.marker.visible = false;
      return;
    }
    this.marker.position.set(position.getX(index), position.getY(index), position.getZ(index));
    this.marker.visible = true;
  }

  dispose(): void {
    this.geometry.dispose();
    this.material.dispose();
    this.marker.geometry.dispose();
    (this.marker.material as THREE.Material).dispose();
    for (const line of this.paths.values()) {
      line.geometry.dispose();
      (line.material as THREE.Material).dispose();
    }
    this.paths.clear();
  }

  /** Centre and scale so the points' bounding box fits the cube (degenerate axes stay flat). */
  private fit(xyz: Float32Array, n: number): void {
    const lo = [Infinity, Infinity, Infinity];
    const hi = [-Infinity, -Infinity, -Infinity];
    for (let i = 0; i < n; i++) {
      for (let d = 0; d < 3; d++) {
        const v = xyz[3 * i + d];
        if (!Number.isFinite(v)) continue;
        if (v < lo[d]) lo[d] = v;
        if (v > hi[d]) hi[d] = v;
      }
    }
    let extent = 0;
    for (let d = 0; d < 3; d++) {
      if (!(hi[d] >= lo[d])) {
        lo[d] = 0;
        hi[d] = 0;
      }
      this.centre[d] = (lo[d] + hi[d]) / 2;
      extent = Math.max(extent, (hi[d] - lo[d]) / 2);
    }
    this.scale = extent > 0 ? CLOUD_HALF_EXTENT / extent : 1;
  }

  private toWorld(xyz: Float32Array, out: Float32Array): void {
    for (let i = 0; i + 2 < out.length; i += 3) {
      out[i] = (xyz[i] - this.centre[0]) * this.scale;
      out[i + 1] = (xyz[i + 1] - this.centre[1]) * this.scale;
      out[i + 2] = (xyz[i + 2] - this.centre[2]) * this.scale + CLOUD_CENTRE_Z;
    }
  }
}

/** [min, max] of the finite values ([0, 1] when there are none). */
export function finiteRange(values: ArrayLike<number>): [number, number] {
  let lo = Infinity;
  let hi = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i];
    if (!Number.isFinite(v)) continue;
    if (v < lo) lo = v;
    if (v > hi) hi = v;
  }
  return lo <= hi ? [lo, hi] : [0, 1];
}
