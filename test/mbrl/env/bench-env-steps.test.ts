import { describe, expect, it } from 'vitest';
import { benchEnvSteps } from '../../../bench/env-steps';
import { TASK_IDS } from '../../../src-main/mbrl/env';
import { readModelXml } from './read-model';

describe('benchEnvSteps', () => {
  it('reports raw and env steps per second for every task (short smoke run)', async () => {
    const results = await benchEnvSteps(readModelXml, { seconds: 0.02 });
    expect(results.map((r) => r.name)).toEqual(TASK_IDS.flatMap((id) => [`${id} mj_step`, `${id} env.step`]));
    expect(TASK_IDS).toEqual(['pendulum', 'cartpole', 'reacher', 'pusher', 'halfcheetah', 'point-mass', 'planar-push']);
    for (const r of results) {
      expect(r.unit).toBe('steps/s');
      expect(r.value).toBeGreaterThan(0);
    }
  });
});
