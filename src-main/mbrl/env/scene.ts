/**
 * What the renderer needs to draw a task: bodies and their geoms, sent once per episode.
 * Per-step motion then travels as body poses only (see {@link PoseLayout}).
 */

/** Geometry kinds the renderer knows how to build. Names follow MuJoCo's mjtGeom. */
export type GeomKind = 'plane' | 'sphere' | 'capsule' | 'ellipsoid' | 'cylinder' | 'box';

/** One visual geom, fixed to a body. Lengths in metres. */
export interface GeomDescription {
  /** Index into {@link SceneDescription.bodies}. */
  body: number;
  kind: GeomKind;
  /**
   * MuJoCo size convention: plane [halfX, halfY, gridSpacing]; sphere [r];
   * capsule/cylinder [r, halfLength] along local z; ellipsoid [rx, ry, rz]; box [hx, hy, hz].
   */
  size: [number, number, number];
  /** Position in the body frame, metres. */
  pos: [number, number, number];
  /** Orientation in the body frame, unit quaternion (w, x, y, z). */
  quat: [number, number, number, number];
  /** Colour, sRGB RGBA in [0, 1] as written in the MJCF (MuJoCo's viewer shows them unconverted). */
  rgba: [number, number, number, number];
}

/** A body; body 0 is the world. */
export interface BodyDescription {
  name: string;
}

/** Everything static about a task's picture. World frame is z-up, metres. */
export interface SceneDescription {
  task: string;
  bodies: BodyDescription[];
  geoms: GeomDescription[];
  /** Default camera, see {@link SceneCamera}. */
  camera: SceneCamera;
}

/** Where a camera should look from and at, world frame (z-up), metres. */
export interface SceneCamera {
  eye: [number, number, number];
  target: [number, number, number];
  /**
   * Body index (into {@link SceneDescription.bodies}) to follow, for tasks whose robot travels (the
   * half-cheetah runs off along +x). A viewer keeps the target's x on that body's current x (from the
   * poses) and moves the eye by the same shift, so the view slides along with the robot; y and z stay
   * as given. Absent: the camera stays put.
   */
  follow?: number;
}

/**
 * Layout of a pose array: for each body b, 7 floats at [7b, 7b + 7):
 * position x, y, z (metres, world frame) then quaternion w, x, y, z.
 */
export const POSE_STRIDE = 7;
