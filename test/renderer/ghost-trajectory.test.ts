// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import * as THREE from 'three';
import { GhostTrajectory, ghostSteps, memberFade } from '../../src-renderer/src/scene/ghost-trajectory';
import { GHOST_COLOR, memberColor } from '../../src-renderer/src/components/palette';
import { BodyTrail } from '../../src-renderer/src/scene/body-trail';
import { bodyAnchors } from '../../src-renderer/src/scene/body-anchors';
import { CART, FLOOR, IDENTITY, POLE, toyScene } from './scene-fixtures';

/** A cart-pole: floor and rail on the world, a cart (box), a pole (capsule hanging 0.5 m up its z). */
const SCENE = toyScene([
  FLOOR,
  { body: 0, kind: 'capsule', size: [0.02, 2, 0], pos: [0, 0, 1], quat: [Math.SQRT1_2, 0, Math.SQRT1_2, 0], rgba: [0.5, 0.5, 0.5, 1] },
  CART,
  POLE,
  { body: 2, kind: 'sphere', size: [0.05, 0, 0], pos: [0, 0, 0], quat: IDENTITY, rgba: [0, 0, 0, 0] },
]);
const NBODY = 3;

/** Poses of H + 1 steps: the cart moves +0.1 m per step along x; the pole stands upright on it. */
function trajectory(horizon: number): Float32Array {
  const out = new Float32Array((horizon + 1) * NBODY * 7);
  for (let k = 0; k <= horizon; k++) {
    const o = k * NBODY * 7;
    out.set([0, 0, 0, 1, 0, 0, 0], o);
    out.set([0.1 * k, 0, 1, 1, 0, 0, 0], o + 7);
    out.set([0.1 * k, 0, 1, 1, 0, 0, 0], o + 14);
  }
  return out;
}

/** M members' trajectories back to back, member m's cart offset by m metres in y. */
function ensemble(horizon: number, members: number): Float32Array {
  const one = trajectory(horizon);
  const out = new Float32Array(members * one.length);
  for (let m = 0; m < members; m++) {
    const t = one.slice();
    for (let o = 7; o < t.length; o += 7) if ((o / 7) % NBODY !== 0) t[o + 1] = m;
    out.set(t, m * one.length);
  }
  return out;
}

const meshesOf = (o: THREE.Object3D) => {
  const list: THREE.Mesh[] = [];
  o.traverse((c) => (c as THREE.Mesh).isMesh && !(c as THREE.InstancedMesh).isInstancedMesh && list.push(c as THREE.Mesh));
  return list;
};

describe('ghostSteps', () => {
  it('takes about every fifth of the horizon and always the last step, never step 0', () => {
    expect(ghostSteps(25)).toEqual([5, 10, 15, 20, 25]);
    expect(ghostSteps(8)).toEqual([2, 4, 6, 8]);
    expect(ghostSteps(1)).toEqual([1]);
    expect(ghostSteps(0)).toEqual([]);
    expect(ghostSteps(100).length).toBeLessThanOrEqual(6);
    expect(ghostSteps(100).at(-1)).toBe(100);
  });
});

describe('bodyAnchors', () => {
  it('anchors each moving body at its farthest geom point (the pole tip)', () => {
    const anchors = bodyAnchors(SCENE);
    expect([...anchors.keys()]).toEqual([1, 2]);
    expect(anchors.get(1)!.toArray()).toEqual([0, 0, 0]);
    expect(anchors.get(2)!.z).toBeCloseTo(1, 6);
  });
});

describe('GhostTrajectory', () => {
  it('builds translucent copies of the moving bodies only', () => {
    const ghost = new GhostTrajectory(SCENE);
    ghost.update(trajectory(8), NBODY, 8);
    expect(ghost.copyCount).toBe(4);
    const copies = ghost.copyGroups;
    expect(copies).toHaveLength(4);
    // Per copy: the cart's box and the pole's capsule (no floor, rail or invisible sphere).
    for (const copy of copies) {
      const meshes = meshesOf(copy);
      expect(meshes.map((m) => m.geometry.type).sort()).toEqual(['BoxGeometry', 'CapsuleGeometry']);
      const material = meshes[0].material as THREE.MeshStandardMaterial;
      expect(material.transparent).toBe(true);
      expect(material.depthWrite).toBe(false);
      expect(material.opacity).toBeLessThan(0.5);
    }
    // Later copies are fainter.
    const opacity = (i: number) => (meshesOf(copies[i])[0].material as THREE.Material).opacity;
    expect(opacity(3)).toBeLessThan(opacity(0));
  });

  it('moves the copies to the predicted poses and traces each body through every step', () => {
    const ghost = new GhostTrajectory(SCENE);
    ghost.update(trajectory(8), NBODY, 8);
    const cartOf = (copy: THREE.Object3D) => meshesOf(copy).find((m) => m.geometry.type === 'BoxGeometry')!;
    const world = (m: THREE.Object3D) => m.getWorldPosition(new THREE.Vector3());
    ghost.root.updateMatrixWorld(true);
    expect(ghost.copyGroups.map((c) => +world(cartOf(c)).x.toFixed(5))).toEqual([0.2, 0.4, 0.6, 0.8]);
    expect(ghost.pathPointCount).toBe(2 * 9);
    const lines: THREE.Line[] = [];
    ghost.root.traverse((o) => (o as THREE.Line).isLine && lines.push(o as THREE.Line));
    expect(lines).toHaveLength(2);
    const tip = lines[1].geometry.getAttribute('position');
    expect(lines[1].geometry.drawRange.count).toBe(9);
    // The pole's tip: 1 m above its body origin at z = 1, moving with the cart.
    expect([tip.getX(8), tip.getY(8), tip.getZ(8)].map((v) => +v.toFixed(5))).toEqual([0.8, 0, 2]);

    // A shorter plan reuses the copies, hiding the ones it does not need.
    ghost.update(trajectory(2), NBODY, 2);
    expect(ghost.copyCount).toBe(2);
    expect(ghost.copyGroups.filter((c) => c.visible)).toHaveLength(2);
    expect(ghost.pathPointCount).toBe(2 * 3);
  });

  it('hides itself for an empty or short pose array instead of failing', () => {
    const ghost = new GhostTrajectory(SCENE);
    ghost.update(trajectory(4), NBODY, 4);
    expect(ghost.root.visible).toBe(true);
    expect(() => ghost.update(new Float32Array(0), NBODY, 4)).not.toThrow();
    expect(ghost.root.visible).toBe(false);
    expect(ghost.copyCount).toBe(0);
    ghost.update(trajectory(2), NBODY, 4);
    expect(ghost.root.visible).toBe(false);
  });

  it('draws one faint, tinted trajectory per ensemble member', () => {
    const single = new GhostTrajectory(SCENE);
    single.update(trajectory(8), NBODY, 8);
    const ghost = new GhostTrajectory(SCENE);
    ghost.update(ensemble(8, 3), NBODY, 8, 3);
    // 3× the copies (4 steps each), and 3× the ghost bodies in them.
    expect(ghost.memberCount).toBe(3);
    expect(ghost.copyCount).toBe(3 * single.copyCount);
    const bodies = (g: GhostTrajectory) => g.copyGroups.filter((c) => c.visible).flatMap((c) => meshesOf(c)).length;
    expect(bodies(ghost)).toBe(3 * bodies(single));
    expect(ghost.pathPointCount).toBe(3 * single.pathPointCount);
    const lines: THREE.Line[] = [];
    ghost.root.traverse((o) => (o as THREE.Line).isLine && lines.push(o as THREE.Line));
    expect(lines).toHaveLength(3 * 2);

    // Member m's copies stand where its own trajectory puts them (cart at y = m).
    ghost.root.updateMatrixWorld(true);
    const cartY = (copy: THREE.Object3D) => +meshesOf(copy).find((m) => m.geometry.type === 'BoxGeometry')!.getWorldPosition(new THREE.Vector3()).y.toFixed(5);
    expect(ghost.copyGroups.map(cartY)).toEqual([0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]);

    // Each member its own tint; all fainter than a single model's ghost.
    const material = (i: number) => meshesOf(ghost.copyGroups[i])[0].material as THREE.MeshStandardMaterial;
    expect(material(0).color.getHexString()).toBe(new THREE.Color(memberColor(0, 3)).getHexString());
    expect(material(8).color.getHexString()).toBe(new THREE.Color(memberColor(2, 3)).getHexString());
    expect(material(0).color.getHexString()).not.toBe(material(4).color.getHexString());
    expect(material(0).opacity).toBeLessThan((meshesOf(single.copyGroups[0])[0].material as THREE.Material).opacity);
    // A single model keeps today's light blue at full ghost opacity.
    expect((meshesOf(single.copyGroups[0])[0].material as THREE.MeshStandardMaterial).color.getHexString()).toBe(new THREE.Color(GHOST_COLOR).getHexString());
    expect(memberFade(1)).toBe(1);
    expect(memberFade(5)).toBeLessThan(memberFade(3));

    // Fewer members next time: the extra ones hide; empty poses hide everything.
    ghost.update(ensemble(8, 2), NBODY, 8, 2);
    expect(ghost.copyCount).toBe(2 * 4);
    expect(ghost.copyGroups.filter((c) => c.visible)).toHaveLength(8);
    expect(lines.filter((l) => l.visible)).toHaveLength(2 * 2);
    ghost.update(new Float32Array(0), NBODY, 8, 3);
    expect(ghost.root.visible).toBe(false);
    expect([ghost.copyCount, ghost.memberCount]).toEqual([0, 0]);
    // Poses for fewer members than claimed: hidden, not misread.
    ghost.update(ensemble(8, 2), NBODY, 8, 3);
    expect(ghost.root.visible).toBe(false);
    ghost.dispose();
    single.dispose();
  });

  it('draws at most maxMembers members of a large ensemble', () => {
    const ghost = new GhostTrajectory(SCENE, { maxMembers: 4 });
    ghost.update(ensemble(2, 7), NBODY, 2, 7);
    expect(ghost.memberCount).toBe(4);
    expect(ghost.copyCount).toBe(4 * ghostSteps(2).length);
    ghost.dispose();
  });

  it('disposes its geometries and materials', () => {
    const ghost = new GhostTrajectory(SCENE);
    ghost.update(trajectory(8), NBODY, 8);
    const parent = new THREE.Scene();
    parent.add(ghost.root);
    const disposed = vi.fn();
    for (const copy of ghost.copyGroups) for (const m of meshesOf(copy)) {
      m.geometry.addEventListener('dispose', disposed);
      (m.material as THREE.Material).addEventListener('dispose', disposed);
    }
    ghost.dispose();
    // 2 geometries shared by the copies (a listener is registered once per object) + 4 copy materials.
    expect(disposed).toHaveBeenCalledTimes(2 + 4);
    expect(parent.children).not.toContain(ghost.root);
  });
});

describe('BodyTrail', () => {
  it('appends anchor positions, drops the oldest when full and resets', () => {
    const trail = new BodyTrail(SCENE, 0xffffff, 3);
    const traj = trajectory(4);
    for (let k = 0; k <= 4; k++) trail.push(traj.subarray(k * NBODY * 7, (k + 1) * NBODY * 7));
    expect(trail.pointCount).toBe(3);
    const lines: THREE.Line[] = [];
    trail.root.traverse((o) => (o as THREE.Line).isLine && lines.push(o as THREE.Line));
    const cart = lines[0].geometry.getAttribute('position');
    expect([cart.getX(0), cart.getX(1), cart.getX(2)].map((v) => +v.toFixed(5))).toEqual([0.2, 0.3, 0.4]);
    trail.reset();
    expect(trail.pointCount).toBe(0);
    expect(lines[0].geometry.drawRange.count).toBe(0);
    trail.dispose();
  });
});
