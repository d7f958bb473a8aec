// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import * as THREE from 'three';
import { TaskScene } from '../../src-renderer/src/scene/task-scene';
import { CART, FLOOR, IDENTITY, POLE, toyScene } from './scene-fixtures';

const SCENE = toyScene([
  FLOOR,
  CART,
  { body: 1, kind: 'sphere', size: [0.05, 0, 0], pos: [0.2, 0, 0], quat: IDENTITY, rgba: [1, 1, 1, 1] },
  POLE,
  { body: 2, kind: 'cylinder', size: [0.1, 0.2, 0], pos: [0, 0, 0], quat: [Math.SQRT1_2, Math.SQRT1_2, 0, 0], rgba: [0, 0, 1, 0.5] },
  { body: 2, kind: 'ellipsoid', size: [0.1, 0.2, 0.3], pos: [0, 0, 1], quat: IDENTITY, rgba: [0, 1, 0, 0] },
]);

/** World-space bounding box of one mesh. */
function box(mesh: THREE.Object3D): THREE.Box3 {
  mesh.updateWorldMatrix(true, true);
  return new THREE.Box3().setFromObject(mesh);
}

describe('TaskScene', () => {
  it('builds a group per body and a mesh per geom', () => {
    const scene = new TaskScene(SCENE);
    expect(scene.bodyCount).toBe(3);
    expect(scene.meshList).toHaveLength(6);
    expect(scene.body(1)!.children).toHaveLength(2);
    expect(scene.body(2)!.children).toHaveLength(3);
    expect(scene.hasPlane).toBe(true);
    let meshes = 0;
    scene.root.traverse((o) => {
      if ((o as THREE.Mesh).isMesh) meshes++;
    });
    expect(meshes).toBe(6);
  });

  it('uses MuJoCo sizes: capsules and cylinders along local z, boxes by half extents', () => {
    const scene = new TaskScene(SCENE);
    const [plane, boxMesh, , capsule, cylinder, ellipsoid] = scene.meshList;
    const size = (m: THREE.Object3D) => box(m).getSize(new THREE.Vector3());
    expect(size(plane).toArray()).toEqual([10, 10, 0]);
    const b = size(boxMesh);
    expect([b.x, b.y, b.z].map((v) => +v.toFixed(6))).toEqual([0.4, 0.2, 0.1]);
    const c = size(capsule);
    expect(c.z).toBeCloseTo(2 * (0.5 + 0.04), 5);
    expect(c.x).toBeCloseTo(0.08, 2);
    // Rotated 90° about x: the cylinder's axis now points along world y.
    const cy = size(cylinder);
    expect(cy.y).toBeCloseTo(0.4, 5);
    expect(cy.z).toBeCloseTo(0.2, 2);
    const e = size(ellipsoid);
    expect([e.x, e.y, e.z].map((v) => +v.toFixed(3))).toEqual([0.2, 0.4, 0.6]);
    expect(ellipsoid.visible).toBe(false);
    expect(plane.castShadow).toBe(false);
    expect(boxMesh.castShadow).toBe(true);
    const capsuleMaterial = (capsule as THREE.Mesh).material as THREE.MeshStandardMaterial;
    // MJCF colours are display (sRGB) values.
    const srgb = capsuleMaterial.color.getRGB({ r: 0, g: 0, b: 0 }, THREE.SRGBColorSpace);
    expect([srgb.r, srgb.g, srgb.b].map((v) => +v.toFixed(4))).toEqual([0.9, 0.8, 0.2]);
    expect(((cylinder as THREE.Mesh).material as THREE.Material).transparent).toBe(true);
  });

  it('applies poses as position then (w, x, y, z) quaternion per body', () => {
    const scene = new TaskScene(SCENE);
    const s = Math.SQRT1_2;
    // world at origin; cart at x=1; pole at z=0.5 turned 90° about y.
    const poses = new Float32Array([0, 0, 0, 1, 0, 0, 0, 1, 0, 0, 1, 0, 0, 0, 1, 0, 0.5, s, 0, s, 0]);
    scene.applyPoses(poses);
    expect(scene.body(1)!.position.toArray()).toEqual([1, 0, 0]);
    const q = scene.body(2)!.quaternion;
    expect([q.x, q.y, q.z, q.w].map((v) => +v.toFixed(5))).toEqual([0, +s.toFixed(5), 0, +s.toFixed(5)]);
    // The capsule (along local z, centred 0.5 above the pole's origin) now lies along world x.
    const capsuleBox = box(scene.meshList[3]);
    const centre = capsuleBox.getCenter(new THREE.Vector3());
    expect(centre.x).toBeCloseTo(1.5, 4);
    expect(centre.z).toBeCloseTo(0.5, 4);
    expect(capsuleBox.getSize(new THREE.Vector3()).x).toBeCloseTo(1.08, 4);
  });

  it('ignores poses for bodies it does not have', () => {
    const scene = new TaskScene(SCENE);
    expect(() => scene.applyPoses(new Float32Array(7 * 5))).not.toThrow();
    expect(() => scene.applyPoses(new Float32Array(7))).not.toThrow();
  });

  it('disposes every geometry, material and texture', () => {
    const scene = new TaskScene(SCENE);
    const parent = new THREE.Scene();
    parent.add(scene.root);
    const disposed = vi.fn();
    const floorMaterial = scene.meshList[0].material as THREE.MeshStandardMaterial;
    for (const mesh of scene.meshList) {
      mesh.geometry.addEventListener('dispose', disposed);
      (mesh.material as THREE.Material).addEventListener('dispose', disposed);
    }
    floorMaterial.map!.addEventListener('dispose', disposed);
    scene.dispose();
    expect(disposed).toHaveBeenCalledTimes(6 * 2 + 1);
    expect(parent.children).not.toContain(scene.root);
  });
});
