/**
 * The rounds' planner episodes: each is a pure function of its task (whatever ran before it), and the
 * scheduler over threads gives them back in task order, stopping when a thread fails.
 */
import { beforeAll, describe, expect, it } from 'vitest';
import { runPlannerEpisode, runPlannerEpisodes, type PlannerEpisodeThreads } from '../../../src-main/engine/jobs/foresight-planner-episode';
import { readModelXml } from '../../../src-main/engine/resources';
import { makePixelEnv, randomPushingTasks } from '../../../src-main/mbrl/env';
import { DEFAULT_VIDEO_MODEL, VideoPredictionModel } from '../../../src-main/mbrl/models/video';
import { DEFAULT_FORESIGHT } from '../../../src-main/mbrl/planning';
import { useCpuBackend } from '../../mbrl/tf-setup';

beforeAll(useCpuBackend);

const S = 16;
const settings = { planning: { ...DEFAULT_FORESIGHT, horizon: 2, population: 4, iterations: 1, chunk: 4 }, steps: 3, noise: 0.3 };

async function setUp() {
  const env = await makePixelEnv('planar-push-pixels', readModelXml, { width: S, height: S });
  const model = VideoPredictionModel.create({ ...DEFAULT_VIDEO_MODEL, widths: [4, 4, 4], kernels: 2, imageSize: S, channels: 3, actDim: 2 });
  const tasks = randomPushingTasks(env.camera, (s) => (env.reset(s), env.state()), { count: 4, seed: 30, minDistance: 3, maxDistance: 5, marginFraction: 0.19 });
  return { env, model, tasks };
}

describe('planner episodes', () => {
  it('depend only on their task: the same episode alone or after others', async () => {
    const { env, model, tasks } = await setUp();
    try {
      const alone = await runPlannerEpisode(env, model, tasks[2], settings);
      const all = await runPlannerEpisodes(env, model, tasks, settings);
      expect(all).toHaveLength(4);
      expect(Array.from(all[2].actions)).toEqual(Array.from(alone.actions));
      expect(Array.from(all[2].states)).toEqual(Array.from(alone.states));
      // The noise is on: the actions are not the planner's alone, and episodes differ.
      expect(Array.from(all[1].actions)).not.toEqual(Array.from(all[2].actions));
    } finally {
      model.dispose();
      env.dispose();
    }
  });

  it("rejects with a thread's error and starts no new episode after it", async () => {
    const { env, model, tasks } = await setUp();
    const failing: PlannerEpisodeThreads = {
      count: 1,
      plannerEpisode: async () => {
        throw new Error('video training worker: unknown task x');
      },
    };
    const done: number[] = [];
    try {
      await expect(runPlannerEpisodes(env, model, tasks, settings, { threads: failing }, (_e, task) => done.push(task.episodeSeed))).rejects.toThrow(/unknown task x/);
      // The engine's thread finished the episode it had started (the first task) and took no other.
      expect(done).toEqual([tasks[0].episodeSeed]);
    } finally {
      model.dispose();
      env.dispose();
    }
  });
});
