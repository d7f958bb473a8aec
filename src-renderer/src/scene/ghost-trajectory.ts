import * as THREE from 'three';
import { buildGeometry, geomScale } from './geometry';
import { POSE_STRIDE, type TaskSceneDescription } from './task-scene';
import { anchorToWorld, applyPose, bodyAnchors } from './body-anchors';

export interface GhostOptions {
  /** Colour of the ghost bodies and path. */
  color?: THREE.ColorRepresentation;
  /** Opacity of the first ghost copy; later ones fade to about half of it. */
  opacity?: number;
  /** Most translucent copies drawn along the horizon. */
  maxCopies?: number;
}

/**
 * Which predicted steps get a translucent copy: about every fifth of the horizon, and always the
 * last. Step 0 is the real state (already drawn solid), so it never gets one. `horizon` = H; the
 * trajectory has H + 1 poses.
 */
export function ghostSteps(horizon: number, maxCopies = 6): number[] {
  if (horizon < 1) return [];
  const stride = Math.max(1, Math.ceil(horizon / Math.max(1, maxCopies - 1)));
  const steps: number[] = [];
  for (let k = stride; k < horizon; k += stride) steps.push(k);
  steps.push(horizon);
  return steps.slice(-maxCopies);
}

interface GhostCopy {
  group: THREE.Group;
  bodies: Map<number, THREE.Group>;
  material: THREE.MeshStandardMaterial;
}

const DOT_RADIUS = 0.018;

/**
 * The model's predicted trajectory for a plan, drawn over the real scene: translucent copies of the
 * moving bodies at a few steps along the horizon, and a dotted path of each body's anchor (tip)
 * through every predicted step. Owns its geometries and materials; call {@link dispose}.
 */
export class GhostTrajectory {
  readonly root = new THREE.Group();
  private readonly description: TaskSceneDescription;
  private readonly options: Required<GhostOptions>;
  /** Moving, visible geoms (world body and planes are never ghosted) with a shared geometry each. */
  private readonly geoms: Array<{ geom: TaskSceneDescription['geoms'][number]; geometry: THREE.BufferGeometry }> = [];
  private readonly copies: GhostCopy[] = [];
  private readonly anchors: Map<number, THREE.Vector3>;
  private readonly lineMaterial: THREE.LineBasicMaterial;
  private readonly dotMaterial: THREE.MeshBasicMaterial;
  private readonly dotGeometry = new THREE.SphereGeometry(DOT_RADIUS, 10, 6);
  private lines: THREE.Line[] = [];
  private dots: THREE.InstancedMesh | null = null;
  private visibleCopies = 0;

  constructor(description: TaskSceneDescription, options: GhostOptions = {}) {
    this.description = description;
    this.options = { color: 0x9fd8ff, opacity: 0.42, maxCopies: 6, ...options };
    this.root.name = `ghost:${description.task}`;
    // Drawn after the opaque scene so the translucent copies blend over it.
    this.root.renderOrder = 10;
    for (const geom of description.geoms) {
      if (geom.body === 0 || geom.kind === 'plane' || geom.rgba[3] <= 0 || geom.body >= description.bodies.length) continue;
      this.geoms.push({ geom, geometry: buildGeometry(geom) });
    }
    this.anchors = bodyAnchors(description);
    const color = new THREE.Color(this.options.color);
    this.lineMaterial = new THREE.LineBasicMaterial({ color, transparent: true, opacity: 0.75, depthWrite: false });
    this.dotMaterial = new THREE.MeshBasicMaterial({ color, transparent: true, opacity: 0.85, depthWrite: false });
  }

  /** Translucent copies currently shown. */
  get copyCount(): number {
    return this.visibleCopies;
  }

  /** The copies' root groups (shown or not), for tests and picking. */
  get copyGroups(): readonly THREE.Group[] {
    return this.copies.map((c) => c.group);
  }

  /** Points on the drawn paths (one per body anchor per predicted step). */
  get pathPointCount(): number {
    return this.dots?.count ?? 0;
  }

  /**
   * Shows a predicted trajectory. `poses`: [(horizon + 1) · nbody · 7], per step the poses of every
   * body as in `sim/frame`. An array too short for the claimed shape (or empty) hides the ghost.
   */
  update(poses: Float32Array, nbody: number, horizon: number): void {
    const steps = horizon + 1;
    if (nbody < 1 || horizon < 0 || poses.length < steps * nbody * POSE_STRIDE) {
      this.clear();
      return;
    }
    this.root.visible = true;
    const drawn = ghostSteps(horizon, this.options.maxCopies);
    while (this.copies.length < drawn.length) this.copies.push(this.buildCopy());
    this.copies.forEach((copy, i) => {
      const k = drawn[i];
      copy.group.visible = k !== undefined;
      if (k === undefined) return;
      const base = k * nbody * POSE_STRIDE;
      for (const [b, group] of copy.bodies) if (b < nbody) applyPose(group, poses, base, b);
      // Fade with time along the plan: the far future is the least certain.
      copy.material.opacity = this.options.opacity * (1 - (0.5 * i) / Math.max(1, drawn.length - 1));
    });
    this.visibleCopies = drawn.length;
    this.updatePaths(poses, nbody, steps);
  }

  /** Hides the ghost (e.g. when a new episode starts). */
  clear(): void {
    this.root.visible = false;
    this.visibleCopies = 0;
  }

  /** Frees GPU resources and detaches from the parent scene. */
  dispose(): void {
    for (const { geometry } of this.geoms) geometry.dispose();
    for (const copy of this.copies) copy.material.dispose();
    for (const line of this.lines) line.geometry.dispose();
    this.dots?.dispose();
    this.dotGeometry.dispose();
    this.lineMaterial.dispose();
    this.dotMaterial.dispose();
    this.root.removeFromParent();
    this.root.clear();
  }

  private buildCopy(): GhostCopy {
    const material = new THREE.MeshStandardMaterial({
      color: this.options.color,
      transparent: true,
      opacity: this.options.opacity,
      depthWrite: false,
      roughness: 0.4,
      metalness: 0,
      emissive: new THREE.Color(this.options.color).multiplyScalar(0.35),
    });
    const group = new THREE.Group();
    group.name = 'ghost-copy';
    const bodies = new Map<number, THREE.Group>();
    for (const { geom, geometry } of this.geoms) {
      let body = bodies.get(geom.body);
      if (!body) {
        body = new THREE.Group();
        bodies.set(geom.body, body);
        group.add(body);
      }
      const mesh = new THREE.Mesh(geometry, material);
      mesh.position.set(...geom.pos);
      const [qw, qx, qy, qz] = geom.quat;
      mesh.quaternion.set(qx, qy, qz, qw);
      mesh.scale.set(...geomScale(geom));
      mesh.renderOrder = 10;
      body.add(mesh);
    }
    this.root.add(group);
    return { group, bodies, material };
  }

  /** One polyline and a dot per step for each anchored body. */
  private updatePaths(poses: Float32Array, nbody: number, steps: number): void {
    const bodies = [...this.anchors.keys()].filter((b) => b < nbody);
    while (this.lines.length < bodies.length) {
      const line = new THREE.Line(new THREE.BufferGeometry(), this.lineMaterial);
      line.renderOrder = 11;
      line.frustumCulled = false;
      this.lines.push(line);
      this.root.add(line);
    }
    const needDots = bodies.length * steps;
    if (!this.dots || this.dots.instanceMatrix.count < needDots) {
      this.dots?.removeFromParent();
      this.dots?.dispose();
      this.dots = new THREE.InstancedMesh(this.dotGeometry, this.dotMaterial, Math.max(needDots, 64));
      this.dots.frustumCulled = false;
      this.dots.renderOrder = 11;
      this.root.add(this.dots);
    }
    const p = new THREE.Vector3();
    const m = new THREE.Matrix4();
    let dot = 0;
    bodies.forEach((b, li) => {
      const line = this.lines[li];
      let attr = line.geometry.getAttribute('position') as THREE.BufferAttribute | undefined;
      if (!attr || attr.count < steps) {
        attr = new THREE.BufferAttribute(new Float32Array(Math.max(steps, 32) * 3), 3);
        line.geometry.setAttribute('position', attr);
      }
      const anchor = this.anchors.get(b)!;
      for (let k = 0; k < steps; k++) {
        anchorToWorld(poses, k * nbody * POSE_STRIDE, b, anchor, p);
        attr.setXYZ(k, p.x, p.y, p.z);
        this.dots!.setMatrixAt(dot++, m.makeTranslation(p.x, p.y, p.z));
      }
      attr.needsUpdate = true;
      line.geometry.setDrawRange(0, steps);
      line.visible = true;
    });
    for (let li = bodies.length; li < this.lines.length; li++) this.lines[li].visible = false;
    this.dots.count = dot;
    this.dots.instanceMatrix.needsUpdate = true;
  }
}
