/** Public surface of mbrl/env: the Env contract, scene formats, MuJoCo tasks and the task registry. */
export type { BoxSpace, Env, StepResult, TaskInfo } from './env';
export { POSE_STRIDE } from './scene';
export type { BodyDescription, GeomDescription, GeomKind, SceneCamera, SceneDescription } from './scene';
export { TASK_IDS, isTaskId, listTasks, makeEnv, makeMujocoEnv, mujocoTask, taskFunctions, taskInfo } from './registry';
export type { ReadModelXml, TaskFunctions, TaskId } from './registry';
export { MujocoEnv } from './mujoco-env';
export { SimulatorRollout } from './simulator-rollout';
export type { MujocoTask } from './mujoco-task';
export { getMujoco, loadModelFromXml } from './mujoco-runtime';
export type { Mujoco } from './mujoco-runtime';
export { PENDULUM_HOLD_STEPS, PENDULUM_INFO, PENDULUM_MAX_TORQUE, PENDULUM_UPRIGHT_BAND, pendulumExploringStart, pendulumOutcome, pendulumReward, pendulumRewardBatch, pendulumTask, pendulumUprightHeld } from './tasks/pendulum';
export {
  CARTPOLE_INFO,
  CARTPOLE_MAX_FORCE,
  CARTPOLE_POLE_LENGTH,
  cartpoleReward,
  cartpoleRewardBatch,
  cartpoleTask,
} from './tasks/cartpole';
export {
  REACHER_GOAL_RADIUS,
  REACHER_INFO,
  REACHER_LINK_LENGTH,
  REACHER_MAX_TORQUE,
  reacherFingertip,
  reacherGoal,
  reacherReward,
  reacherRewardBatch,
  reacherTask,
} from './tasks/reacher';
export {
  PUSHER_GOAL,
  PUSHER_INFO,
  PUSHER_LINK_LENGTHS,
  PUSHER_PUCK,
  PUSHER_TIP,
  pusherFingertip,
  pusherReward,
  pusherRewardBatch,
  pusherTask,
} from './tasks/pusher';
export {
  HALFCHEETAH_FORWARD_VELOCITY,
  HALFCHEETAH_GEARS,
  HALFCHEETAH_INFO,
  HALFCHEETAH_TORSO_BODY,
  halfcheetahReward,
  halfcheetahRewardBatch,
  halfcheetahTask,
} from './tasks/halfcheetah';
export { PixelEnv, viewRasterizer } from './pixel-env';
export type { ImageEnv, ImageSpace, PixelEnvOptions, PixelStepResult, PixelView } from './pixel-env';
export {
  PIXEL_TASK_IDS,
  isPixelTaskId,
  listPixelTasks,
  makePixelEnv,
  pixelTaskInfo,
  pixelTaskOf,
  pixelView,
  planarPushBlockPixel,
  tablePointOfPixel,
} from './pixel-tasks';
export type { PixelTaskId, PixelTaskInfo } from './pixel-tasks';
export {
  POINT_MASS_ARENA,
  POINT_MASS_INFO,
  POINT_MASS_OBSTACLES,
  POINT_MASS_RADIUS,
  pointMassIsFree,
  pointMassOutcome,
  pointMassReward,
  pointMassRewardBatch,
  pointMassTask,
} from './tasks/point-mass';
export {
  PLANAR_PUSH_BLOCK,
  PLANAR_PUSH_BLOCK_HALF,
  PLANAR_PUSH_GOAL,
  PLANAR_PUSH_INFO,
  PLANAR_PUSH_PUSHER,
  PLANAR_PUSH_YAW,
  planarPushReward,
  planarPushRewardBatch,
  planarPushTask,
} from './tasks/planar-push';
export { collectImageEpisodes } from './pixel-collect';
export { hasEpisodeJudge, judgeEpisode } from './episode-success';
export { exploringStart, type ExploringStartRange, type StartSampler } from './exploring-starts';
export type { EpisodeJudge, EpisodeOutcome } from './episode-success';
export { DEFAULT_PUSHING_TASKS, planarPushCentrePixel, planarPushPointTracker, randomPushingTasks, type ImagePoint2, type PushingTask, type PushingTaskOptions } from './planar-push-goals';
export { PLANAR_PUSH_STEP_PER_ACTION, planarPushSlideRepair } from './planar-push-limits';
export type { CollectOptions, EpisodePolicy, ImageEpisode } from './pixel-collect';
