/**
 * The tasks MBRL Lab knows, by id. Static information comes from constants in the task files, so
 * listing and validating never loads MuJoCo; makeEnv() loads it on first use.
 */
import type * as tf from '@tensorflow/tfjs-core';
import type { Env, TaskInfo } from './env';
import { MujocoEnv } from './mujoco-env';
import type { MujocoTask } from './mujoco-task';
import { cartpoleTask } from './tasks/cartpole';
import { halfcheetahTask } from './tasks/halfcheetah';
import { pendulumTask } from './tasks/pendulum';
import { planarPushTask } from './tasks/planar-push';
import { pointMassTask } from './tasks/point-mass';
import { pusherTask } from './tasks/pusher';
import { reacherTask } from './tasks/reacher';

/** Ids of all tasks, in display order (roughly by difficulty). */
export const TASK_IDS = ['pendulum', 'cartpole', 'reacher', 'pusher', 'halfcheetah', 'point-mass', 'planar-push'] as const;

/** A known task id. */
export type TaskId = (typeof TASK_IDS)[number];

/**
 * Reads an MJCF file named by its file name under resources/models (e.g. "cartpole.xml") and returns
 * its text. Supplied by the caller (engine, CLI, tests), because this library does no file I/O.
 */
export type ReadModelXml = (fileName: string) => string | Promise<string>;

const TASKS: Readonly<Record<TaskId, MujocoTask>> = {
  pendulum: pendulumTask,
  cartpole: cartpoleTask,
  reacher: reacherTask,
  pusher: pusherTask,
  halfcheetah: halfcheetahTask,
  'point-mass': pointMassTask,
  'planar-push': planarPushTask,
};

/** Whether id names a known task. */
export function isTaskId(id: string): id is TaskId {
  return (TASK_IDS as readonly string[]).includes(id);
}

/**
 * The MuJoCo task definition (hooks, model file, constants) behind a task id.
 * @throws Error "unknown task 'x'; known tasks: pendulum, cartpole, ...".
 */
export function mujocoTask(id: string): MujocoTask {
  if (!isTaskId(id)) throw new Error(`unknown task '${id}'; known tasks: ${TASK_IDS.join(', ')}`);
  return TASKS[id];
}

/** Static facts of one task (a fresh copy). @throws Error for unknown ids, as {@link mujocoTask}. */
export function taskInfo(id: string): TaskInfo {
  const info = mujocoTask(id).info;
  return {
    ...info,
    actionLow: [...info.actionLow],
    actionHigh: [...info.actionHigh],
    actionNames: [...info.actionNames],
    angleDims: [...info.angleDims],
  };
}

/** Static facts of all tasks, in {@link TASK_IDS} order (fresh copies). */
export function listTasks(): TaskInfo[] {
  return TASK_IDS.map(taskInfo);
}

/**
 * A task's reward and termination, per step and batched, for code that scores transitions without an
 * env (planners on predicted observations, data importers). All take the observation AFTER the step
 * and the applied (clipped) action, exactly as the env computes its own rewards, so
 * reward(o, a) = rewardBatch([o], [a])[0] up to float32 rounding. Formulas and units are documented in
 * each task file (src-main/mbrl/env/tasks/*.ts).
 */
export interface TaskFunctions {
  /** Reward of one transition: nextObs [obsDim], action [actDim] → task units. */
  reward(nextObs: ArrayLike<number>, action: ArrayLike<number>): number;
  /** Whether nextObs [obsDim] is terminal. */
  terminated(nextObs: ArrayLike<number>): boolean;
  /** Rewards of a batch: nextObs [B, obsDim], action [B, actDim] → [B] float32, owned by the caller. */
  rewardBatch(nextObs: tf.Tensor2D, action: tf.Tensor2D): tf.Tensor1D;
  /** Termination of a batch: nextObs [B, obsDim] → [B] float32, 1 where terminal, else 0; owned by the caller. */
  terminatedBatch(nextObs: tf.Tensor2D): tf.Tensor1D;
}

/**
 * The reward and termination functions of a task (see {@link TaskFunctions}); loads no MuJoCo.
 * The batched ones use tfjs-core ops only: the caller must have chosen a tfjs backend.
 * @throws Error for unknown ids, as {@link mujocoTask}.
 */
export function taskFunctions(id: string): TaskFunctions {
  const task = mujocoTask(id);
  return {
    reward: task.reward,
    terminated: task.terminated,
    rewardBatch: task.rewardBatch,
    terminatedBatch: task.terminatedBatch,
  };
}

/**
 * Build a ready env for a task: loads MuJoCo (once per process), reads the task's MJCF through
 * readModelXml and compiles it. Call reset(seed) before stepping and dispose() when done.
 * @throws Error for unknown ids (before reading anything) and for models that do not compile.
 */
export async function makeEnv(id: string, readModelXml: ReadModelXml): Promise<Env> {
  return makeMujocoEnv(id, readModelXml);
}

/** As {@link makeEnv}, typed as the MuJoCo env to reach the simulator (tests, benchmarks). */
export async function makeMujocoEnv(id: string, readModelXml: ReadModelXml): Promise<MujocoEnv> {
  const task = mujocoTask(id);
  const xml = await readModelXml(task.modelFile);
  return MujocoEnv.create(task, xml);
}
