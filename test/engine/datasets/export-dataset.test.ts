/**
 * `dataset export`: a robomimic fixture → .npz and → robomimic, re-opened with openLocalDataset and
 * compared array by array (float32 of the source, exactly); subsets; the T+1 rule for Minari and
 * .npz inputs; errors leave no output and the input untouched.
 */
import { existsSync, mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { openLocalDataset } from '../../../src-main/engine/datasets';
import { exportDataset } from '../../../src-main/engine/datasets/export-dataset';
import { DatasetError, type NumericArray } from '../../../src-main/mbrl/data/formats';
import { sha256, writeMinari, writeReplayNpz, writeRobomimic } from '../../fixtures/datasets/write-datasets';

let dir: string;
const at = (name: string) => join(dir, name);
const list = (a: NumericArray) => Array.from(a as ArrayLike<number>, Number);
const f32 = (a: NumericArray) => Array.from(Float32Array.from(a as ArrayLike<number>));

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mbrl-export-'));
  await writeRobomimic(at('rm.hdf5'), [5, 4, 6]);
  await writeMinari(at('minari'), [5, 4]);
  writeReplayNpz(at('buffer.npz'), [5, 4]);
});

/** The source's episodes as the exporter should see them (robomimic fixture: obs/robot0_eef_pos, next_obs twin). */
async function source(episodes: number[]) {
  const reader = await openLocalDataset(at('rm.hdf5'));
  const out = { obs: [] as number[], next: [] as number[], act: [] as number[], reward: [] as number[], dones: [] as number[] };
  for (const e of episodes) {
    const d = await reader.readEpisode(e, ['obs/robot0_eef_pos', 'next_obs/robot0_eef_pos', 'actions', 'rewards', 'dones']);
    out.obs.push(...f32(d['obs/robot0_eef_pos'].data));
    out.next.push(...f32(d['next_obs/robot0_eef_pos'].data));
    out.act.push(...f32(d.actions.data));
    out.reward.push(...f32(d.rewards.data));
    out.dones.push(...list(d.dones.data));
  }
  await reader.close();
  return out;
}

describe('exportDataset', () => {
  it('robomimic → .npz: replay-buffer layout, every array equal to the source in float32, episodes kept', async () => {
    const before = sha256(at('rm.hdf5'));
    const result = await exportDataset(at('rm.hdf5'), { to: 'npz', out: at('rm.npz') });
    expect(result).toEqual({ episodes: 3, steps: 15, obsDim: 3, actDim: 2, skipped: [] });
    expect(sha256(at('rm.hdf5'))).toBe(before);
    const src = await source([0, 1, 2]);
    const reader = await openLocalDataset(at('rm.npz'));
    const s = reader.summary;
    expect(s.format).toBe('npz');
    expect(s.arrays).toEqual({
      obs: { shape: [15, 3], dtype: 'float32' },
      next_obs: { shape: [15, 3], dtype: 'float32' },
      action: { shape: [15, 2], dtype: 'float32' },
      reward: { shape: [15], dtype: 'float32' },
      terminated: { shape: [15], dtype: 'bool' },
      truncated: { shape: [15], dtype: 'bool' },
    });
    expect(s.episodes.map((e) => e.length)).toEqual([5, 4, 6]);
    expect(list(await reader.readArray('obs', 0, 15))).toEqual(src.obs);
    expect(list(await reader.readArray('next_obs', 0, 15))).toEqual(src.next);
    expect(list(await reader.readArray('action', 0, 15))).toEqual(src.act);
    expect(list(await reader.readArray('reward', 0, 15))).toEqual(src.reward);
    // robomimic's dones (the last step of each demo) become terminated.
    expect(list(await reader.readArray('terminated', 0, 15))).toEqual(src.dones);
    expect(list(await reader.readArray('truncated', 0, 15))).toEqual(new Array(15).fill(0));
    await reader.close();
  });

  it('robomimic → robomimic (--episodes subset): only those demos, obs/next_obs/actions/rewards equal', async () => {
    const result = await exportDataset(at('rm.hdf5'), { to: 'robomimic', out: at('rm-sub.hdf5'), episodes: '0,2' });
    expect(result).toMatchObject({ episodes: 2, steps: 11 });
    const src = await source([0, 2]);
    const reader = await openLocalDataset(at('rm-sub.hdf5'));
    const s = reader.summary;
    expect(s.format).toBe('robomimic');
    expect(s.episodes.map((e) => [e.name, e.length])).toEqual([['demo_0', 5], ['demo_1', 6]]);
    expect(s.attributes.env_args).toMatchObject({ env_name: 'Lift' });
    const got = { obs: [] as number[], next: [] as number[], act: [] as number[], reward: [] as number[], dones: [] as number[] };
    for (const e of [0, 1]) {
      const d = await reader.readEpisode(e, ['obs/state', 'next_obs/state', 'actions', 'rewards', 'dones']);
      got.obs.push(...list(d['obs/state'].data));
      got.next.push(...list(d['next_obs/state'].data));
      got.act.push(...list(d.actions.data));
      got.reward.push(...list(d.rewards.data));
      got.dones.push(...list(d.dones.data));
    }
    expect(got).toEqual(src);
    await reader.close();
  });

  it('.npz → robomimic → .npz round trip is exact, episode boundaries kept', async () => {
    await exportDataset(at('buffer.npz'), { to: 'robomimic', out: at('buf.hdf5') });
    await exportDataset(at('buf.hdf5'), { to: 'npz', out: at('buf2.npz') });
    const a = await openLocalDataset(at('buffer.npz'));
    const b = await openLocalDataset(at('buf2.npz'));
    expect(b.summary.episodes.map((e) => e.length)).toEqual(a.summary.episodes.map((e) => e.length));
    for (const name of ['obs', 'next_obs', 'action', 'reward']) expect(list(await b.readArray(name, 0, 9))).toEqual(list(await a.readArray(name, 0, 9)));
    await a.close();
    await b.close();
  });

  it('Minari (T+1 observations) → .npz: T transitions per episode, s′ = the next row, truncated at episode ends', async () => {
    await exportDataset(at('minari'), { to: 'npz', out: at('minari.npz'), episodes: [1] });
    const src = await openLocalDataset(at('minari'));
    const d = await src.readEpisode(1, ['observations', 'actions']);
    const r = await openLocalDataset(at('minari.npz'));
    expect(r.summary.episodes.map((e) => e.length)).toEqual([4]);
    expect(list(await r.readArray('obs', 0, 4))).toEqual(f32(d.observations.data).slice(0, 12));
    expect(list(await r.readArray('next_obs', 0, 4))).toEqual(f32(d.observations.data).slice(3));
    expect(list(await r.readArray('action', 0, 4))).toEqual(f32(d.actions.data));
    expect(list(await r.readArray('truncated', 0, 4))).toEqual([0, 0, 0, 1]);
    await src.close();
    await r.close();
  });

  it('--state picks and concatenates fields; --action names the action', async () => {
    const result = await exportDataset(at('rm.hdf5'), { to: 'npz', out: at('rm-states.npz'), state: ['states', 'obs/robot0_eef_pos'], action: 'actions', episodes: [1] });
    // 'states' has no stored next: s′ from the next row, T − 1 transitions.
    expect(result).toMatchObject({ episodes: 1, steps: 3, obsDim: 7, actDim: 2 });
  });

  it.each([
    [{ state: ['obs/nope'] }, /rm\.hdf5: obs\/nope: --state: no such field/],
    [{ action: 'nope' }, /rm\.hdf5: nope: --action: no such field/],
    [{ episodes: '0,x' }, /rm\.hdf5: --episodes: 'x' is not an episode index/],
    [{ episodes: '9' }, /rm\.hdf5: --episodes: episode 9 is out of range/],
  ])('%o: one-line DatasetError naming the file, no output file', async (extra, pattern) => {
    const out = at('bad.npz');
    const error = await exportDataset(at('rm.hdf5'), { to: 'npz', out, ...extra }).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).not.toContain('\n');
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.endsWith('.tmp'))).toEqual([]);
  });

  it('refuses to write over the input, and names an unwritable output', async () => {
    await expect(exportDataset(at('buffer.npz'), { to: 'npz', out: at('buffer.npz') })).rejects.toThrow(/--out must not be the input/);
    const error = await exportDataset(at('rm.hdf5'), { to: 'npz', out: join(dir, 'no-dir', 'x.npz') }).then(() => undefined, (e: unknown) => e);
    expect((error as Error).message).toMatch(/no-dir\/x\.npz: .*ENOENT/);
    const error2 = await exportDataset(at('rm.hdf5'), { to: 'robomimic', out: join(dir, 'no-dir', 'x.hdf5') }).then(() => undefined, (e: unknown) => e);
    expect(error2).toBeInstanceOf(DatasetError);
    expect((error2 as Error).message).toMatch(/no-dir\/x\.hdf5: /);
  });
});
