/** Public surface of mbrl/env: the Env contract, scene formats, MuJoCo tasks and the task registry. */
export type { BoxSpace, Env, StepResult, TaskInfo } from './env';
export { POSE_STRIDE } from './scene';
export type { BodyDescription, GeomDescription, GeomKind, SceneDescription } from './scene';
export { TASK_IDS, isTaskId, listTasks, makeEnv, makeMujocoEnv, mujocoTask, taskInfo } from './registry';
export type { ReadModelXml, TaskId } from './registry';
export { MujocoEnv } from './mujoco-env';
export type { MujocoTask } from './mujoco-task';
export { getMujoco, loadModelFromXml } from './mujoco-runtime';
export type { Mujoco } from './mujoco-runtime';
export { PENDULUM_INFO, PENDULUM_MAX_TORQUE, pendulumReward, pendulumTask } from './tasks/pendulum';
export { CARTPOLE_INFO, CARTPOLE_MAX_FORCE, CARTPOLE_POLE_LENGTH, cartpoleReward, cartpoleTask } from './tasks/cartpole';
