/**
 * The engine's software renderer: a task's geoms (plane, sphere, capsule, ellipsoid, cylinder, box)
 * seen from a fixed {@link PixelCamera}, as an RGB uint8 image [H, W, 3].
 *
 * Why our own: the engine (Node or Electron's utility process) has no GPU context, and observations
 * must be the same bytes wherever they are made (engine, CLI, tests), so they can be recorded and
 * compared. Each pixel casts one ray per sample through its centre and takes the nearest geom it hits
 * (exact analytic intersections and a depth buffer, so geoms overlap correctly from any camera);
 * supersampling s gives s × s samples averaged with integer rounding. Only IEEE double arithmetic
 * and integer rounding are involved: the same poses give the same bytes on every JS engine.
 *
 * Geoms of hidden bodies and geoms with alpha 0 are skipped; other alpha values draw opaque.
 * Colours: the geom's rgba as written in the MJCF (like MuJoCo's own viewer), times a shade factor
 * under 'lambert' shading.
 */
import { POSE_STRIDE, type GeomDescription, type GeomKind } from '../env/scene';
import { PixelCamera, type PixelCameraSpec } from './camera';
import { colorByte as to8 } from './frames';
import { hitBox, hitCapsule, hitCylinder, hitEllipsoid, hitNormal, hitPlane, hitSphere } from './geom-hit';

/** How the rasterizer draws; every field optional. */
export interface RasterOptions {
  /** Image width and height, pixels (default 64 × 64). */
  width?: number;
  height?: number;
  /** Colour where no geom is hit, RGB in [0, 1] (default a light grey-blue). */
  background?: readonly [number, number, number];
  /**
   * 'flat' (default): each geom one colour, its rgba. 'lambert': rgba × (ambient + (1 − ambient) ·
   * max(0, n·l)) with a light from behind the camera, a little above and to the left; ambient 0.45.
   */
  shading?: 'flat' | 'lambert';
  /** Samples per pixel along each axis (1–8, default 1): anti-aliasing by a box filter. */
  supersample?: number;
  /** Body indices whose geoms are not drawn (e.g. a goal marker the agent must not see). */
  hiddenBodies?: readonly number[];
  /**
   * Radii of spheres, capsules and cylinders are drawn at least this many output pixels wide
   * (measured at the geom's depth), so that thin rods stay visible in a small image (default 0:
   * exact sizes). Only the picture changes, never the physics.
   */
  minRadiusPx?: number;
}

/** The geoms a rasterizer draws: {@link SceneDescription} or any object with its geoms. */
export interface RasterScene {
  geoms: readonly GeomDescription[];
}

const KIND_CODE: Readonly<Record<GeomKind, number>> = { plane: 0, sphere: 1, capsule: 2, ellipsoid: 3, cylinder: 4, box: 5 };
const DEFAULT_BACKGROUND: readonly [number, number, number] = [0.72, 0.78, 0.86];
const AMBIENT = 0.45;

/** One drawable geom, with its placement in its body's frame as a rotation matrix. */
interface PreparedGeom {
  body: number;
  kind: number;
  size: [number, number, number];
  /** Body-frame position. */
  pos: [number, number, number];
  /** Body-frame rotation, row-major 3 × 3. */
  rot: Float64Array;
  rgb: [number, number, number];
}

/**
 * Renders scenes of one task from one camera. Build once per task, then call {@link render} with the
 * body poses of each frame (the layout of `Env.poses()` / `Env.posesFor()`).
 */
export class Rasterizer {
  /** The camera at the output size: use it to map world points to output pixels and back. */
  readonly camera: PixelCamera;
  readonly width: number;
  readonly height: number;
  /** Bodies the poses must cover: 1 + the largest body index of any geom. */
  readonly bodyCount: number;

  private readonly sampleCamera: PixelCamera;
  private readonly ss: number;
  private readonly geoms: PreparedGeom[];
  private readonly background: [number, number, number];
  private readonly lambert: boolean;
  private readonly minRadiusPx: number;
  private readonly light: [number, number, number];
  /** Sample buffers at width·ss × height·ss: depth and colour. */
  private readonly depth: Float64Array;
  private readonly color: Uint8Array;
  /** The sample buffer's colours with nothing drawn (the background), copied in at each frame. */
  private readonly cleared: Uint8Array;
  /** Colour of the geom being drawn: rgb in [0, 1] (lambert) and as bytes (flat). */
  private shadeR = 0;
  private shadeG = 0;
  private shadeB = 0;
  private flatR = 0;
  private flatG = 0;
  private flatB = 0;

  /** @throws RangeError on bad sizes, an unknown geom kind or a degenerate camera. */
  constructor(scene: RasterScene, camera: PixelCameraSpec, options: RasterOptions = {}) {
    const width = options.width ?? 64;
    const height = options.height ?? 64;
    const ss = options.supersample ?? 1;
    if (!Number.isInteger(ss) || ss < 1 || ss > 8) throw new RangeError(`supersample must be an integer in 1..8, got ${ss}`);
    this.camera = new PixelCamera(camera, width, height);
    this.width = width;
    this.height = height;
    this.ss = ss;
    this.sampleCamera = this.camera.resized(width * ss, height * ss);
    this.lambert = options.shading === 'lambert';
    this.minRadiusPx = options.minRadiusPx ?? 0;
    const bg = options.background ?? DEFAULT_BACKGROUND;
    this.background = [to8(bg[0]), to8(bg[1]), to8(bg[2])];
    const hidden = new Set(options.hiddenBodies ?? []);
    this.geoms = [];
    let maxBody = 0;
    for (const g of scene.geoms) {
      maxBody = Math.max(maxBody, g.body);
      if (hidden.has(g.body) || g.rgba[3] <= 0) continue;
      const kind = KIND_CODE[g.kind];
      if (kind === undefined) throw new RangeError(`rasterizer: unknown geom kind '${g.kind}'`);
      this.geoms.push({
        body: g.body,
        kind,
        size: [...g.size],
        pos: [...g.pos],
        rot: quatToMat(g.quat[0], g.quat[1], g.quat[2], g.quat[3], new Float64Array(9), 0),
        rgb: [g.rgba[0], g.rgba[1], g.rgba[2]],
      });
    }
    this.bodyCount = maxBody + 1;
    // Light from behind the camera, up and to the left, expressed in the world frame.
    const { forward: f, right: r, upAxis: u } = this.camera;
    const l: [number, number, number] = [0, 0, 0];
    for (let k = 0; k < 3; k++) l[k] = -f[k] - 0.4 * r[k] + 0.6 * u[k];
    const ln = Math.hypot(l[0], l[1], l[2]);
    this.light = [l[0] / ln, l[1] / ln, l[2] / ln];
    const n = width * ss * height * ss;
    this.depth = new Float64Array(n);
    this.color = new Uint8Array(n * 3);
    this.cleared = new Uint8Array(n * 3);
    for (let i = 0; i < this.cleared.length; i += 3) this.cleared.set(this.background, i);
  }

  /**
   * One frame: poses [nbody · 7] (per body x, y, z then quaternion w, x, y, z, world frame) →
   * out [H · W · 3], RGB bytes row by row from the top-left pixel. Writes into `out` when given
   * (length H·W·3, e.g. a subarray of a batch), else into a fresh array.
   * @throws RangeError when the poses miss a body that holds a geom, or out has the wrong length.
   */
  render(poses: ArrayLike<number>, out?: Uint8Array): Uint8Array {
    if (poses.length < this.bodyCount * POSE_STRIDE) {
      throw new RangeError(`rasterizer: poses cover ${Math.floor(poses.length / POSE_STRIDE)} bodies, the scene needs ${this.bodyCount}`);
    }
    const size = this.width * this.height * 3;
    const image = out ?? new Uint8Array(size);
    if (image.length !== size) throw new RangeError(`rasterizer: output has ${image.length} bytes, expected ${size} (${this.height}×${this.width}×3)`);
    this.depth.fill(Infinity);
    this.color.set(this.cleared);
    for (const g of this.geoms) this.drawGeom(g, poses);
    this.resolve(image);
    return image;
  }

  /**
   * Many frames at once: poses [K · nbody · 7] with nbody = poses per frame (≥ bodyCount) →
   * [K, H, W, 3] bytes. The layout of `Env.posesFor()` for K observations.
   */
  renderMany(poses: ArrayLike<number>, nbody: number): Uint8Array {
    const stride = nbody * POSE_STRIDE;
    if (nbody < this.bodyCount || poses.length % stride !== 0) {
      throw new RangeError(`rasterizer: ${poses.length} pose values are not K frames of ${nbody} bodies (scene needs ${this.bodyCount})`);
    }
    const k = poses.length / stride;
    const frame = this.width * this.height * 3;
    const out = new Uint8Array(k * frame);
    const one = new Float64Array(stride);
    for (let i = 0; i < k; i++) {
      for (let j = 0; j < stride; j++) one[j] = poses[i * stride + j];
      this.render(one, out.subarray(i * frame, (i + 1) * frame));
    }
    return out;
  }

  private drawGeom(g: PreparedGeom, poses: ArrayLike<number>): void {
    // World placement: body pose ∘ geom's body-frame placement.
    const o = g.body * POSE_STRIDE;
    const bm = quatToMat(poses[o + 3], poses[o + 4], poses[o + 5], poses[o + 6], BODY_ROT, 0);
    const R = WORLD_ROT;
    for (let i = 0; i < 3; i++) {
      for (let j = 0; j < 3; j++) R[3 * i + j] = bm[3 * i] * g.rot[j] + bm[3 * i + 1] * g.rot[3 + j] + bm[3 * i + 2] * g.rot[6 + j];
    }
    const cx = poses[o] + bm[0] * g.pos[0] + bm[1] * g.pos[1] + bm[2] * g.pos[2];
    const cy = poses[o + 1] + bm[3] * g.pos[0] + bm[4] * g.pos[1] + bm[5] * g.pos[2];
    const cz = poses[o + 2] + bm[6] * g.pos[0] + bm[7] * g.pos[1] + bm[8] * g.pos[2];

    const cam = this.sampleCamera;
    const W = cam.width;
    const H = cam.height;
    let s0 = g.size[0];
    const s1 = g.size[1];
    const s2 = g.size[2];
    if (this.minRadiusPx > 0 && (g.kind === 1 || g.kind === 2 || g.kind === 4)) {
      // Output pixel size at the geom's depth.
      const depth = (cx - cam.spec.eye[0]) * cam.forward[0] + (cy - cam.spec.eye[1]) * cam.forward[1] + (cz - cam.spec.eye[2]) * cam.forward[2];
      const metresPerPx = this.camera.scale * (cam.orthographic ? 1 : Math.max(depth, 0));
      s0 = Math.max(s0, this.minRadiusPx * metresPerPx);
    }
    // Half extents of the geom's box in its own frame (Infinity: an unbounded plane).
    let ex: number;
    let ey: number;
    let ez: number;
    switch (g.kind) {
      case 0:
        ex = s0 > 0 ? s0 : Infinity;
        ey = s1 > 0 ? s1 : Infinity;
        ez = 0;
        break;
      case 1:
        ex = ey = ez = s0;
        break;
      case 2:
        ex = ey = s0;
        ez = s1 + s0;
        break;
      case 4:
        ex = ey = s0;
        ez = s1;
        break;
      default:
        ex = s0;
        ey = s1;
        ez = s2;
    }
    // For an orthographic camera whose rays all run away from a plane's visible side, nothing to draw.
    if (g.kind === 0 && cam.orthographic && R[2] * cam.forward[0] + R[5] * cam.forward[1] + R[8] * cam.forward[2] >= 0) return;

    // Pixel rectangle that can show the geom: the projection of its oriented box's 8 corners (whole
    // image for unbounded planes or when a corner lies behind a pinhole camera).
    let c0 = 0;
    let c1 = W - 1;
    let r0 = 0;
    let r1 = H - 1;
    if (ex !== Infinity && ey !== Infinity) {
      let umin = Infinity;
      let umax = -Infinity;
      let vmin = Infinity;
      let vmax = -Infinity;
      let behind = false;
      for (let corner = 0; corner < 8; corner++) {
        const a = corner & 1 ? ex : -ex;
        const b = corner & 2 ? ey : -ey;
        const c = corner & 4 ? ez : -ez;
        CORNER[0] = cx + R[0] * a + R[1] * b + R[2] * c;
        CORNER[1] = cy + R[3] * a + R[4] * b + R[5] * c;
        CORNER[2] = cz + R[6] * a + R[7] * b + R[8] * c;
        const p = cam.project(CORNER);
        if (!cam.orthographic && !(p.depth > 0)) behind = true;
        if (p.u < umin) umin = p.u;
        if (p.u > umax) umax = p.u;
        if (p.v < vmin) vmin = p.v;
        if (p.v > vmax) vmax = p.v;
      }
      if (!behind) {
        c0 = Math.max(0, Math.ceil(umin - 0.5));
        c1 = Math.min(W - 1, Math.floor(umax - 0.5));
        r0 = Math.max(0, Math.ceil(vmin - 0.5));
        r1 = Math.min(H - 1, Math.floor(vmax - 0.5));
      }
    }
    if (c0 > c1 || r0 > r1) return;

    // Ray origin and direction are affine in the pixel centre (u, v); in the geom frame too:
    // local = Rᵀ(world − centre). Precompute the value at (0, 0) and the steps per column and row.
    const ray0 = cam.ray(0, 0);
    const rayU = cam.ray(1, 0);
    const rayV = cam.ray(0, 1);
    const loc = LOCAL;
    for (let k = 0; k < 3; k++) {
      // Column k of R is the geom's local axis k in world coordinates.
      const ax = R[k];
      const ay = R[3 + k];
      const az = R[6 + k];
      const o0 = (ray0.origin[0] - cx) * ax + (ray0.origin[1] - cy) * ay + (ray0.origin[2] - cz) * az;
      const ou = (rayU.origin[0] - ray0.origin[0]) * ax + (rayU.origin[1] - ray0.origin[1]) * ay + (rayU.origin[2] - ray0.origin[2]) * az;
      const ov = (rayV.origin[0] - ray0.origin[0]) * ax + (rayV.origin[1] - ray0.origin[1]) * ay + (rayV.origin[2] - ray0.origin[2]) * az;
      const d0 = ray0.dir[0] * ax + ray0.dir[1] * ay + ray0.dir[2] * az;
      const du = (rayU.dir[0] - ray0.dir[0]) * ax + (rayU.dir[1] - ray0.dir[1]) * ay + (rayU.dir[2] - ray0.dir[2]) * az;
      const dv = (rayV.dir[0] - ray0.dir[0]) * ax + (rayV.dir[1] - ray0.dir[1]) * ay + (rayV.dir[2] - ray0.dir[2]) * az;
      loc[6 * k] = o0;
      loc[6 * k + 1] = ou;
      loc[6 * k + 2] = ov;
      loc[6 * k + 3] = d0;
      loc[6 * k + 4] = du;
      loc[6 * k + 5] = dv;
    }

    this.shadeR = g.rgb[0];
    this.shadeG = g.rgb[1];
    this.shadeB = g.rgb[2];
    this.flatR = to8(g.rgb[0]);
    this.flatG = to8(g.rgb[1]);
    this.flatB = to8(g.rgb[2]);
    // One small scan method per kind, so that each loop's intersection call is monomorphic and
    // inlined (one big method with six loops ran ~10× slower per pixel).
    switch (g.kind) {
      case 0:
        this.scanPlane(r0, r1, c0, c1, W, s0, s1, s2);
        break;
      case 1:
        this.scanSphere(r0, r1, c0, c1, W, s0, s1, s2);
        break;
      case 2:
        this.scanCapsule(r0, r1, c0, c1, W, s0, s1, s2);
        break;
      case 3:
        this.scanEllipsoid(r0, r1, c0, c1, W, s0, s1, s2);
        break;
      case 4:
        this.scanCylinder(r0, r1, c0, c1, W, s0, s1, s2);
        break;
      case 5:
        this.scanBox(r0, r1, c0, c1, W, s0, s1, s2);
        break;
    }
  }

  private scanPlane(r0: number, r1: number, c0: number, c1: number, W: number, s0: number, s1: number, _s2: number): void {
    const loc = LOCAL;
    const depth = this.depth;
    for (let row = r0; row <= r1; row++) {
      const v = row + 0.5;
      const u0 = c0 + 0.5;
      let ox = loc[0] + u0 * loc[1] + v * loc[2];
      let dx = loc[3] + u0 * loc[4] + v * loc[5];
      let oy = loc[6] + u0 * loc[7] + v * loc[8];
      let dy = loc[9] + u0 * loc[10] + v * loc[11];
      let oz = loc[12] + u0 * loc[13] + v * loc[14];
      let dz = loc[15] + u0 * loc[16] + v * loc[17];
      for (let idx = row * W + c0, end = row * W + c1; idx <= end; idx++) {
        const t = hitPlane(ox, oy, oz, dx, dy, dz, s0, s1);
        if (t < depth[idx]) this.store(idx, t);
        ox += loc[1];
        dx += loc[4];
        oy += loc[7];
        dy += loc[10];
        oz += loc[13];
        dz += loc[16];
      }
    }
  }

  private scanSphere(r0: number, r1: number, c0: number, c1: number, W: number, s0: number, _s1: number, _s2: number): void {
    const loc = LOCAL;
    const depth = this.depth;
    for (let row = r0; row <= r1; row++) {
      const v = row + 0.5;
      const u0 = c0 + 0.5;
      let ox = loc[0] + u0 * loc[1] + v * loc[2];
      let dx = loc[3] + u0 * loc[4] + v * loc[5];
      let oy = loc[6] + u0 * loc[7] + v * loc[8];
      let dy = loc[9] + u0 * loc[10] + v * loc[11];
      let oz = loc[12] + u0 * loc[13] + v * loc[14];
      let dz = loc[15] + u0 * loc[16] + v * loc[17];
      for (let idx = row * W + c0, end = row * W + c1; idx <= end; idx++) {
        const t = hitSphere(ox, oy, oz, dx, dy, dz, s0);
        if (t < depth[idx]) this.store(idx, t);
        ox += loc[1];
        dx += loc[4];
        oy += loc[7];
        dy += loc[10];
        oz += loc[13];
        dz += loc[16];
      }
    }
  }

  private scanCapsule(r0: number, r1: number, c0: number, c1: number, W: number, s0: number, s1: number, _s2: number): void {
    const loc = LOCAL;
    const depth = this.depth;
    for (let row = r0; row <= r1; row++) {
      const v = row + 0.5;
      const u0 = c0 + 0.5;
      let ox = loc[0] + u0 * loc[1] + v * loc[2];
      let dx = loc[3] + u0 * loc[4] + v * loc[5];
      let oy = loc[6] + u0 * loc[7] + v * loc[8];
      let dy = loc[9] + u0 * loc[10] + v * loc[11];
      let oz = loc[12] + u0 * loc[13] + v * loc[14];
      let dz = loc[15] + u0 * loc[16] + v * loc[17];
      for (let idx = row * W + c0, end = row * W + c1; idx <= end; idx++) {
        const t = hitCapsule(ox, oy, oz, dx, dy, dz, s0, s1);
        if (t < depth[idx]) this.store(idx, t);
        ox += loc[1];
        dx += loc[4];
        oy += loc[7];
        dy += loc[10];
        oz += loc[13];
        dz += loc[16];
      }
    }
  }

  private scanEllipsoid(r0: number, r1: number, c0: number, c1: number, W: number, s0: number, s1: number, s2: number): void {
    const loc = LOCAL;
    const depth = this.depth;
    for (let row = r0; row <= r1; row++) {
      const v = row + 0.5;
      const u0 = c0 + 0.5;
      let ox = loc[0] + u0 * loc[1] + v * loc[2];
      let dx = loc[3] + u0 * loc[4] + v * loc[5];
      let oy = loc[6] + u0 * loc[7] + v * loc[8];
      let dy = loc[9] + u0 * loc[10] + v * loc[11];
      let oz = loc[12] + u0 * loc[13] + v * loc[14];
      let dz = loc[15] + u0 * loc[16] + v * loc[17];
      for (let idx = row * W + c0, end = row * W + c1; idx <= end; idx++) {
        const t = hitEllipsoid(ox, oy, oz, dx, dy, dz, s0, s1, s2);
        if (t < depth[idx]) this.store(idx, t);
        ox += loc[1];
        dx += loc[4];
        oy += loc[7];
        dy += loc[10];
        oz += loc[13];
        dz += loc[16];
      }
    }
  }

  private scanCylinder(r0: number, r1: number, c0: number, c1: number, W: number, s0: number, s1: number, _s2: number): void {
    const loc = LOCAL;
    const depth = this.depth;
    for (let row = r0; row <= r1; row++) {
      const v = row + 0.5;
      const u0 = c0 + 0.5;
      let ox = loc[0] + u0 * loc[1] + v * loc[2];
      let dx = loc[3] + u0 * loc[4] + v * loc[5];
      let oy = loc[6] + u0 * loc[7] + v * loc[8];
      let dy = loc[9] + u0 * loc[10] + v * loc[11];
      let oz = loc[12] + u0 * loc[13] + v * loc[14];
      let dz = loc[15] + u0 * loc[16] + v * loc[17];
      for (let idx = row * W + c0, end = row * W + c1; idx <= end; idx++) {
        const t = hitCylinder(ox, oy, oz, dx, dy, dz, s0, s1);
        if (t < depth[idx]) this.store(idx, t);
        ox += loc[1];
        dx += loc[4];
        oy += loc[7];
        dy += loc[10];
        oz += loc[13];
        dz += loc[16];
      }
    }
  }

  private scanBox(r0: number, r1: number, c0: number, c1: number, W: number, s0: number, s1: number, s2: number): void {
    const loc = LOCAL;
    const depth = this.depth;
    for (let row = r0; row <= r1; row++) {
      const v = row + 0.5;
      const u0 = c0 + 0.5;
      let ox = loc[0] + u0 * loc[1] + v * loc[2];
      let dx = loc[3] + u0 * loc[4] + v * loc[5];
      let oy = loc[6] + u0 * loc[7] + v * loc[8];
      let dy = loc[9] + u0 * loc[10] + v * loc[11];
      let oz = loc[12] + u0 * loc[13] + v * loc[14];
      let dz = loc[15] + u0 * loc[16] + v * loc[17];
      for (let idx = row * W + c0, end = row * W + c1; idx <= end; idx++) {
        const t = hitBox(ox, oy, oz, dx, dy, dz, s0, s1, s2);
        if (t < depth[idx]) this.store(idx, t);
        ox += loc[1];
        dx += loc[4];
        oy += loc[7];
        dy += loc[10];
        oz += loc[13];
        dz += loc[16];
      }
    }
  }

  /** Keeps a hit at sample idx with depth t: its colour, shaded by the normal of the last hit under lambert. */
  private store(idx: number, t: number): void {
    this.depth[idx] = t;
    const c = 3 * idx;
    const color = this.color;
    if (!this.lambert) {
      color[c] = this.flatR;
      color[c + 1] = this.flatG;
      color[c + 2] = this.flatB;
      return;
    }
    // World normal = R · local normal.
    const R = WORLD_ROT;
    const light = this.light;
    const lx = hitNormal[0];
    const ly = hitNormal[1];
    const lz = hitNormal[2];
    const nx = R[0] * lx + R[1] * ly + R[2] * lz;
    const ny = R[3] * lx + R[4] * ly + R[5] * lz;
    const nz = R[6] * lx + R[7] * ly + R[8] * lz;
    const nl = Math.sqrt(nx * nx + ny * ny + nz * nz) || 1;
    const cos = (nx * light[0] + ny * light[1] + nz * light[2]) / nl;
    const shade = AMBIENT + (1 - AMBIENT) * (cos > 0 ? cos : 0);
    color[c] = to8(this.shadeR * shade);
    color[c + 1] = to8(this.shadeG * shade);
    color[c + 2] = to8(this.shadeB * shade);
  }

  /** Sample buffer → output image, averaging ss × ss samples with round-half-up integer division. */
  private resolve(out: Uint8Array): void {
    const { ss, color, width, height } = this;
    if (ss === 1) {
      out.set(color);
      return;
    }
    const W = width * ss;
    const n = ss * ss;
    const half = n >> 1;
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        let r = 0;
        let g = 0;
        let b = 0;
        for (let i = 0; i < ss; i++) {
          let c = 3 * ((row * ss + i) * W + col * ss);
          for (let j = 0; j < ss; j++, c += 3) {
            r += color[c];
            g += color[c + 1];
            b += color[c + 2];
          }
        }
        const o = 3 * (row * width + col);
        out[o] = Math.floor((r + half) / n);
        out[o + 1] = Math.floor((g + half) / n);
        out[o + 2] = Math.floor((b + half) / n);
      }
    }
  }
}

const BODY_ROT = new Float64Array(9);
const WORLD_ROT = new Float64Array(9);
const LOCAL = new Float64Array(18);
const CORNER: number[] = [0, 0, 0];


/** Unit quaternion (w, x, y, z) → row-major rotation matrix written at out[offset..offset + 9). */
export function quatToMat(w: number, x: number, y: number, z: number, out: Float64Array, offset: number): Float64Array {
  // Normalise: float32 poses are unit only to about 1e-7.
  const n = Math.hypot(w, x, y, z) || 1;
  w /= n;
  x /= n;
  y /= n;
  z /= n;
  out[offset] = 1 - 2 * (y * y + z * z);
  out[offset + 1] = 2 * (x * y - w * z);
  out[offset + 2] = 2 * (x * z + w * y);
  out[offset + 3] = 2 * (x * y + w * z);
  out[offset + 4] = 1 - 2 * (x * x + z * z);
  out[offset + 5] = 2 * (y * z - w * x);
  out[offset + 6] = 2 * (x * z - w * y);
  out[offset + 7] = 2 * (y * z + w * x);
  out[offset + 8] = 1 - 2 * (x * x + y * y);
  return out;
}
