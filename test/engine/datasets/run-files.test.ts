/** A run's data/transitions.hdf5 (written by the engine) reads back through the dataset importer. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { inspectDataset, openLocalDataset } from '../../../src-main/engine/datasets';
import { writeRobomimic } from '../../../src-main/engine/run/robomimic-writer';
import { toTransitions } from '../../../src-main/mbrl/data/formats';

describe('run files', () => {
  it('robomimic written by a run: inspect is clean and toTransitions gives back (s, a, r, s′, terminated)', async () => {
    const path = join(mkdtempSync(join(tmpdir(), 'mbrl-run-data-')), 'transitions.hdf5');
    const D = 3;
    const A = 1;
    const episode = (T: number, base: number, terminal: boolean) => ({
      obs: Float32Array.from({ length: (T + 1) * D }, (_, i) => base + i),
      act: Float32Array.from({ length: T * A }, (_, i) => -i),
      reward: Float32Array.from({ length: T }, (_, i) => i / 2),
      terminated: Uint8Array.from({ length: T }, (_, i) => (terminal && i === T - 1 ? 1 : 0)),
    });
    await writeRobomimic(path, [episode(4, 0, true), episode(3, 100, false)], { task: 'pendulum', obsDim: D, actDim: A });
    const summary = await inspectDataset(path);
    expect(summary).toMatchObject({ format: 'robomimic', steps: 7, warnings: [], attributes: { total: 7, env_args: { env_name: 'pendulum' } } });
    const reader = await openLocalDataset(path);
    expect(reader.summary.roles).toMatchObject({ observation: ['obs/state'], nextObservation: ['next_obs/state'], action: 'actions', reward: 'rewards', terminated: 'dones' });
    const batch = await toTransitions(reader);
    expect(batch.size).toBe(7);
    expect(Array.from(batch.obs.subarray(0, 3))).toEqual([0, 1, 2]);
    expect(Array.from(batch.nextObs.subarray(3 * 3, 4 * 3))).toEqual([12, 13, 14]);
    expect(batch.obs[4 * 3]).toBe(100);
    expect(Array.from(batch.reward.subarray(0, 4))).toEqual([0, 0.5, 1, 1.5]);
    // robomimic's dones also mark each episode's last step.
    expect(Array.from(batch.terminated)).toEqual([0, 0, 0, 1, 0, 0, 1]);
    await reader.close();
  });
});
