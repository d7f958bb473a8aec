import * as THREE from 'three';

/** Largest plane drawn for MuJoCo's infinite planes (size 0), metres of half extent. */
const INFINITE_PLANE_HALF = 20;

/** The subset of a scene geom the builders need. Sizes follow MuJoCo (see SceneDescription). */
export interface GeomShape {
  kind: 'plane' | 'sphere' | 'capsule' | 'ellipsoid' | 'cylinder' | 'box';
  size: readonly [number, number, number];
}

/**
 * Builds a geometry in the geom's local frame. three's capsules and cylinders lie along y; MuJoCo's
 * lie along z, so they are rotated once here. Ellipsoids are unit spheres scaled by the mesh (see
 * {@link geomScale}).
 */
export function buildGeometry({ kind, size }: GeomShape): THREE.BufferGeometry {
  switch (kind) {
    case 'plane': {
      const [hx, hy] = planeHalfExtents(size);
      return new THREE.PlaneGeometry(2 * hx, 2 * hy);
    }
    case 'sphere':
      return new THREE.SphereGeometry(size[0], 32, 16);
    case 'ellipsoid':
      return new THREE.SphereGeometry(1, 32, 16);
    case 'capsule':
      return new THREE.CapsuleGeometry(size[0], 2 * size[1], 8, 24).rotateX(Math.PI / 2);
    case 'cylinder':
      return new THREE.CylinderGeometry(size[0], size[0], 2 * size[1], 32).rotateX(Math.PI / 2);
    case 'box':
      return new THREE.BoxGeometry(2 * size[0], 2 * size[1], 2 * size[2]);
  }
}

/** Scale the mesh needs on top of its geometry (only ellipsoids have one). */
export function geomScale({ kind, size }: GeomShape): [number, number, number] {
  return kind === 'ellipsoid' ? [size[0], size[1], size[2]] : [1, 1, 1];
}

/** Half extents of a drawn plane; MuJoCo's 0 means infinite, drawn finite here. */
export function planeHalfExtents(size: readonly [number, number, number]): [number, number] {
  return [size[0] > 0 ? size[0] : INFINITE_PLANE_HALF, size[1] > 0 ? size[1] : INFINITE_PLANE_HALF];
}

/**
 * A two-tone checker texture (8×8 texels, nearest filtering) built from data, so it needs no canvas.
 * `squares` is how many checker cells span the plane along x and y.
 */
export function checkerTexture(color: THREE.Color, squaresX: number, squaresY: number): THREE.DataTexture {
  const light = color.clone();
  const dark = color.clone().offsetHSL(0, 0, -0.1);
  const n = 2;
  const data = new Uint8Array(n * n * 4);
  for (let y = 0; y < n; y++) {
    for (let x = 0; x < n; x++) {
      const c = (x + y) % 2 === 0 ? light : dark;
      const rgb = c.clone().convertLinearToSRGB();
      data.set([rgb.r * 255, rgb.g * 255, rgb.b * 255, 255], 4 * (y * n + x));
    }
  }
  const texture = new THREE.DataTexture(data, n, n, THREE.RGBAFormat);
  texture.colorSpace = THREE.SRGBColorSpace;
  texture.magFilter = THREE.NearestFilter;
  texture.minFilter = THREE.NearestFilter;
  texture.generateMipmaps = false;
  texture.wrapS = THREE.RepeatWrapping;
  texture.wrapT = THREE.RepeatWrapping;
  texture.repeat.set(squaresX / n, squaresY / n);
  texture.needsUpdate = true;
  return texture;
}
