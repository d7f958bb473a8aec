/**
 * The image-observation tasks: each a state task seen by a fixed camera through the rasterizer.
 *
 * Ids are the state task's id + "-pixels" (e.g. "pendulum-pixels"), a family of their own beside
 * TASK_IDS rather than a `pixels` flag on a spec, because the observation is a different kind of
 * thing (uint8 frames behind the {@link ImageEnv} interface, not Float32 vectors behind Env): code
 * written for state tasks (MLP dynamics, run specs, presets) can never receive an image task by
 * accident, and a dataset's env_args or a CLI argument names the whole choice (task + camera + size)
 * in one word. The size and frame stack stay per-instance options.
 *
 * Cameras (all orthographic, so a world length is the same number of pixels everywhere):
 * - pendulum-pixels: side view of the swing plane, 1.3 m around the pivot, 64 × 64 (2 cm/px).
 * - cartpole-pixels: side view, 4.8 m wide (the cart's whole ±2.4 m travel), 64 × 64 (7.5 cm/px);
 *   the 4 cm pole is drawn at least 1.5 px wide (minRadiusPx), physics unchanged.
 * - reacher-pixels: top-down on the 0.64 m arena, 64 × 64 (1 cm/px); the goal is drawn (it changes
 *   per episode, so the agent must see it).
 * - point-mass-pixels: top-down on the 2 m arena, 40 × 40 (5 cm/px) as in E2C; only the agent and
 *   the obstacles are drawn (the goal is hidden: planners get it as a goal image).
 * - planar-push-pixels: top-down on the 0.5 m workspace, 64 × 64 (7.8 mm/px; the block is 10 px
 *   wide); goal hidden (visual foresight designates goal pixels).
 */
import type { TaskInfo } from './env';
import { PixelEnv, type PixelEnvOptions, type PixelView } from './pixel-env';
import { makeEnv, taskInfo, type ReadModelXml, type TaskId } from './registry';
import { sideCamera, topDownCamera, type PixelCamera } from '../render';
import { PLANAR_PUSH_BLOCK, PLANAR_PUSH_BLOCK_Z, PLANAR_PUSH_GOAL, PLANAR_PUSH_PUSHER, PLANAR_PUSH_YAW } from './tasks/planar-push';
import { POINT_MASS_GOAL } from './tasks/point-mass';
import { planarPushTowardGoal } from './planar-push-explore';

/** Ids of the image tasks, in display order. */
export const PIXEL_TASK_IDS = ['pendulum-pixels', 'cartpole-pixels', 'reacher-pixels', 'point-mass-pixels', 'planar-push-pixels'] as const;
export type PixelTaskId = (typeof PIXEL_TASK_IDS)[number];

/** Static facts of an image task (no MuJoCo loaded). */
export interface PixelTaskInfo extends Omit<TaskInfo, 'obsDim' | 'angleDims'> {
  /** The state task underneath (its reward, state and batched functions). */
  stateTask: TaskId;
  /** Default image size, pixels. */
  width: number;
  height: number;
  /** Frames are saved as obs/<cameraName>_image. */
  cameraName: string;
  /** Whether goalImage() gives a picture for this task. */
  hasGoalImage: boolean;
}

/** Pixel size of the cart-pole camera, m: its centre is offset by half of it so the rail (z = 1 m) falls on pixel centres. */
const CARTPOLE_METRES_PER_PX = 4.8 / 64;

const VIEWS: Readonly<Record<PixelTaskId, PixelView & { stateTask: TaskId; title: string }>> = {
  'pendulum-pixels': {
    stateTask: 'pendulum',
    title: 'Pendulum swing-up from pixels',
    camera: sideCamera(0, 1.2, 1.3),
    cameraName: 'side',
    width: 64,
    height: 64,
    minRadiusPx: 0.75,
    goalState: () => Float32Array.of(1, 0, 0), // upright, at rest
  },
  'cartpole-pixels': {
    stateTask: 'cartpole',
    title: 'Cart-pole swing-up from pixels',
    camera: sideCamera(0, 1 - CARTPOLE_METRES_PER_PX / 2, 4.8),
    cameraName: 'side',
    width: 64,
    height: 64,
    minRadiusPx: 0.75,
    goalState: () => Float32Array.of(0, 0, 0, 0), // centred, upright, at rest
  },
  'reacher-pixels': {
    stateTask: 'reacher',
    title: 'Reacher from pixels',
    camera: topDownCamera(0, 0, 0.64),
    cameraName: 'top',
    width: 64,
    height: 64,
  },
  'point-mass-pixels': {
    stateTask: 'point-mass',
    title: 'Point mass among obstacles from pixels (E2C planar system)',
    camera: topDownCamera(0, 0, 2),
    cameraName: 'top',
    width: 40,
    height: 40,
    hiddenBodies: ['goal'],
    // The agent standing on its goal, at rest.
    goalState: (s) => Float32Array.of(s[POINT_MASS_GOAL], s[POINT_MASS_GOAL + 1], 0, 0, s[POINT_MASS_GOAL], s[POINT_MASS_GOAL + 1]),
  },
  'planar-push-pixels': {
    stateTask: 'planar-push',
    title: 'Top-down pushing from pixels',
    camera: topDownCamera(0, 0, 0.5),
    cameraName: 'top',
    width: 64,
    height: 64,
    hiddenBodies: ['goal'],
    // Anti-aliased (4 × 4 rays a pixel, as a camera integrates light over each pixel). Why: at 32 × 32
    // the pusher moves ≈ 1.25 px a step; one ray a pixel shows that as jumps of 1 or 2 px whose order
    // depends on a sub-pixel phase no frame shows. With coverage-weighted pixels a sub-pixel shift is a
    // blend of two whole-pixel shifts, which a video model's kernels can express (the 'shift' kernels
    // of cdna-network.ts learn the true speed; the session-8 model moved the pusher 1 px a step).
    supersample: 4,
    // The block on its goal with its current yaw; the pusher where it is.
    goalState: (s) => {
      const g = s.slice();
      g[PLANAR_PUSH_BLOCK] = s[PLANAR_PUSH_GOAL];
      g[PLANAR_PUSH_BLOCK + 1] = s[PLANAR_PUSH_GOAL + 1];
      g[PLANAR_PUSH_YAW] = s[PLANAR_PUSH_YAW];
      return g;
    },
    // Full speed from the pusher toward the block's centre, turned by up to ±0.5 rad so that pushes
    // hit it off-centre too (turning it) and sometimes miss. Full speed = the action box's edge in that
    // direction (norm up to √2 on diagonals), where CEM's clipped samples mostly lie. Measured (visual
    // foresight's video model, 12-step plans): trained on norm-1 pushes it predicted the block's motion
    // under such actions at 4.5 px where it moved 7.2 px; trained on these, 7.0 px.
    explore: (s, rng) => {
      const heading = Math.atan2(s[PLANAR_PUSH_BLOCK + 1] - s[PLANAR_PUSH_PUSHER + 1], s[PLANAR_PUSH_BLOCK] - s[PLANAR_PUSH_PUSHER]) + rng.uniform(-0.5, 0.5);
      const edge = Math.max(Math.abs(Math.cos(heading)), Math.abs(Math.sin(heading)));
      return Float32Array.of(Math.cos(heading) / edge, Math.sin(heading) / edge);
    },
    // Go around the block to the side away from the episode's hidden goal, then push it there.
    exploreTowardGoal: planarPushTowardGoal,
    // The block's centre, which the evaluation designates.
    objectPoint: (s) => [s[PLANAR_PUSH_BLOCK], s[PLANAR_PUSH_BLOCK + 1], PLANAR_PUSH_BLOCK_Z],
  },
};

/** Whether id names an image task. */
export function isPixelTaskId(id: string): id is PixelTaskId {
  return (PIXEL_TASK_IDS as readonly string[]).includes(id);
}

/** The image task that shows a state task ("pendulum" → "pendulum-pixels"), or null when there is none. */
export function pixelTaskOf(stateTaskId: string): PixelTaskId | null {
  const id = `${stateTaskId}-pixels`;
  return isPixelTaskId(id) ? id : null;
}

/** The camera and drawing choices of an image task. @throws Error for unknown ids, listing the known ones. */
export function pixelView(id: string): PixelView {
  if (!isPixelTaskId(id)) throw new Error(`unknown image task '${id}'; known image tasks: ${PIXEL_TASK_IDS.join(', ')}`);
  return VIEWS[id];
}

/** Static facts of an image task (a fresh copy). @throws Error for unknown ids. */
export function pixelTaskInfo(id: string): PixelTaskInfo {
  const view = pixelView(id) as (typeof VIEWS)[PixelTaskId];
  const { obsDim: _obsDim, angleDims: _angleDims, ...state } = taskInfo(view.stateTask);
  return {
    ...state,
    id,
    title: view.title,
    description: `${state.description} Seen as ${view.width}×${view.height} RGB frames from a fixed ${view.cameraName} camera; the state is kept for evaluation only.`,
    stateTask: view.stateTask,
    width: view.width,
    height: view.height,
    cameraName: view.cameraName,
    hasGoalImage: view.goalState !== undefined,
  };
}

/** Static facts of every image task, in {@link PIXEL_TASK_IDS} order. */
export function listPixelTasks(): PixelTaskInfo[] {
  return PIXEL_TASK_IDS.map(pixelTaskInfo);
}

/**
 * A ready image env: builds the state task's MuJoCo env and the rasterizer for the task's camera.
 * Call reset(seed) before stepping and dispose() when done.
 * @throws Error for unknown ids (before loading anything) and for bad options.
 */
export async function makePixelEnv(id: string, readModelXml: ReadModelXml, options: PixelEnvOptions = {}): Promise<PixelEnv> {
  const view = pixelView(id) as (typeof VIEWS)[PixelTaskId];
  const env = await makeEnv(view.stateTask, readModelXml);
  try {
    return new PixelEnv(id, env, view, options);
  } catch (error) {
    env.dispose();
    throw error;
  }
}

/**
 * Pixel [row, col] showing the pushing task's block centre (its top face centre, as the camera sees
 * it) for a planar-push state [12]; null when outside the image.
 */
export function planarPushBlockPixel(camera: PixelCamera, state: ArrayLike<number>): [number, number] | null {
  return camera.pixelOf([state[PLANAR_PUSH_BLOCK], state[PLANAR_PUSH_BLOCK + 1], PLANAR_PUSH_BLOCK_Z]);
}

/** World (x, y) on the table plane under the centre of pixel [row, col] of a top-down camera, m. */
export function tablePointOfPixel(camera: PixelCamera, row: number, col: number): [number, number] | null {
  const p = camera.pixelToWorldOnZ(row, col, 0);
  return p ? [p[0], p[1]] : null;
}
