/**
 * The dataset readers on real files: each layout written with h5wasm / hyparquet-writer / fflate,
 * read back by slices; broken copies give one-line DatasetErrors naming file, array and problem;
 * nothing is ever written to the inputs.
 */
import { mkdirSync, mkdtempSync, readFileSync, readdirSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { inspectDataset, openLocalDataset } from '../../../src-main/engine/datasets';
import { DatasetError, type NumericArray, toTransitions } from '../../../src-main/mbrl/data/formats';
import { lerobotV2Files, lerobotV3Files, value } from '../../fixtures/datasets/bytes';
import { randomFile, sha256, truncatedCopy, writeD4rl, writeFiles, writeMinari, writeReplayNpz, writeRobomimic } from '../../fixtures/datasets/write-datasets';

let dir: string;

/** A copy of `src` with bytes [from, to) overwritten by a fixed pattern. */
function corruptCopy(src: string, dst: string, from: number, to: number): string {
  const bytes = readFileSync(src);
  for (let i = from; i < Math.min(to, bytes.length); i++) bytes[i] = (i * 7) & 255;
  writeFileSync(dst, bytes);
  return dst;
}
const at = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mbrl-datasets-'));
  await writeRobomimic(at('robomimic.hdf5'), [5, 4, 6]);
  await writeD4rl(at('d4rl.hdf5'), [5, 4, 3]);
  await writeMinari(at('minari'), [5, 4]);
  writeReplayNpz(at('buffer.npz'), [5, 4]);
  writeReplayNpz(at('buffer-compressed.npz'), [5, 4], { compress: true });
  writeFiles(at('lerobot-v2'), lerobotV2Files([5, 4]));
  writeFiles(at('lerobot-v3'), lerobotV3Files([5, 4, 3], 2));
});

/** Elements as a plain array (bigints stay bigints). */
const list = (a: NumericArray) => Array.from(a as ArrayLike<number | bigint>);

/** Float32 rounding of value(). */
const f32 = (v: number) => Math.fround(v);

describe('reading each layout', () => {
  it('robomimic: demos in order, image obs as uint8 [T, H, W, 3], env_args and masks, slices of one demo', async () => {
    const reader = await openLocalDataset(at('robomimic.hdf5'));
    const s = reader.summary;
    expect(s.format).toBe('robomimic');
    expect(s.episodes.map((e) => [e.name, e.length])).toEqual([['demo_0', 5], ['demo_1', 4], ['demo_2', 6]]);
    expect(s.steps).toBe(15);
    expect(s.arrays['data/demo_1/obs/agentview_image']).toEqual({ shape: [4, 8, 8, 3], dtype: 'uint8' });
    expect(s.arrays['data/demo_2/actions']).toEqual({ shape: [6, 2], dtype: 'float64' });
    expect(s.fields['obs/robot0_eef_pos']).toEqual({ shape: [3], dtype: 'float64', rows: 'steps' });
    expect(s.attributes.env_args).toMatchObject({ env_name: 'Lift' });
    expect(s.attributes.masks).toEqual({ train: ['demo_0', 'demo_1'], valid: ['demo_2'] });
    expect(s.roles).toMatchObject({ observation: ['obs/robot0_eef_pos'], nextObservation: ['next_obs/robot0_eef_pos'], action: 'actions', reward: 'rewards' });
    expect(s.warnings).toEqual([]);
    const ep = await reader.readEpisode(2, ['actions', 'obs/agentview_image'], { start: 1, end: 3 });
    expect(ep.actions.shape).toEqual([2, 2]);
    expect(list(ep.actions.data)).toEqual([value(2, 1, 10), value(2, 1, 11), value(2, 2, 10), value(2, 2, 11)]);
    expect(ep['obs/agentview_image'].data).toBeInstanceOf(Uint8Array);
    expect(ep['obs/agentview_image'].shape).toEqual([2, 8, 8, 3]);
    await reader.close();
  });

  it('D4RL: flat arrays split into episodes at terminals or timeouts', async () => {
    const reader = await openLocalDataset(at('d4rl.hdf5'));
    const s = reader.summary;
    expect(s.format).toBe('d4rl');
    expect(s.episodes.map((e) => e.length)).toEqual([5, 4, 3]);
    expect(s.arrays['infos/qpos']).toEqual({ shape: [12, 2], dtype: 'float64' });
    expect(s.arrays['metadata/algorithm'].dtype).toBe('string');
    const ep = await reader.readEpisode(1, ['observations', 'next_observations']);
    expect(ep.observations.shape).toEqual([4, 3]);
    expect(ep.observations.data[3]).toBeCloseTo(f32(value(1, 1, 0)), 5);
    expect(ep.next_observations.data[0]).toBeCloseTo(f32(value(1, 1, 0)), 5);
    await reader.close();
  });

  it('D4RL without timeouts: split at terminals only, with a warning, and the tail kept as a partial episode', async () => {
    await writeD4rl(at('d4rl-no-timeouts.hdf5'), [5, 4, 3], { noTimeouts: true });
    const reader = await openLocalDataset(at('d4rl-no-timeouts.hdf5'));
    expect(reader.summary.episodes.map((e) => e.length)).toEqual([5, 7]);
    expect(reader.summary.warnings.join('\n')).toMatch(/no timeouts\/truncated array/);
    expect(reader.summary.warnings.join('\n')).toMatch(/last 7 steps end without a terminal/);
    await reader.close();
  });

  it('Minari: the folder or its main_data.hdf5; observations hold T+1 rows', async () => {
    for (const path of [at('minari'), join(at('minari'), 'data', 'main_data.hdf5')]) {
      const reader = await openLocalDataset(path);
      const s = reader.summary;
      expect(s.format).toBe('minari');
      expect(s.episodes.map((e) => e.length)).toEqual([5, 4]);
      expect(s.fields.observations.rows).toBe('steps+1');
      expect(s.attributes.dataset_id).toBe('test/pointmaze-v0');
      expect(s.warnings).toEqual([]);
      const ep = await reader.readEpisode(1, ['observations', 'actions']);
      expect(ep.observations.shape).toEqual([5, 3]);
      expect(ep.actions.shape).toEqual([4, 2]);
      await reader.close();
    }
  });

  it.each(['buffer.npz', 'buffer-compressed.npz'])('NumPy replay buffer %s (stored and deflated members)', async (name) => {
    const reader = await openLocalDataset(at(name));
    const s = reader.summary;
    expect(s.format).toBe('npz');
    expect(s.arrays).toMatchObject({ obs: { shape: [9, 3], dtype: 'float32' }, terminated: { shape: [9], dtype: 'bool' } });
    expect(s.episodes.map((e) => e.length)).toEqual([5, 4]);
    // Backward and forward reads (a deflated member restarts its stream on a backward read).
    const late = await reader.readArray('obs', 7, 9);
    const early = await reader.readArray('obs', 0, 1);
    expect(late[0]).toBeCloseTo(f32(value(1, 2, 0)), 5);
    expect(early[2]).toBeCloseTo(f32(value(0, 0, 2)), 5);
    await reader.close();
  });

  it('a lone .npy: one array, one episode', async () => {
    const { npyBytes } = await import('../../fixtures/datasets/bytes');
    writeFileSync(at('obs.npy'), npyBytes(Float32Array.from({ length: 12 }, (_, i) => i), [4, 3]));
    const s = await inspectDataset(at('obs.npy'));
    expect(s).toMatchObject({ format: 'npy', steps: 4, arrays: { obs: { shape: [4, 3], dtype: 'float32' } } });
  });

  it.each([
    ['lerobot-v2', 'lerobot-v2', [5, 4]],
    ['lerobot-v3', 'lerobot-v3', [5, 4, 3]],
  ])('LeRobot %s: features from info.json, frames from Parquet, video listed but not read', async (name, format, lengths) => {
    const reader = await openLocalDataset(at(name));
    const s = reader.summary;
    const total = lengths.reduce((a, b) => a + b, 0);
    expect(s.format).toBe(format);
    expect(s.episodes.map((e) => e.length)).toEqual(lengths);
    expect(s.arrays['observation.state']).toEqual({ shape: [total, 3], dtype: 'float32' });
    expect(s.arrays['observation.images.top']).toEqual({ shape: [total, 48, 64, 3], dtype: 'video' });
    expect(s.fields['observation.images.top']).toBeUndefined();
    expect(s.warnings.join('\n')).toMatch(/observation\.images\.top/);
    expect(s.attributes.fps).toBe(10);
    const last = lengths.length - 1;
    const ep = await reader.readEpisode(last, ['observation.state', 'action', 'frame_index'], { start: 1, end: 3 });
    expect(list(ep['observation.state'].data)).toEqual([0, 1, 2, 0, 1, 2].map((j, k) => f32(value(last, 1 + Math.floor(k / 3), j))));
    expect(list(ep.frame_index.data)).toEqual([1n, 2n]);
    // A global read across episode (and, in v3, data file) boundaries.
    const steps = lengths.flatMap((T, e) => Array.from({ length: T }, (_, t) => [e, t]));
    const across = await reader.readArray('action', 3, total);
    expect(list(across)).toEqual(steps.slice(3).flatMap(([e, t]) => [f32(value(e, t, 10)), f32(value(e, t, 11))]));
    await reader.close();
  });

  it('toTransitions: (s, a, r, s′) for training from any layout', async () => {
    for (const [name, size] of [['robomimic.hdf5', 15], ['d4rl.hdf5', 12], ['minari', 9], ['buffer.npz', 9], ['lerobot-v2', 7]] as const) {
      const reader = await openLocalDataset(at(name));
      const batch = await toTransitions(reader);
      expect(batch.size, name).toBe(size);
      expect(batch.obsDim, name).toBe(3);
      expect(batch.actDim, name).toBe(2);
      // s′ of the first transition is s of the second, within the first episode.
      expect(batch.nextObs[0], name).toBeCloseTo(batch.obs[3], 4);
      await reader.close();
    }
  });
});

/** [name, make the broken file (returns its path), message pattern]. */
const BROKEN: Array<[string, () => Promise<string> | string, RegExp]> = [
  ['robomimic truncated at half', () => truncatedCopy(at('robomimic.hdf5'), at('rm-half.hdf5'), statSync(at('robomimic.hdf5')).size >> 1), /rm-half\.hdf5: truncated: \d+ bytes, the HDF5 superblock says \d+/],
  ['robomimic truncated by one byte', () => truncatedCopy(at('robomimic.hdf5'), at('rm-minus1.hdf5'), statSync(at('robomimic.hdf5')).size - 1), /rm-minus1\.hdf5: truncated/],
  ['robomimic truncated at 100 bytes', () => truncatedCopy(at('robomimic.hdf5'), at('rm-100.hdf5'), 100), /rm-100\.hdf5: truncated/],
  ['robomimic truncated in the signature', () => truncatedCopy(at('robomimic.hdf5'), at('rm-5.hdf5'), 5), /rm-5\.hdf5: not an HDF5 file/],
  ['robomimic with garbage in the middle', () => corruptCopy(at('robomimic.hdf5'), at('rm-corrupt.hdf5'), 800, 2000), /rm-corrupt\.hdf5: (\S+: )?corrupt HDF5 data \(/],
  ['random bytes named .hdf5', () => randomFile(at('random.hdf5')), /random\.hdf5: not an HDF5 file/],
  ['an empty .hdf5', () => (writeFileSync(at('empty.hdf5'), ''), at('empty.hdf5')), /empty\.hdf5: empty file/],
  ['robomimic actions one row short', async () => (await writeRobomimic(at('rm-short.hdf5'), [5, 4], { shortActions: 1 }), at('rm-short.hdf5')), /rm-short\.hdf5: data\/demo_1\/actions: shape mismatch: 3 rows, data\/demo_1\/obs\/\w+ has 4/],
  ['robomimic NaN in rewards', async () => (await writeRobomimic(at('rm-nan.hdf5'), [5, 4], { nanReward: 1 }), at('rm-nan.hdf5')), /rm-nan\.hdf5: data\/demo_1\/rewards: NaN at row 1/],
  ['robomimic without its data group', async () => (await writeRobomimic(at('rm-nodata.hdf5'), [5, 4], { noData: true }), at('rm-nodata.hdf5')), /rm-nodata\.hdf5: missing required group 'data'/],
  ['D4RL actions one row short', async () => (await writeD4rl(at('d4-short.hdf5'), [5, 4], { shortActions: 0 }), at('d4-short.hdf5')), /d4-short\.hdf5: actions: shape mismatch: 8 rows, observations has 9/],
  ['D4RL NaN in rewards', async () => (await writeD4rl(at('d4-nan.hdf5'), [5, 4], { nanReward: 1 }), at('d4-nan.hdf5')), /d4-nan\.hdf5: rewards: NaN at row 6 \(episode_1 step 1\)/],
  ['Minari actions one row short', async () => (await writeMinari(at('minari-short'), [5, 4], { shortActions: 1 }), at('minari-short')), /main_data\.hdf5: episode_1\/actions: shape mismatch: 3 rows/],
  ['Minari NaN in rewards', async () => (await writeMinari(at('minari-nan'), [5, 4], { nanReward: 0 }), at('minari-nan')), /minari-nan\/data\/main_data\.hdf5: episode_0\/rewards: NaN at row 1/],
  ['Minari main_data.hdf5 truncated', () => (mkdirSync(join(at('minari-cut'), 'data'), { recursive: true }), truncatedCopy(join(at('minari'), 'data', 'main_data.hdf5'), join(at('minari-cut'), 'data', 'main_data.hdf5'), 3000), at('minari-cut')), /minari-cut\/data\/main_data\.hdf5: truncated/],
  ['npz truncated at half', () => truncatedCopy(at('buffer.npz'), at('npz-half.npz'), statSync(at('buffer.npz')).size >> 1), /npz-half\.npz: not an \.npz \(zip\) archive, or truncated/],
  ['compressed npz truncated near the end', () => truncatedCopy(at('buffer-compressed.npz'), at('npzc-cut.npz'), statSync(at('buffer-compressed.npz')).size - 30), /npzc-cut\.npz: not an \.npz \(zip\) archive, or truncated/],
  ['random bytes named .npz', () => randomFile(at('random.npz')), /random\.npz: not an \.npz \(zip\) archive/],
  ['an empty .npz', () => (writeFileSync(at('empty.npz'), ''), at('empty.npz')), /empty\.npz: empty file/],
  ['npz actions one row short', () => (writeReplayNpz(at('npz-short.npz'), [5, 4], { shortActions: 0 }), at('npz-short.npz')), /npz-short\.npz: action: shape mismatch: 8 rows, obs has 9/],
  ['npz NaN in rewards', () => (writeReplayNpz(at('npz-nan.npz'), [5, 4], { nanReward: 1, compress: true }), at('npz-nan.npz')), /npz-nan\.npz: reward: NaN at row 6 \(episode_1 step 1\)/],
  ['npy truncated', () => truncatedCopy(at('obs.npy'), at('obs-cut.npy'), 140), /obs-cut\.npy: truncated: the header says \[4, 3\] float32 \(48 bytes of data\), 12 bytes are there/],
  ['random bytes named .npy', () => randomFile(at('random.npy')), /random\.npy: not a \.npy file/],
  ['LeRobot v2 Parquet truncated', () => (writeFiles(at('lr2-cut'), lerobotV2Files([5, 4])), truncatedCopy(join(at('lerobot-v2'), 'data/chunk-000/episode_000001.parquet'), join(at('lr2-cut'), 'data/chunk-000/episode_000001.parquet'), 200), at('lr2-cut')), /episode_000001\.parquet: truncated Parquet file/],
  ['LeRobot v2 random bytes as Parquet', () => (writeFiles(at('lr2-rand'), lerobotV2Files([5, 4])), randomFile(join(at('lr2-rand'), 'data/chunk-000/episode_000000.parquet')), at('lr2-rand')), /episode_000000\.parquet: not a Parquet file/],
  ['LeRobot v2 action row short', () => (writeFiles(at('lr2-short'), lerobotV2Files([5, 4], { shortActionEpisode: 1 })), at('lr2-short')), /episode_000001\.parquet: action: shape mismatch: row 3 has 1 values, expected 2/],
  ['LeRobot v3 NaN in next.reward', () => (writeFiles(at('lr3-nan'), lerobotV3Files([5, 4, 3], 2, { nanRewardEpisode: 2 })), at('lr3-nan')), /lr3-nan\/data\/chunk-000\/file-001\.parquet: next\.reward: NaN at row 10 \(episode_2 frame 1\)/],
  ['LeRobot info.json truncated', () => (writeFiles(at('lr-badinfo'), { ...lerobotV2Files([5]), 'meta/info.json': '{"codebase_version": "v2.1", "feat' }), at('lr-badinfo')), /meta\/info\.json: not valid JSON/],
  ['LeRobot without episodes.jsonl', () => {
    const files = lerobotV2Files([5]);
    delete files['meta/episodes.jsonl'];
    writeFiles(at('lr-noeps'), files);
    return at('lr-noeps');
  }, /meta\/episodes\.jsonl: missing required file/],
  ['a folder that is no dataset', () => (mkdirSync(at('nothing'), { recursive: true }), at('nothing')), /nothing: not a recognized dataset folder/],
  ['a path that does not exist', () => at('no-such-file.hdf5'), /no-such-file\.hdf5: no such file or folder/],
];

describe('broken files', () => {
  it.each(BROKEN)('%s → one-line DatasetError', async (_name, make, pattern) => {
    const path = await make();
    const error = await inspectDataset(path).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(DatasetError);
    const message = (error as Error).message;
    expect(message).toMatch(pattern);
    expect(message).not.toContain('\n');
    expect(message.length).toBeLessThan(300);
  });

  it('the engine keeps serving after every broken file: a good dataset still opens and reads', async () => {
    for (const [, make] of BROKEN) await inspectDataset(await make()).catch(() => undefined);
    const summary = await inspectDataset(at('robomimic.hdf5'));
    expect(summary.episodes).toHaveLength(3);
    const reader = await openLocalDataset(at('lerobot-v3'));
    expect((await reader.readArray('observation.state', 0, 12)).length).toBe(36);
    await reader.close();
  });

  it('inspect opens every input read-only: contents, sizes and folder listings unchanged', async () => {
    const inputs = ['robomimic.hdf5', 'd4rl.hdf5', 'minari', 'buffer.npz', 'buffer-compressed.npz', 'lerobot-v2', 'lerobot-v3', 'rm-half.hdf5', 'random.hdf5', 'npz-half.npz', 'lr2-cut'];
    const files = (p: string): string[] => (statSync(p).isDirectory() ? readdirSync(p).flatMap((n) => files(join(p, n))) : [p]);
    const snapshot = () => Object.fromEntries(inputs.flatMap((i) => files(at(i))).map((f) => [f, `${sha256(f)} ${statSync(f).mtimeMs}`]));
    const before = snapshot();
    for (const input of inputs) await inspectDataset(at(input)).catch(() => undefined);
    expect(snapshot()).toEqual(before);
  });
});
