import { ref, shallowRef } from 'vue';
import type { EngineEventOf, TaskInfoMessage } from '@protocol';

/** The scene of a task as the engine describes it (bodies, geoms, camera). */
export type SceneDescription = EngineEventOf<'sim/scene'>['scene'];

/**
 * What a job's 3D view reads, shared by the simulation and experiments stores: the scene and task
 * info (from `sim/scene`) and the latest body poses. Poses arrive up to 60 times a second; they are
 * kept in a plain field read with `getPoses`, and only the counter `poseVersion` is reactive, so Vue
 * never walks the arrays. Return the refs and `getPoses` from the store.
 */
export function useSceneFeed() {
  const scene = shallowRef<SceneDescription | null>(null);
  /** Task info of the running job, as sent with its scene. */
  const jobTask = shallowRef<TaskInfoMessage | null>(null);
  /** Bumped whenever new poses are available from `getPoses` (and where noted, when they are cleared). */
  const poseVersion = ref(0);
  let latestPoses: Float32Array | null = null;

  return {
    scene,
    jobTask,
    poseVersion,
    /** Latest body poses, [nbody · 7] (x, y, z, qw, qx, qy, qz), or null before the first frame. */
    getPoses: (): Float32Array | null => latestPoses,
    /** Keeps a `sim/scene` event's scene and task. */
    setScene(event: EngineEventOf<'sim/scene'>): void {
      scene.value = event.scene;
      jobTask.value = event.info;
    },
    /** Keeps a frame's poses and bumps the version. */
    setPoses(poses: Float32Array): void {
      latestPoses = poses;
      poseVersion.value++;
    },
    /** Forgets the poses; `bump` tells the views too (they clear what they drew). */
    clearPoses(bump = false): void {
      latestPoses = null;
      if (bump) poseVersion.value++;
    },
  };
}
