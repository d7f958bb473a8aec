import * as THREE from 'three';
import { buildGeometry, checkerTexture, geomScale, planeHalfExtents, type GeomShape } from './geometry';

/** Floats per body in a pose array: x, y, z, qw, qx, qy, qz (mirrors protocol's POSE_STRIDE). */
export const POSE_STRIDE = 7;

/** The scene as the engine describes it (structurally the protocol's SceneDescription). */
export interface TaskSceneDescription {
  task: string;
  bodies: ReadonlyArray<{ name: string }>;
  geoms: ReadonlyArray<
    GeomShape & {
      body: number;
      pos: readonly [number, number, number];
      quat: readonly [number, number, number, number];
      rgba: readonly [number, number, number, number];
    }
  >;
  /** `follow`: a body whose x the view keeps its target on (see follow-camera.ts). */
  camera: { eye: readonly [number, number, number]; target: readonly [number, number, number]; follow?: number };
}

/** Default checker cell edge when the plane gives no grid spacing, metres. */
const DEFAULT_CHECKER = 0.5;

/**
 * The meshes of one task: a group per body (moved by {@link applyPoses}) holding its geoms at their
 * local pose. World frame z-up, metres, like MuJoCo. Owns its geometries, materials and textures.
 */
export class TaskScene {
  /** Add this to a three.js scene. */
  readonly root = new THREE.Group();
  readonly description: TaskSceneDescription;
  private readonly bodies: THREE.Group[] = [];
  private readonly meshes: THREE.Mesh[] = [];
  private readonly disposables: Array<{ dispose(): void }> = [];

  constructor(description: TaskSceneDescription) {
    this.description = description;
    this.root.name = `task:${description.task}`;
    for (const body of description.bodies) {
      const group = new THREE.Group();
      group.name = body.name;
      this.bodies.push(group);
      this.root.add(group);
    }
    for (const geom of description.geoms) {
      const parent = this.bodies[geom.body];
      if (!parent) {
        console.warn(`[scene] geom refers to missing body ${geom.body}`);
        continue;
      }
      const mesh = this.buildMesh(geom);
      this.meshes.push(mesh);
      parent.add(mesh);
    }
  }

  /** Number of bodies (including the world, body 0). */
  get bodyCount(): number {
    return this.bodies.length;
  }

  /** Every geom mesh, in description order. */
  get meshList(): readonly THREE.Mesh[] {
    return this.meshes;
  }

  /** Whether the task draws its own floor (a plane geom). */
  get hasPlane(): boolean {
    return this.description.geoms.some((g) => g.kind === 'plane');
  }

  /** The body group at an index (0 is the world). */
  body(index: number): THREE.Group | undefined {
    return this.bodies[index];
  }

  /**
   * Moves every body to its pose. `poses`: [nbody * 7], per body x, y, z (metres, world frame) then
   * the quaternion w, x, y, z. Extra bodies on either side are ignored.
   */
  applyPoses(poses: Float32Array): void {
    const n = Math.min(this.bodies.length, Math.floor(poses.length / POSE_STRIDE));
    for (let b = 0; b < n; b++) {
      const o = b * POSE_STRIDE;
      const group = this.bodies[b];
      group.position.set(poses[o], poses[o + 1], poses[o + 2]);
      // three's Quaternion is (x, y, z, w); MuJoCo's is (w, x, y, z).
      group.quaternion.set(poses[o + 4], poses[o + 5], poses[o + 6], poses[o + 3]);
    }
  }

  /** Frees GPU resources and detaches from the parent scene. */
  dispose(): void {
    for (const d of this.disposables) d.dispose();
    this.disposables.length = 0;
    this.root.removeFromParent();
    this.root.clear();
  }

  private buildMesh(geom: TaskSceneDescription['geoms'][number]): THREE.Mesh {
    const geometry = buildGeometry(geom);
    const material = this.buildMaterial(geom);
    this.disposables.push(geometry, material);
    const mesh = new THREE.Mesh(geometry, material);
    mesh.name = `${geom.kind}@${geom.body}`;
    mesh.position.set(geom.pos[0], geom.pos[1], geom.pos[2]);
    const [qw, qx, qy, qz] = geom.quat;
    mesh.quaternion.set(qx, qy, qz, qw);
    mesh.scale.set(...geomScale(geom));
    mesh.castShadow = geom.kind !== 'plane';
    mesh.receiveShadow = true;
    // MuJoCo hides geoms with alpha 0; keep the mesh so indices match the description.
    mesh.visible = geom.rgba[3] > 0;
    return mesh;
  }

  private buildMaterial(geom: TaskSceneDescription['geoms'][number]): THREE.MeshStandardMaterial {
    const [r, g, b, a] = geom.rgba;
    // MuJoCo's own renderer writes rgba to the screen unconverted, so MJCF colours are display
    // (sRGB) values; reading them as sRGB makes the tasks look as they do in MuJoCo.
    const color = new THREE.Color().setRGB(r, g, b, THREE.SRGBColorSpace);
    const material = new THREE.MeshStandardMaterial({
      color,
      roughness: geom.kind === 'plane' ? 0.95 : 0.55,
      metalness: 0.05,
      transparent: a < 1,
      opacity: a,
    });
    if (geom.kind === 'plane') {
      const [hx, hy] = planeHalfExtents(geom.size);
      const cell = geom.size[2] > 0 ? geom.size[2] : DEFAULT_CHECKER;
      const texture = checkerTexture(color, (2 * hx) / cell, (2 * hy) / cell);
      this.disposables.push(texture);
      material.map = texture;
      material.color.set(0xffffff);
    }
    return material;
  }
}
