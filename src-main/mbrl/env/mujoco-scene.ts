/** Reading a compiled MuJoCo model and its state into the renderer's scene and pose formats. */
import type { MjData, MjModel } from 'mujoco-js';
import type { Mujoco } from './mujoco-runtime';
import { POSE_STRIDE, type GeomDescription, type GeomKind, type SceneCamera, type SceneDescription } from './scene';

/** mjtGeom values the renderer can draw; other types (meshes, height fields, ...) are left out. */
const GEOM_KINDS: Readonly<Record<number, GeomKind>> = {
  0: 'plane',
  2: 'sphere',
  3: 'capsule',
  4: 'ellipsoid',
  5: 'cylinder',
  6: 'box',
};

/** mjtObj.mjOBJ_BODY. */
const OBJ_BODY = 1;

/**
 * Static scene of a model: every body by name (body 0 is "world") and every drawable geom with its
 * body-frame placement, size and colour. Geoms of other types are skipped; physics is unaffected.
 */
export function extractScene(
  mj: Mujoco,
  model: MjModel,
  task: string,
  camera: SceneCamera,
): SceneDescription {
  const bodies = [];
  for (let b = 0; b < model.nbody; b++) {
    bodies.push({ name: mj.mj_id2name(model, OBJ_BODY, b) || `body${b}` });
  }
  const type = model.geom_type as Int32Array;
  const size = model.geom_size as Float64Array;
  const pos = model.geom_pos as Float64Array;
  const quat = model.geom_quat as Float64Array;
  const rgba = model.geom_rgba as Float32Array;
  const bodyId = model.geom_bodyid as Int32Array;
  const geoms: GeomDescription[] = [];
  for (let g = 0; g < model.ngeom; g++) {
    const kind = GEOM_KINDS[type[g]];
    if (!kind) continue;
    geoms.push({
      body: bodyId[g],
      kind,
      size: [size[3 * g], size[3 * g + 1], size[3 * g + 2]],
      pos: [pos[3 * g], pos[3 * g + 1], pos[3 * g + 2]],
      quat: [quat[4 * g], quat[4 * g + 1], quat[4 * g + 2], quat[4 * g + 3]],
      rgba: [rgba[4 * g], rgba[4 * g + 1], rgba[4 * g + 2], rgba[4 * g + 3]],
    });
  }
  return {
    task,
    bodies,
    geoms,
    camera: {
      eye: [...camera.eye],
      target: [...camera.target],
      ...(camera.follow === undefined ? {} : { follow: camera.follow }),
    },
  };
}

/**
 * Body poses from data.xpos/xquat (as of the last mj_kinematics or mj_forward):
 * [nbody * POSE_STRIDE] = per body x, y, z (metres, world) then quaternion w, x, y, z.
 */
export function extractPoses(model: MjModel, data: MjData): Float32Array {
  const n = model.nbody;
  const xpos = data.xpos as Float64Array;
  const xquat = data.xquat as Float64Array;
  const out = new Float32Array(n * POSE_STRIDE);
  for (let b = 0; b < n; b++) {
    const o = b * POSE_STRIDE;
    out[o] = xpos[3 * b];
    out[o + 1] = xpos[3 * b + 1];
    out[o + 2] = xpos[3 * b + 2];
    out[o + 3] = xquat[4 * b];
    out[o + 4] = xquat[4 * b + 1];
    out[o + 5] = xquat[4 * b + 2];
    out[o + 6] = xquat[4 * b + 3];
  }
  return out;
}
