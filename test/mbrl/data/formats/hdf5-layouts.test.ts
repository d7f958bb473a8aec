/**
 * robomimic, D4RL-style flat arrays and Minari, parsed from in-memory group trees (the parsers never
 * see h5wasm: the engine adapts it to ArrayGroup).
 */
import { describe, expect, it } from 'vitest';
import { type DatasetReader, LayoutReader, openDataset } from '../../../../src-main/mbrl/data/formats';
import { readFlatLayout } from '../../../../src-main/mbrl/data/formats/flat-layout';
import { readMinari } from '../../../../src-main/mbrl/data/formats/minari';
import { readRobomimic } from '../../../../src-main/mbrl/data/formats/robomimic';
import { type Tree, f64, memoryArray, memoryGroup, memoryLocation, u8 } from './memory-sources';

const close = async () => {};

function demo(T: number, base: number): Tree {
  return {
    actions: f64(T, 2, base),
    rewards: f64(T, 0, base),
    dones: u8(Array.from({ length: T }, (_, t) => (t === T - 1 ? 1 : 0))),
    obs: { object: f64(T, 4, base), eef_pos: f64(T, 3, base), image: memoryArray(new Uint8Array(T * 12), [T, 2, 2, 3], 'uint8') },
    next_obs: { object: f64(T, 4, base + 1), eef_pos: f64(T, 3, base + 1), image: memoryArray(new Uint8Array(T * 12), [T, 2, 2, 3], 'uint8') },
  };
}

describe('robomimic', () => {
  const tree = (demos: Record<string, Tree>): Tree => ({ data: demos, mask: { train: memoryArray(['demo_2', 'demo_10'], [2], 'string'), valid: memoryArray(['demo_99'], [1], 'string') } });

  it('orders demos by number, finds roles (low-dim obs, not images), reads masks and warns on what disagrees', async () => {
    const root = memoryGroup(tree({ demo_10: demo(3, 100), demo_2: demo(4, 0) }), { data: { total: 8, env_args: '{"env_name": "Lift"}' }, 'data/demo_2': { num_samples: 5 } });
    const reader = new LayoutReader(await readRobomimic(root, 'rm.hdf5', close));
    const s = reader.summary;
    expect(s.episodes.map((e) => e.name)).toEqual(['demo_2', 'demo_10']);
    expect(s.steps).toBe(7);
    expect(s.roles).toEqual({ observation: ['obs/eef_pos', 'obs/object'], nextObservation: ['next_obs/eef_pos', 'next_obs/object'], action: 'actions', reward: 'rewards', terminated: 'dones' });
    expect(s.attributes).toMatchObject({ env_args: { env_name: 'Lift' }, total: 8, masks: { train: ['demo_2', 'demo_10'], valid: ['demo_99'] } });
    expect(s.warnings).toEqual([
      'data/demo_2: attribute num_samples = 5, actions has 4 rows',
      'data attribute total = 8, the demos hold 7 steps',
      'mask/valid names 1 demo(s) not in data/ (demo_99)',
    ]);
    expect(s.arrays['data/demo_10/obs/image']).toEqual({ shape: [3, 2, 2, 3], dtype: 'uint8' });
  });

  it('rejects a demo without actions, a row mismatch, and a per-step shape that changes between demos', async () => {
    const { actions: _, ...noActions } = demo(3, 0);
    await expect(readRobomimic(memoryGroup(tree({ demo_0: noActions })), 'rm.hdf5', close)).rejects.toThrow("rm.hdf5: data/demo_0: missing required array 'actions'");
    const short = { ...demo(4, 0), actions: f64(3, 2) };
    await expect(readRobomimic(memoryGroup(tree({ demo_0: short })), 'rm.hdf5', close)).rejects.toThrow(/^rm\.hdf5: data\/demo_0\/actions: shape mismatch: 3 rows, data\/demo_0\/obs\/\w+ has 4$/);
    const wide = { ...demo(4, 0), actions: f64(4, 5) };
    await expect(readRobomimic(memoryGroup(tree({ demo_0: demo(3, 0), demo_1: wide })), 'rm.hdf5', close)).rejects.toThrow(/data\/demo_1\/actions: shape mismatch: \[5\] float64 per step, earlier demos have \[2\] float64/);
    await expect(readRobomimic(memoryGroup({ mask: {} }), 'rm.hdf5', close)).rejects.toThrow("rm.hdf5: missing required group 'data'");
  });
});

describe('flat transitions (D4RL, replay buffers)', () => {
  const flags = (n: number, at: number[]) => u8(Array.from({ length: n }, (_, i) => (at.includes(i) ? 1 : 0)));

  it('splits episodes after each terminal or timeout; a trailing run is a partial episode', async () => {
    const root = memoryGroup({ observations: f64(10, 3), actions: f64(10, 2), rewards: f64(10, 0), terminals: flags(10, [2]), timeouts: flags(10, [6]), infos: { qpos: f64(10, 2) } });
    const reader = new LayoutReader(await readFlatLayout(root, 'd.hdf5', 'd4rl', close));
    expect(reader.summary.episodes.map((e) => e.length)).toEqual([3, 4, 3]);
    expect(reader.summary.warnings).toEqual(['the last 3 steps end without a terminal or timeout flag: kept as a partial episode']);
    const ep = await reader.readEpisode(1, ['observations', 'infos/qpos'], { start: 1, end: 10 });
    expect(ep.observations.shape).toEqual([3, 3]);
    expect(ep.observations.data[0]).toBe(4); // global row 3 + 1
    expect(reader.describeRow('rewards', 7)).toBe('episode_2 step 0');
  });

  it('names the array whose rows disagree, and the missing required one', async () => {
    await expect(readFlatLayout(memoryGroup({ observations: f64(10, 3), actions: f64(10, 2), infos: { qpos: f64(9, 2) } }), 'd.hdf5', 'd4rl', close)).rejects.toThrow('d.hdf5: infos/qpos: shape mismatch: 9 rows, observations has 10');
    await expect(readFlatLayout(memoryGroup({ observations: f64(10, 3) }), 'd.hdf5', 'd4rl', close)).rejects.toThrow("d.hdf5: missing required array 'actions' or 'action'");
    await expect(readFlatLayout(memoryGroup({ obs: f64(4, 3), next_obs: f64(4, 2), action: f64(4, 1) }), 'b.npz', 'npz', close)).rejects.toThrow('b.npz: next_obs: shape mismatch: [2] per step, obs has [3]');
  });

  it('without flags: one episode, with a warning', async () => {
    const reader = new LayoutReader(await readFlatLayout(memoryGroup({ obs: f64(5, 3), action: f64(5, 1) }), 'b.npz', 'npz', close));
    expect(reader.summary.episodes.map((e) => e.length)).toEqual([5]);
    expect(reader.summary.warnings.join()).toMatch(/one episode of 5 steps/);
  });
});

describe('Minari', () => {
  const episode = (T: number, obsRows = T + 1): Tree => ({ observations: f64(obsRows, 3), actions: f64(T, 2), rewards: f64(T, 0), terminations: u8(Array(T).fill(0)), truncations: u8(Array(T).fill(0)), infos: { success: u8(Array(T + 1).fill(0)) } });

  it('T+1 observations per episode; dict observations as subgroups; metadata checked', async () => {
    const dictObs = { ...episode(2), observations: { achieved_goal: f64(3, 2), observation: f64(3, 4) } };
    const root = memoryGroup({ episode_0: { ...episode(3), observations: { achieved_goal: f64(4, 2), observation: f64(4, 4) } }, episode_1: dictObs });
    const reader = new LayoutReader(await readMinari(root, { total_episodes: 2, total_steps: 6 }, 'main_data.hdf5', close));
    const s = reader.summary;
    expect(s.episodes.map((e) => e.length)).toEqual([3, 2]);
    expect(s.fields['observations/observation']).toEqual({ shape: [4], dtype: 'float64', rows: 'steps+1' });
    expect(s.fields['infos/success'].rows).toBe('steps+1');
    expect(s.roles.observation).toEqual(['observations/achieved_goal', 'observations/observation']);
    expect(s.warnings).toEqual(['metadata.json says 6 steps, main_data.hdf5 has 5']);
    const ep = await reader.readEpisode(0, ['observations/observation', 'actions']);
    expect(ep['observations/observation'].shape).toEqual([4, 4]);
    expect(ep.actions.shape).toEqual([3, 2]);
  });

  it('blames the array that breaks T+1', async () => {
    await expect(readMinari(memoryGroup({ episode_0: episode(3, 3) }), undefined, 'm.hdf5', close)).rejects.toThrow(/m\.hdf5: episode_0\/observations: shape mismatch: 3 rows, expected 4/);
    await expect(readMinari(memoryGroup({ episode_0: { ...episode(3), actions: f64(2, 2) } }), undefined, 'm.hdf5', close)).rejects.toThrow(/episode_0\/actions: shape mismatch: 2 rows/);
  });
});

describe('openDataset picks the parser from the layout', () => {
  const open = (root: Tree): Promise<DatasetReader> => openDataset({ ...memoryLocation('x.hdf5', {}, { '': memoryGroup(root) }), isDirectory: false });

  it('robomimic, Minari, D4RL, or a one-line refusal', async () => {
    expect((await open({ data: { demo_0: demo(2, 0) } })).summary.format).toBe('robomimic');
    expect((await open({ episode_0: { observations: f64(3, 1), actions: f64(2, 1) } })).summary.format).toBe('minari');
    expect((await open({ observations: f64(3, 1), actions: f64(3, 1) })).summary.format).toBe('d4rl');
    await expect(open({ something: f64(3, 1) })).rejects.toThrow(/^x\.hdf5: not a recognized layout: missing 'data' group \(robomimic\)/);
  });

  it('a folder: Minari from data/main_data.hdf5 with its metadata.json; else a refusal naming what is missing', async () => {
    const loc = memoryLocation('pointmaze', { 'data/metadata.json': JSON.stringify({ total_episodes: 1 }) }, { 'data/main_data.hdf5': memoryGroup({ episode_0: { observations: f64(3, 1), actions: f64(2, 1) } }) });
    const reader = await openDataset(loc);
    expect(reader.summary).toMatchObject({ format: 'minari', path: 'pointmaze', attributes: { total_episodes: 1 } });
    expect(reader.fileOf('episode_0/actions', 0)).toBe('pointmaze/data/main_data.hdf5');
    await expect(openDataset(memoryLocation('empty', { 'README.md': 'hi' }))).rejects.toThrow(/^empty: not a recognized dataset folder/);
  });
});
