/**
 * Ray–geom intersections in the geom's own frame (MuJoCo conventions: capsule and cylinder along local
 * z, plane = local z = 0 seen from +z), for the rasterizer's inner loop. The ray is o + t·d with d not
 * necessarily unit length; each function returns the smallest t ≥ 0 at which the ray enters the solid,
 * or Infinity, and leaves the local surface normal (not normalised) in {@link hitNormal}. Plain numbers
 * only, no allocation: these run once per covered pixel.
 */

/** Normal of the last hit, local frame, not normalised; valid right after a finite return. */
export const hitNormal = new Float64Array(3);

/** Sphere of radius r at the origin. */
export function hitSphere(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, r: number): number {
  const a = dx * dx + dy * dy + dz * dz;
  const b = ox * dx + oy * dy + oz * dz;
  const c = ox * ox + oy * oy + oz * oz - r * r;
  const disc = b * b - a * c;
  if (disc < 0) return Infinity;
  const t = (-b - Math.sqrt(disc)) / a;
  if (t < 0) return Infinity;
  hitNormal[0] = ox + t * dx;
  hitNormal[1] = oy + t * dy;
  hitNormal[2] = oz + t * dz;
  return t;
}

/** Axis-aligned ellipsoid with semi-axes rx, ry, rz: a unit sphere after scaling. */
export function hitEllipsoid(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, rx: number, ry: number, rz: number): number {
  const t = hitSphere(ox / rx, oy / ry, oz / rz, dx / rx, dy / ry, dz / rz, 1);
  if (t === Infinity) return t;
  // Gradient of x²/rx² + ...: the unit-sphere normal divided by the semi-axes once more.
  hitNormal[0] /= rx;
  hitNormal[1] /= ry;
  hitNormal[2] /= rz;
  return t;
}

/** The side of the infinite cylinder x² + y² = r², entered where |z| ≤ h; Infinity otherwise. */
function hitSide(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, r: number, h: number): number {
  const a = dx * dx + dy * dy;
  if (a < 1e-300) return Infinity;
  const b = ox * dx + oy * dy;
  const c = ox * ox + oy * oy - r * r;
  const disc = b * b - a * c;
  if (disc < 0) return Infinity;
  const t = (-b - Math.sqrt(disc)) / a;
  if (t < 0) return Infinity;
  const z = oz + t * dz;
  if (z > h || z < -h) return Infinity;
  return t;
}

/** Capsule: radius r around the segment z ∈ [−h, h]. Entry = the first of the side and the end spheres. */
export function hitCapsule(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, r: number, h: number): number {
  let best = hitSide(ox, oy, oz, dx, dy, dz, r, h);
  let nx = 0;
  let ny = 0;
  let nz = 0;
  if (best !== Infinity) {
    nx = ox + best * dx;
    ny = oy + best * dy;
  }
  const top = hitSphere(ox, oy, oz - h, dx, dy, dz, r);
  if (top < best) {
    best = top;
    nx = hitNormal[0];
    ny = hitNormal[1];
    nz = hitNormal[2];
  }
  const bottom = hitSphere(ox, oy, oz + h, dx, dy, dz, r);
  if (bottom < best) {
    best = bottom;
    nx = hitNormal[0];
    ny = hitNormal[1];
    nz = hitNormal[2];
  }
  hitNormal[0] = nx;
  hitNormal[1] = ny;
  hitNormal[2] = nz;
  return best;
}

/** Closed cylinder: radius r, z ∈ [−h, h]. Convex, so the entry is the nearest of side and caps. */
export function hitCylinder(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, r: number, h: number): number {
  let best = hitSide(ox, oy, oz, dx, dy, dz, r, h);
  let nx = 0;
  let ny = 0;
  let nz = 0;
  if (best !== Infinity) {
    nx = ox + best * dx;
    ny = oy + best * dy;
  }
  if (dz !== 0) {
    for (let s = -1; s <= 1; s += 2) {
      const t = (s * h - oz) / dz;
      if (t >= 0 && t < best) {
        const x = ox + t * dx;
        const y = oy + t * dy;
        if (x * x + y * y <= r * r) {
          best = t;
          nx = 0;
          ny = 0;
          nz = s;
        }
      }
    }
  }
  hitNormal[0] = nx;
  hitNormal[1] = ny;
  hitNormal[2] = nz;
  return best;
}

/** Slab state of {@link hitBox}: entry/exit parameters and the entry face. */
let slabNear = 0;
let slabFar = 0;
let slabAxis = -1;
let slabSign = 0;

/** Clips the ray's [near, far] by the slab |o + t·d| ≤ h along one axis; false when it empties. */
function slab(o: number, d: number, h: number, axis: number): boolean {
  if (d === 0) return o <= h && o >= -h;
  let t1 = (-h - o) / d;
  let t2 = (h - o) / d;
  let s = -1;
  if (t1 > t2) {
    const tmp = t1;
    t1 = t2;
    t2 = tmp;
    s = 1;
  }
  if (t1 > slabNear) {
    slabNear = t1;
    slabAxis = axis;
    slabSign = s;
  }
  if (t2 < slabFar) slabFar = t2;
  return slabNear <= slabFar;
}

/** Box with half-sizes hx, hy, hz (slab method); a ray starting inside a box does not see it. */
export function hitBox(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, hx: number, hy: number, hz: number): number {
  slabNear = -Infinity;
  slabFar = Infinity;
  slabAxis = -1;
  if (!slab(ox, dx, hx, 0) || !slab(oy, dy, hy, 1) || !slab(oz, dz, hz, 2)) return Infinity;
  if (slabAxis < 0 || slabNear < 0) return Infinity;
  hitNormal[0] = slabAxis === 0 ? slabSign : 0;
  hitNormal[1] = slabAxis === 1 ? slabSign : 0;
  hitNormal[2] = slabAxis === 2 ? slabSign : 0;
  return slabNear;
}

/**
 * Plane z = 0 within |x| ≤ hx, |y| ≤ hy (a size of 0 means unbounded, as in MuJoCo), visible only
 * from its +z side, as MuJoCo draws floors.
 */
export function hitPlane(ox: number, oy: number, oz: number, dx: number, dy: number, dz: number, hx: number, hy: number): number {
  if (!(dz < 0) || oz < 0) return Infinity;
  const t = -oz / dz;
  if (hx > 0) {
    const x = ox + t * dx;
    if (x > hx || x < -hx) return Infinity;
  }
  if (hy > 0) {
    const y = oy + t * dy;
    if (y > hy || y < -hy) return Infinity;
  }
  hitNormal[0] = 0;
  hitNormal[1] = 0;
  hitNormal[2] = 1;
  return t;
}
