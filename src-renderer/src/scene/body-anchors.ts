import * as THREE from 'three';
import { POSE_STRIDE, type TaskSceneDescription } from './task-scene';

/**
 * Where to trace a moving body: the point of its geoms farthest from the body's origin (a pole's
 * tip, an arm's end), in the body frame. A pendulum's origin sits still on its hinge; its tip
 * shows the motion. Body 0 (the world) and bodies with no visible geoms have no anchor.
 */
export function bodyAnchors(description: TaskSceneDescription): Map<number, THREE.Vector3> {
  const anchors = new Map<number, THREE.Vector3>();
  const q = new THREE.Quaternion();
  for (const geom of description.geoms) {
    if (geom.body === 0 || geom.kind === 'plane' || geom.rgba[3] <= 0) continue;
    const centre = new THREE.Vector3(...geom.pos);
    const candidates = [centre];
    if (geom.kind === 'capsule' || geom.kind === 'cylinder') {
      // The two ends of the axis (local z of the geom).
      const [qw, qx, qy, qz] = geom.quat;
      const axis = new THREE.Vector3(0, 0, geom.size[1]).applyQuaternion(q.set(qx, qy, qz, qw));
      candidates.push(centre.clone().add(axis), centre.clone().sub(axis));
    }
    for (const point of candidates) {
      const best = anchors.get(geom.body);
      if (!best || point.lengthSq() > best.lengthSq() + 1e-12) anchors.set(geom.body, point);
    }
  }
  return anchors;
}

const scratchQ = new THREE.Quaternion();

/** Writes the world position of `anchor` (body frame) of body `b` in `poses` (offset `base`) to `out`. */
export function anchorToWorld(poses: Float32Array, base: number, b: number, anchor: THREE.Vector3, out: THREE.Vector3): THREE.Vector3 {
  const o = base + b * POSE_STRIDE;
  scratchQ.set(poses[o + 4], poses[o + 5], poses[o + 6], poses[o + 3]);
  out.copy(anchor).applyQuaternion(scratchQ);
  out.x += poses[o];
  out.y += poses[o + 1];
  out.z += poses[o + 2];
  return out;
}

/** Sets an object's position and rotation from body `b` of `poses` starting at offset `base`. */
export function applyPose(object: THREE.Object3D, poses: Float32Array, base: number, b: number): void {
  const o = base + b * POSE_STRIDE;
  object.position.set(poses[o], poses[o + 1], poses[o + 2]);
  // three's Quaternion is (x, y, z, w); MuJoCo's is (w, x, y, z).
  object.quaternion.set(poses[o + 4], poses[o + 5], poses[o + 6], poses[o + 3]);
}
