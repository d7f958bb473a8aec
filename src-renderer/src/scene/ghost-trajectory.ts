import * as THREE from 'three';
import { buildGeometry, geomScale } from './geometry';
import { POSE_STRIDE, type TaskSceneDescription } from './task-scene';
import { anchorToWorld, applyPose, bodyAnchors } from './body-anchors';
import { GHOST_COLOR, memberColor } from '../components/palette';

export interface GhostOptions {
  /** Colour of a single model's ghost bodies and path (ensemble members get tints, see memberColor). */
  color?: THREE.ColorRepresentation;
  /** Opacity of the first ghost copy; later ones fade to about half of it. */
  opacity?: number;
  /** Most translucent copies drawn along the horizon, per member. */
  maxCopies?: number;
  /** Most ensemble members drawn (the rest of a larger ensemble are left out). */
  maxMembers?: number;
}

/**
 * How much fainter each member's ghost is drawn when `members` are shown at once: 1 for a single
 * model, then about 1.5/√M (never below 0.3), so the ensemble reads as a cloud, not a wall.
 */
export function memberFade(members: number): number {
  return members <= 1 ? 1 : Math.max(0.3, Math.min(1, 1.5 / Math.sqrt(members)));
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
 * The model's predicted trajectories for a plan, drawn over the real scene: for each (elite) ensemble
 * member, translucent copies of the moving bodies at a few steps along the horizon and a dotted path
 * of each body's anchor (tip) through every predicted step. A single model keeps the plain light-blue
 * look; with several members each gets its own tint and all are fainter, so their spread around the
 * real rollout shows the model's (epistemic) uncertainty. Owns its geometries and materials; call
 * {@link dispose}.
 */
export class GhostTrajectory {
  readonly root = new THREE.Group();
  private readonly description: TaskSceneDescription;
  private readonly options: Required<GhostOptions>;
  /** Moving, visible geoms (world body and planes are never ghosted) with a shared geometry each. */
  private readonly geoms: Array<{ geom: TaskSceneDescription['geoms'][number]; geometry: THREE.BufferGeometry }> = [];
  /** copies[member][i]: the i-th drawn step of that member. */
  private readonly copies: GhostCopy[][] = [];
  private readonly anchors: Map<number, THREE.Vector3>;
  /** One path material per member (its tint). */
  private readonly lineMaterials: THREE.LineBasicMaterial[] = [];
  private readonly dotMaterial: THREE.MeshBasicMaterial;
  private readonly dotGeometry = new THREE.SphereGeometry(DOT_RADIUS, 10, 6);
  /** lines[member][body index among the anchored ones]. */
  private readonly lines: THREE.Line[][] = [];
  private dots: THREE.InstancedMesh | null = null;
  private visibleCopies = 0;
  private shownMembers = 0;

  constructor(description: TaskSceneDescription, options: GhostOptions = {}) {
    this.description = description;
    this.options = { color: GHOST_COLOR, opacity: 0.42, maxCopies: 6, maxMembers: 12, ...options };
    this.root.name = `ghost:${description.task}`;
    // Drawn after the opaque scene so the translucent copies blend over it.
    this.root.renderOrder = 10;
    for (const geom of description.geoms) {
      if (geom.body === 0 || geom.kind === 'plane' || geom.rgba[3] <= 0 || geom.body >= description.bodies.length) continue;
      this.geoms.push({ geom, geometry: buildGeometry(geom) });
    }
    this.anchors = bodyAnchors(description);
    // Dots take their colour per instance (the member's tint); the material stays white.
    this.dotMaterial = new THREE.MeshBasicMaterial({ color: 0xffffff, transparent: true, opacity: 0.85, depthWrite: false });
  }

  /** Translucent copies currently shown (over all members). */
  get copyCount(): number {
    return this.visibleCopies;
  }

  /** Members whose trajectories are shown. */
  get memberCount(): number {
    return this.shownMembers;
  }

  /** The copies' root groups (shown or not), member by member, for tests and picking. */
  get copyGroups(): readonly THREE.Group[] {
    return this.copies.flatMap((list) => list.map((c) => c.group));
  }

  /** Points on the drawn paths (one per body anchor per predicted step per member). */
  get pathPointCount(): number {
    return this.dots?.count ?? 0;
  }

  /** The colour member `m` of `members` is drawn in. */
  colorOf(m: number, members: number): THREE.Color {
    return members <= 1 ? new THREE.Color(this.options.color) : new THREE.Color(memberColor(m, members));
  }

  /**
   * Shows predicted trajectories. `poses`: [members · (horizon + 1) · nbody · 7], member by member,
   * per step the poses of every body as in `sim/frame`. An array too short for the claimed shape (or
   * empty) hides the ghost.
   */
  update(poses: Float32Array, nbody: number, horizon: number, members = 1): void {
    const steps = horizon + 1;
    const stride = steps * nbody * POSE_STRIDE;
    if (nbody < 1 || horizon < 0 || !(members >= 1) || poses.length < members * stride) {
      this.clear();
      return;
    }
    this.root.visible = true;
    const shown = Math.min(Math.floor(members), this.options.maxMembers);
    const drawn = ghostSteps(horizon, this.options.maxCopies);
    const fade = memberFade(shown);
    for (let m = 0; m < Math.max(shown, this.copies.length); m++) {
      const list = (this.copies[m] ??= []);
      const on = m < shown;
      while (on && list.length < drawn.length) list.push(this.buildCopy());
      const color = on ? this.colorOf(m, shown) : null;
      list.forEach((copy, i) => {
        const k = on ? drawn[i] : undefined;
        copy.group.visible = k !== undefined;
        if (k === undefined) return;
        const base = m * stride + k * nbody * POSE_STRIDE;
        for (const [b, group] of copy.bodies) if (b < nbody) applyPose(group, poses, base, b);
        copy.material.color.copy(color!);
        copy.material.emissive.copy(color!).multiplyScalar(0.35);
        // Fade with time along the plan: the far future is the least certain.
        copy.material.opacity = this.options.opacity * fade * (1 - (0.5 * i) / Math.max(1, drawn.length - 1));
      });
    }
    this.shownMembers = shown;
    this.visibleCopies = shown * drawn.length;
    this.updatePaths(poses, nbody, steps, shown, fade);
  }

  /** Hides the ghost (e.g. when a new episode starts). */
  clear(): void {
    this.root.visible = false;
    this.visibleCopies = 0;
    this.shownMembers = 0;
  }

  /** Frees GPU resources and detaches from the parent scene. */
  dispose(): void {
    for (const { geometry } of this.geoms) geometry.dispose();
    for (const list of this.copies) for (const copy of list) copy.material.dispose();
    for (const list of this.lines) for (const line of list) line.geometry.dispose();
    this.dots?.dispose();
    this.dotGeometry.dispose();
    for (const material of this.lineMaterials) material.dispose();
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

  /** Per member: one polyline and a dot per step for each anchored body, in the member's tint. */
  private updatePaths(poses: Float32Array, nbody: number, steps: number, members: number, fade: number): void {
    const bodies = [...this.anchors.keys()].filter((b) => b < nbody);
    const stride = steps * nbody * POSE_STRIDE;
    while (this.lineMaterials.length < members) {
      this.lineMaterials.push(new THREE.LineBasicMaterial({ color: this.options.color, transparent: true, opacity: 0.75, depthWrite: false }));
    }
    const needDots = members * bodies.length * steps;
    if (!this.dots || this.dots.instanceMatrix.count < needDots) {
      this.dots?.removeFromParent();
      this.dots?.dispose();
      this.dots = new THREE.InstancedMesh(this.dotGeometry, this.dotMaterial, Math.max(needDots, 64));
      this.dots.frustumCulled = false;
      this.dots.renderOrder = 11;
      this.root.add(this.dots);
    }
    this.dotMaterial.opacity = 0.85 * fade;
    const p = new THREE.Vector3();
    const mat = new THREE.Matrix4();
    let dot = 0;
    for (let m = 0; m < Math.max(members, this.lines.length); m++) {
      const list = (this.lines[m] ??= []);
      if (m >= members) {
        for (const line of list) line.visible = false;
        continue;
      }
      const color = this.colorOf(m, members);
      const material = this.lineMaterials[m];
      material.color.copy(color);
      material.opacity = 0.75 * fade;
      while (list.length < bodies.length) {
        const line = new THREE.Line(new THREE.BufferGeometry(), material);
        line.renderOrder = 11;
        line.frustumCulled = false;
        list.push(line);
        this.root.add(line);
      }
      bodies.forEach((b, li) => {
        const line = list[li];
        let attr = line.geometry.getAttribute('position') as THREE.BufferAttribute | undefined;
        if (!attr || attr.count < steps) {
          attr = new THREE.BufferAttribute(new Float32Array(Math.max(steps, 32) * 3), 3);
          line.geometry.setAttribute('position', attr);
        }
        const anchor = this.anchors.get(b)!;
        for (let k = 0; k < steps; k++) {
          anchorToWorld(poses, m * stride + k * nbody * POSE_STRIDE, b, anchor, p);
          attr.setXYZ(k, p.x, p.y, p.z);
          this.dots!.setMatrixAt(dot, mat.makeTranslation(p.x, p.y, p.z));
          this.dots!.setColorAt(dot++, color);
        }
        attr.needsUpdate = true;
        line.geometry.setDrawRange(0, steps);
        line.visible = true;
      });
      for (let li = bodies.length; li < list.length; li++) list[li].visible = false;
    }
    this.dots.count = dot;
    this.dots.instanceMatrix.needsUpdate = true;
    if (this.dots.instanceColor) this.dots.instanceColor.needsUpdate = true;
  }
}
