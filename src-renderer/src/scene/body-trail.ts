import * as THREE from 'three';
import type { TaskSceneDescription } from './task-scene';
import { anchorToWorld, bodyAnchors } from './body-anchors';

/**
 * The path the real bodies took: a line through each moving body's anchor (its tip) over the last
 * `capacity` frames, so it can be compared with the model's predicted path. Owns its GPU resources.
 */
export class BodyTrail {
  readonly root = new THREE.Group();
  private readonly anchors: Map<number, THREE.Vector3>;
  private readonly lines = new Map<number, { line: THREE.Line; attr: THREE.BufferAttribute }>();
  private readonly material: THREE.LineBasicMaterial;
  private length = 0;

  constructor(description: TaskSceneDescription, color: THREE.ColorRepresentation = 0xffc36b, readonly capacity = 240) {
    this.root.name = `trail:${description.task}`;
    this.anchors = bodyAnchors(description);
    this.material = new THREE.LineBasicMaterial({ color, transparent: true, opacity: 0.9, depthWrite: false });
    for (const b of this.anchors.keys()) {
      const attr = new THREE.BufferAttribute(new Float32Array(capacity * 3), 3);
      const geometry = new THREE.BufferGeometry();
      geometry.setAttribute('position', attr);
      geometry.setDrawRange(0, 0);
      const line = new THREE.Line(geometry, this.material);
      line.frustumCulled = false;
      line.renderOrder = 12;
      this.lines.set(b, { line, attr });
      this.root.add(line);
    }
  }

  /** Points on each body's trail. */
  get pointCount(): number {
    return this.length;
  }

  /** Appends the bodies' anchors for `poses` [nbody · 7]; the oldest point drops out when full. */
  push(poses: Float32Array): void {
    const p = new THREE.Vector3();
    const full = this.length === this.capacity;
    for (const [b, { line, attr }] of this.lines) {
      if ((b + 1) * 7 > poses.length) continue;
      anchorToWorld(poses, 0, b, this.anchors.get(b)!, p);
      const array = attr.array as Float32Array;
      if (full) array.copyWithin(0, 3);
      const i = full ? this.capacity - 1 : this.length;
      array[3 * i] = p.x;
      array[3 * i + 1] = p.y;
      array[3 * i + 2] = p.z;
      attr.needsUpdate = true;
      line.geometry.setDrawRange(0, i + 1);
    }
    if (!full) this.length++;
  }

  /** Forgets the trail (a new episode, or a new plan to compare against). */
  reset(): void {
    this.length = 0;
    for (const { line } of this.lines.values()) line.geometry.setDrawRange(0, 0);
  }

  dispose(): void {
    for (const { line } of this.lines.values()) line.geometry.dispose();
    this.material.dispose();
    this.root.removeFromParent();
    this.root.clear();
  }
}
