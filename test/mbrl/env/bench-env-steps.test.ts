import { describe, expect, it } from 'vitest';
import { benchEnvSteps } from '../../../bench/env-steps';
import { readModelXml } from './read-model';

describe('benchEnvSteps', () => {
  it('reports raw and env steps per second for every task (short smoke run)', async () => {
    const results = await benchEnvSteps(readModelXml, { seconds: 0.02 });
    expect(results.map((r) => r.name)).toEqual(['pendulum mj_step', 'pendulum env.step', 'cartpole mj_step', 'cartpole env.step']);
    for (const r of results) {
      expect(r.unit).toBe('steps/s');
      expect(r.value).toBeGreaterThan(0);
    }
  });
});
