import { describe, expect, it } from 'vitest';
import { TASK_IDS, isTaskId, listTasks, makeEnv, taskInfo } from '../../../src-main/mbrl/env';
import { readModelXml } from './read-model';

describe('task registry', () => {
  it('lists every task with consistent static info', () => {
    const tasks = listTasks();
    expect(tasks.map((t) => t.id)).toEqual([...TASK_IDS]);
    for (const t of tasks) {
      expect(t.actionLow.length).toBe(t.actDim);
      expect(t.actionHigh.length).toBe(t.actDim);
      expect(t.actionNames.length).toBe(t.actDim);
      expect(t.title.length).toBeGreaterThan(0);
      expect(t.dt).toBe(0.05);
      expect(Number.isInteger(t.maxEpisodeSteps) && t.maxEpisodeSteps > 0).toBe(true);
      expect(new Set(t.angleDims).size).toBe(t.angleDims.length);
      for (const d of t.angleDims) expect(Number.isInteger(d) && d >= 0 && d < t.obsDim).toBe(true);
    }
    // Episode lengths and angle dims are part of each task's documented contract.
    expect(Object.fromEntries(tasks.map((t) => [t.id, [t.maxEpisodeSteps, t.angleDims]]))).toEqual({
      pendulum: [200, []],
      cartpole: [200, [1]],
      reacher: [150, [0, 1]],
      pusher: [150, [0, 1, 2]],
      halfcheetah: [200, [1]],
      'point-mass': [150, []],
      'planar-push': [150, [6]],
    });
  });

  it('hands out copies, so callers cannot change the registry', () => {
    taskInfo('cartpole').actionLow[0] = -99;
    taskInfo('cartpole').angleDims.push(3);
    expect(taskInfo('cartpole').actionLow[0]).toBe(-1);
    expect(taskInfo('cartpole').angleDims).toEqual([1]);
  });

  it('rejects unknown ids with the list of known ones, before reading any file', async () => {
    const message = "unknown task 'nope'; known tasks: pendulum, cartpole, reacher, pusher, halfcheetah, point-mass, planar-push";
    expect(() => taskInfo('nope')).toThrow(message);
    expect(isTaskId('nope')).toBe(false);
    expect(isTaskId('cartpole')).toBe(true);
    let reads = 0;
    await expect(makeEnv('nope', () => (reads++, ''))).rejects.toThrow(message);
    expect(reads).toBe(0);
  });

  it.each(TASK_IDS)('makes %s with the spaces its static info promises (sync or async reader)', async (id) => {
    const info = taskInfo(id);
    const env = await makeEnv(id, async (file) => readModelXml(file));
    try {
      expect(env.id).toBe(id);
      expect(env.observationSpace.size).toBe(info.obsDim);
      expect(env.actionSpace.size).toBe(info.actDim);
      expect(Array.from(env.actionSpace.low)).toEqual(info.actionLow);
      expect(Array.from(env.actionSpace.high)).toEqual(info.actionHigh);
      expect(env.dt).toBe(info.dt);
      expect(env.maxEpisodeSteps).toBe(info.maxEpisodeSteps);
      expect(env.reset(0).length).toBe(info.obsDim);
    } finally {
      env.dispose();
    }
  });
});
