/**
 * A fixed camera for the engine's software rasterizer, and the exact mapping between world points and
 * image pixels that it renders with (so a designated pixel can be turned into a world point and back).
 *
 * Image coordinates: (u, v) in pixels, u along a row to the right (column), v down the image (row).
 * The pixel at row i, column j covers [j, j + 1) × [i, i + 1); its centre is (j + 0.5, i + 0.5), and
 * that is where the rasterizer casts its ray (without supersampling).
 */

/** A 3-vector, world frame (z-up), metres. */
export type Vec3 = [number, number, number];

/** Where a pixel camera stands and how it projects. World frame z-up, metres. */
export interface PixelCameraSpec {
  /**
   * 'orthographic': parallel rays along the view direction (planar tasks: exact sizes everywhere);
   * 'perspective': a pinhole at eye.
   */
  projection: 'orthographic' | 'perspective';
  /** Camera position. Orthographic: any point on the axis (rays start on the plane through it). */
  eye: Vec3;
  /** A point the camera looks at: the image centre. */
  target: Vec3;
  /** World direction that appears up in the image (need not be orthogonal to the view). */
  up: Vec3;
  /** Orthographic: metres spanned by the image height (width = viewHeight · W / H). */
  viewHeight?: number;
  /** Perspective: vertical field of view, degrees. */
  fovyDeg?: number;
}

/** A point of the image: u (column direction, px), v (row direction, px), and its depth along the view (m). */
export interface ImagePoint {
  u: number;
  v: number;
  /** Distance in front of the camera along the view direction, m (negative: behind it). */
  depth: number;
}

/**
 * A camera bound to an image size: its orthonormal frame and projection constants.
 * Immutable; cheap to build.
 */
export class PixelCamera {
  readonly width: number;
  readonly height: number;
  readonly spec: Readonly<PixelCameraSpec>;
  /** View direction (unit). */
  readonly forward: Vec3;
  /** Image right (unit). */
  readonly right: Vec3;
  /** Image up (unit). */
  readonly upAxis: Vec3;
  /**
   * Orthographic: metres per pixel. Perspective: tan(fovy / 2) · 2 / height, the slope per pixel at
   * unit depth.
   */
  readonly scale: number;

  /** @throws RangeError on a degenerate camera (eye = target, up parallel to the view, bad sizes). */
  constructor(spec: PixelCameraSpec, width: number, height: number) {
    if (!Number.isInteger(width) || !Number.isInteger(height) || width < 1 || height < 1) {
      throw new RangeError(`camera image size must be positive integers, got ${width}×${height}`);
    }
    const f = sub(spec.target, spec.eye);
    const fl = norm(f);
    if (!(fl > 0)) throw new RangeError('camera eye and target coincide');
    const forward = scale(f, 1 / fl);
    const r = cross(forward, spec.up);
    const rl = norm(r);
    if (!(rl > 1e-9)) throw new RangeError('camera up is parallel to the view direction');
    const right = scale(r, 1 / rl);
    this.width = width;
    this.height = height;
    this.spec = { ...spec, eye: [...spec.eye], target: [...spec.target], up: [...spec.up] };
    this.forward = forward;
    this.right = right;
    this.upAxis = cross(right, forward);
    if (spec.projection === 'orthographic') {
      const vh = spec.viewHeight ?? NaN;
      if (!(vh > 0)) throw new RangeError(`orthographic camera needs viewHeight > 0 (metres), got ${spec.viewHeight}`);
      this.scale = vh / height;
    } else {
      const fovy = spec.fovyDeg ?? NaN;
      if (!(fovy > 0 && fovy < 180)) throw new RangeError(`perspective camera needs 0 < fovyDeg < 180, got ${spec.fovyDeg}`);
      this.scale = (2 * Math.tan((fovy * Math.PI) / 360)) / height;
    }
  }

  get orthographic(): boolean {
    return this.spec.projection === 'orthographic';
  }

  /** The same camera at another image size (same field of view). */
  resized(width: number, height: number): PixelCamera {
    return new PixelCamera(this.spec, width, height);
  }

  /**
   * World point → image point (continuous pixel coordinates, see the module comment). Perspective
   * points behind the camera get depth ≤ 0 and meaningless u, v.
   */
  project(p: readonly number[]): ImagePoint {
    const { eye } = this.spec;
    const d: Vec3 = [p[0] - eye[0], p[1] - eye[1], p[2] - eye[2]];
    const x = dot(d, this.right);
    const y = dot(d, this.upAxis);
    const depth = dot(d, this.forward);
    if (this.orthographic) {
      return { u: this.width / 2 + x / this.scale, v: this.height / 2 - y / this.scale, depth };
    }
    const k = this.scale * depth;
    return { u: this.width / 2 + x / k, v: this.height / 2 - y / k, depth };
  }

  /**
   * The pixel [row, column] that shows world point p (floor of the continuous coordinates), or null
   * when it falls outside the image or behind the camera.
   */
  pixelOf(p: readonly number[]): [number, number] | null {
    const { u, v, depth } = this.project(p);
    if (!this.orthographic && !(depth > 0)) return null;
    const row = Math.floor(v);
    const col = Math.floor(u);
    if (row < 0 || col < 0 || row >= this.height || col >= this.width) return null;
    return [row, col];
  }

  /**
   * The ray through image point (u, v): origin and direction, world frame. The direction's
   * component along the view is exactly 1 (not unit length), so a hit at parameter t lies at depth t
   * (orthographic: t measured from the plane through eye).
   */
  ray(u: number, v: number): { origin: Vec3; dir: Vec3 } {
    const a = (u - this.width / 2) * this.scale;
    const b = (this.height / 2 - v) * this.scale;
    const { eye } = this.spec;
    const { right: r, upAxis: up, forward: f } = this;
    if (this.orthographic) {
      return { origin: [eye[0] + a * r[0] + b * up[0], eye[1] + a * r[1] + b * up[1], eye[2] + a * r[2] + b * up[2]], dir: [...f] };
    }
    return { origin: [...eye], dir: [f[0] + a * r[0] + b * up[0], f[1] + a * r[1] + b * up[1], f[2] + a * r[2] + b * up[2]] };
  }

  /**
   * Image point (u, v) → the world point it shows on the plane through `point` with normal `normal`
   * (e.g. the table top: point [0, 0, h], normal [0, 0, 1]); null when the ray is parallel to the
   * plane or meets it behind the camera. Inverse of {@link project} for points on that plane.
   */
  unproject(u: number, v: number, point: readonly number[], normal: readonly number[]): Vec3 | null {
    const { origin, dir } = this.ray(u, v);
    const den = dir[0] * normal[0] + dir[1] * normal[1] + dir[2] * normal[2];
    if (Math.abs(den) < 1e-12) return null;
    const t = ((point[0] - origin[0]) * normal[0] + (point[1] - origin[1]) * normal[1] + (point[2] - origin[2]) * normal[2]) / den;
    if (!this.orthographic && t <= 0) return null;
    return [origin[0] + t * dir[0], origin[1] + t * dir[1], origin[2] + t * dir[2]];
  }

  /** Centre of pixel [row, col] → world point on the plane z = height (top-down and oblique cameras). */
  pixelToWorldOnZ(row: number, col: number, z: number): Vec3 | null {
    return this.unproject(col + 0.5, row + 0.5, [0, 0, z], [0, 0, 1]);
  }
}

/**
 * A camera straight above (cx, cy) looking down −z, image up = world +y (so image right = +x):
 * orthographic, the image height spanning viewHeight metres. eyeZ only has to be above the scene.
 */
export function topDownCamera(cx: number, cy: number, viewHeight: number, eyeZ = 10): PixelCameraSpec {
  return { projection: 'orthographic', eye: [cx, cy, eyeZ], target: [cx, cy, 0], up: [0, 1, 0], viewHeight };
}

/**
 * A camera on −y looking along +y at the x-z plane (the swing plane of the pendulum and cart-pole),
 * image right = +x, image up = +z; orthographic, centred on (cx, cz), viewHeight metres tall.
 */
export function sideCamera(cx: number, cz: number, viewHeight: number, eyeY = -10): PixelCameraSpec {
  return { projection: 'orthographic', eye: [cx, eyeY, cz], target: [cx, 0, cz], up: [0, 0, 1], viewHeight };
}

function sub(a: readonly number[], b: readonly number[]): Vec3 {
  return [a[0] - b[0], a[1] - b[1], a[2] - b[2]];
}
function scale(a: readonly number[], s: number): Vec3 {
  return [a[0] * s, a[1] * s, a[2] * s];
}
function dot(a: readonly number[], b: readonly number[]): number {
  return a[0] * b[0] + a[1] * b[1] + a[2] * b[2];
}
function cross(a: readonly number[], b: readonly number[]): Vec3 {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}
function norm(a: readonly number[]): number {
  return Math.hypot(a[0], a[1], a[2]);
}
