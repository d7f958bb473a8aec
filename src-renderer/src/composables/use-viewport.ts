import { onBeforeUnmount, onMounted, ref, watch, type Ref } from 'vue';
import type { Object3D } from 'three';
import { TaskScene, type TaskSceneDescription } from '../scene/task-scene';
import { Viewport } from '../scene/viewport';

/** Something drawn in the viewport besides the task's bodies (a ghost, a trail): its root and how to free it. */
export interface SceneLayer {
  readonly root: Object3D;
  dispose(): void;
}

export interface TaskViewportOptions {
  /** The scene to show (a store's `scene`): a new one replaces every layer, null clears them. */
  scene: () => TaskSceneDescription | null;
  /** Bumped whenever new poses are there to draw (a store's `poseVersion`). */
  poseVersion: () => number;
  /** Draws the latest poses: on every new version, and once a new scene is up. */
  drawPoses: () => void;
  /** Layers built with each new scene besides the task itself, added after it in this order. */
  layers?: (description: TaskSceneDescription) => SceneLayer[];
  /** Called when the layers have been disposed (new scene, unmount): drop what refers to them. */
  onClear?: () => void;
  /** Called once the viewport is up and shows the first scene (not when WebGL is missing). */
  onReady?: () => void;
}

/**
 * A three.js {@link Viewport} in the element `host`, showing a store's task scene (plus any layers
 * of the caller) and kept in step with its poses; started on mount, freed on unmount. The three.js
 * objects are plain variables here, never reactive state. Without WebGL, `unavailable` says why.
 */
export function useTaskViewport(host: Ref<HTMLElement | null>, options: TaskViewportOptions) {
  const unavailable = ref<string | null>(null);
  let viewport: Viewport | null = null;
  let taskScene: TaskScene | null = null;
  let layers: SceneLayer[] = [];

  function clearLayers(): void {
    for (const layer of layers) {
      viewport?.removeLayer(layer.root);
      layer.dispose();
    }
    layers = [];
    taskScene = null;
    options.onClear?.();
  }

  function showScene(): void {
    if (!viewport) return;
    const description = options.scene();
    const sameTask = taskScene?.description.task === description?.task;
    clearLayers();
    if (!description) return;
    taskScene = new TaskScene(description);
    layers = [taskScene, ...(options.layers?.(description) ?? [])];
    for (const layer of layers) viewport.addLayer(layer.root);
    viewport.setGridVisible(!taskScene.hasPlane);
    // Keep the user's camera across episodes of the same task.
    if (!sameTask) viewport.lookAt(description.camera.eye, description.camera.target);
    options.drawPoses();
  }

  onMounted(() => {
    if (!host.value) return;
    try {
      viewport = new Viewport(host.value);
    } catch (err) {
      // No WebGL (unit tests, some remote desktops): the rest of the page still works.
      unavailable.value = `3D view unavailable: ${(err as Error).message || 'WebGL could not start'}`;
      return;
    }
    showScene();
    options.onReady?.();
  });

  watch(options.scene, showScene);
  watch(options.poseVersion, options.drawPoses);

  onBeforeUnmount(() => {
    clearLayers();
    viewport?.dispose();
    viewport = null;
  });

  return {
    unavailable,
    /** Whether a task scene is up (and so the viewport too). */
    hasScene: (): boolean => viewport !== null && taskScene !== null,
    /** Moves the task's bodies to these poses and lets a follow camera keep up; nothing without a scene. */
    pose(poses: Float32Array): void {
      if (!viewport || !taskScene) return;
      taskScene.applyPoses(poses);
      viewport.follow(poses, taskScene.description.camera.follow);
    },
    /** Schedules a frame (after changing a layer). */
    requestRender: (): void => viewport?.requestRender(),
  };
}
