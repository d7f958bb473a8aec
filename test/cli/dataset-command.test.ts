import { spawnSync } from 'node:child_process';
import { mkdtempSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { datasetCommand } from '../../src-main/cli/dataset-command';
import { CliError } from '../../src-main/cli/spec-file';
import { lerobotV2Files, lerobotV3Files } from '../fixtures/datasets/bytes';
import { randomFile, sha256, truncatedCopy, writeD4rl, writeFiles, writeMinari, writeReplayNpz, writeRobomimic } from '../fixtures/datasets/write-datasets';

const CLI = join(__dirname, '..', '..', 'bin', 'mbrl-lab.mjs');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

let dir: string;
const at = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mbrl-cli-dataset-'));
  await writeRobomimic(at('robomimic.hdf5'), [5, 4]);
  await writeRobomimic(at('rm-nan.hdf5'), [5, 4], { nanReward: 1 });
  await writeRobomimic(at('rm-nodata.hdf5'), [5, 4], { noData: true });
  await writeD4rl(at('d4rl.hdf5'), [5, 4, 3]);
  await writeD4rl(at('d4rl-short.hdf5'), [5, 4], { shortActions: 0 });
  await writeMinari(at('minari'), [5, 4]);
  writeReplayNpz(at('buffer.npz'), [5, 4], { compress: true });
  writeFiles(at('lerobot-v2'), lerobotV2Files([5, 4]));
  writeFiles(at('lerobot-v3'), lerobotV3Files([5, 4, 3], 2));
  truncatedCopy(at('robomimic.hdf5'), at('rm-cut.hdf5'), statSync(at('robomimic.hdf5')).size >> 1);
  randomFile(at('random.npz'));
  writeFileSync(at('empty.hdf5'), '');
});

/** Runs datasetCommand in this process and returns what it printed. */
async function inspect(...args: string[]): Promise<string> {
  const log = vi.spyOn(console, 'log').mockImplementation(() => {});
  try {
    await datasetCommand(['inspect', ...args]);
    return log.mock.calls.map((c) => c.join(' ')).join('\n');
  } finally {
    log.mockRestore();
  }
}

afterEach(() => vi.restoreAllMocks());

describe('dataset inspect (in process)', () => {
  it.each([
    ['robomimic.hdf5', 'robomimic', 2, 9, 'data/demo_1/obs/agentview_image', [4, 8, 8, 3], 'uint8'],
    ['d4rl.hdf5', 'd4rl', 3, 12, 'observations', [12, 3], 'float32'],
    ['minari', 'minari', 2, 9, 'episode_1/observations', [5, 3], 'float64'],
    ['buffer.npz', 'npz', 2, 9, 'terminated', [9], 'bool'],
    ['lerobot-v2', 'lerobot-v2', 2, 9, 'observation.state', [9, 3], 'float32'],
    ['lerobot-v3', 'lerobot-v3', 3, 12, 'action', [12, 2], 'float32'],
  ])('%s --json: one object with format, episodes, steps, arrays and warnings', async (name, format, episodes, steps, array, shape, dtype) => {
    const out = await inspect(at(name), '--json');
    expect(out.split('\n')).toHaveLength(1);
    const json = JSON.parse(out);
    expect(Object.keys(json)).toEqual(['format', 'episodes', 'steps', 'arrays', 'warnings']);
    expect(json).toMatchObject({ format, episodes, steps });
    expect(json.arrays[array]).toEqual({ shape, dtype });
    expect(Array.isArray(json.warnings)).toBe(true);
  });

  it('prints format, episode count, steps and every array with shape and dtype', async () => {
    const out = await inspect(at('robomimic.hdf5'));
    expect(out).toMatch(/format\s+robomimic/);
    expect(out).toMatch(/episodes\s+2/);
    expect(out).toMatch(/steps\s+9/);
    expect(out).toMatch(/data\/demo_0\/actions\s+\[5, 2\]\s+float64/);
    expect(out).toMatch(/data\/demo_1\/obs\/agentview_image\s+\[4, 8, 8, 3\]\s+uint8/);
    expect(await inspect(at('lerobot-v2'))).toMatch(/warnings \(1\):\n {2}- video features are not read as arrays \(the Datasets view plays their frames; training uses state and action\): observation\.images\.top/);
  });

  it.each([
    ['rm-cut.hdf5', /rm-cut\.hdf5: truncated/],
    ['rm-nan.hdf5', /rm-nan\.hdf5: data\/demo_1\/rewards: NaN at row 1/],
    ['rm-nodata.hdf5', /rm-nodata\.hdf5: missing required group 'data'/],
    ['d4rl-short.hdf5', /d4rl-short\.hdf5: actions: shape mismatch: 8 rows, observations has 9/],
    ['random.npz', /random\.npz: not an \.npz \(zip\) archive/],
    ['empty.hdf5', /empty\.hdf5: empty file/],
  ])('%s: a one-line CliError naming the file and the problem', async (name, pattern) => {
    const error = await inspect(at(name)).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).not.toContain('\n');
  });

  it('usage errors', async () => {
    await expect(datasetCommand([])).rejects.toThrow(/dataset: expected a subcommand/);
    await expect(datasetCommand(['list'])).rejects.toThrow(/dataset: unknown subcommand 'list'/);
    await expect(datasetCommand(['inspect'])).rejects.toThrow('dataset inspect: expected one PATH');
    await expect(datasetCommand(['inspect', 'a', '--jsn'])).rejects.toThrow(CliError);
  });
});

describe('mbrl-lab dataset inspect (the command)', () => {
  it('exits 0 with one JSON line on stdout, and leaves the file as it was', () => {
    const before = sha256(at('robomimic.hdf5'));
    const res = run(['dataset', 'inspect', at('robomimic.hdf5'), '--json']);
    expect(res.status, res.stderr).toBe(0);
    expect(JSON.parse(res.stdout)).toMatchObject({ format: 'robomimic', episodes: 2, steps: 9 });
    expect(res.stderr).toBe('');
    expect(sha256(at('robomimic.hdf5'))).toBe(before);
  });

  it.each([
    ['rm-cut.hdf5', /rm-cut\.hdf5: truncated: \d+ bytes, the HDF5 superblock says \d+/],
    ['rm-nan.hdf5', /rm-nan\.hdf5: data\/demo_1\/rewards: NaN at row 1/],
    ['random.npz', /random\.npz: not an \.npz \(zip\) archive/],
    ['no-such.hdf5', /no-such\.hdf5: no such file or folder/],
  ])('%s: non-zero exit, one line on stderr, no stack trace, input unchanged', (name, pattern) => {
    const path = at(name);
    const before = name.startsWith('no-such') ? undefined : sha256(path);
    const res = run(['dataset', 'inspect', path]);
    expect(res.signal).toBeNull(); // finished: no hang until the timeout
    expect(res.status).not.toBe(0);
    expect(res.stdout).toBe('');
    expect(res.stderr).toMatch(pattern);
    expect(res.stderr).toContain(path);
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
    expect(res.stderr).not.toMatch(/\n\s+at /);
    if (before) expect(sha256(path)).toBe(before);
  });
});

describe('dataset export', () => {
  /** Runs `dataset export` in this process; returns what it printed. */
  async function exportCmd(...args: string[]): Promise<string> {
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    try {
      await datasetCommand(['export', ...args]);
      return log.mock.calls.map((c) => c.join(' ')).join('\n');
    } finally {
      log.mockRestore();
    }
  }

  it('exports to .npz and to robomimic; the outputs open as those formats, the input unchanged', async () => {
    const before = sha256(at('robomimic.hdf5'));
    expect(await exportCmd(at('robomimic.hdf5'), '--to', 'npz', '--out', at('ex.npz'))).toMatch(/ex\.npz: 2 episodes, 9 transitions, state 3, action 2 \(npz\)/);
    expect(await exportCmd(at('robomimic.hdf5'), '--to', 'robomimic', '--out', at('ex.hdf5'), '--episodes', '1', '--state', 'obs/robot0_eef_pos,states', '--action', 'actions')).toMatch(/1 episodes, 3 transitions, state 7/);
    expect(JSON.parse(await inspect(at('ex.npz'), '--json'))).toMatchObject({ format: 'npz', episodes: 2, steps: 9 });
    expect(JSON.parse(await inspect(at('ex.hdf5'), '--json'))).toMatchObject({ format: 'robomimic', episodes: 1, steps: 3 });
    expect(sha256(at('robomimic.hdf5'))).toBe(before);
  });

  it.each([
    [['--to', 'npz', '--out', 'OUT', '--episodes', '0-x'], /robomimic\.hdf5: --episodes: '0-x' is not an episode index or range/],
    [['--to', 'npz', '--out', 'OUT', '--episodes', '2'], /--episodes: episode 2 is out of range \(the dataset has 2: 0-1\)/],
    [['--to', 'npz', '--out', 'OUT', '--state', 'obs/nope'], /robomimic\.hdf5: obs\/nope: --state: no such field/],
    [['--to', 'npz', '--out', 'OUT', '--action', 'nope'], /robomimic\.hdf5: nope: --action: no such field/],
    [['--to', 'csv', '--out', 'OUT'], /dataset export: --to: expected robomimic or npz, got 'csv'/],
    [['--out', 'OUT'], /dataset export: --to is required/],
    [['--to', 'npz'], /dataset export: --out FILE is required/],
    [['--to', 'npz', '--out', 'OUT', '--bogus'], /dataset export: Unknown option '--bogus'/],
  ])('%j: one-line CliError, no output file', async (args, pattern) => {
    const out = at('never.npz');
    const error = await exportCmd(at('robomimic.hdf5'), ...args.map((a) => (a === 'OUT' ? out : a))).then(() => undefined, (e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(pattern);
    expect((error as Error).message).not.toContain('\n');
    expect(statSync(out, { throwIfNoEntry: false })).toBeUndefined();
  });

  it('the command: exit 0 and a summary line; a bad --episodes exits non-zero with one line on stderr', () => {
    const ok = run(['dataset', 'export', at('buffer.npz'), '--to', 'robomimic', '--out', at('cmd.hdf5')]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toMatch(/cmd\.hdf5: 2 episodes, 9 transitions/);
    const bad = run(['dataset', 'export', at('buffer.npz'), '--to', 'npz', '--out', at('cmd-bad.npz'), '--episodes', '5']);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim().split('\n')).toHaveLength(1);
    expect(bad.stderr).toMatch(/buffer\.npz: --episodes: episode 5 is out of range/);
    expect(statSync(at('cmd-bad.npz'), { throwIfNoEntry: false })).toBeUndefined();
  });
});

describe('dataset train (in process)', () => {
  it('trains on a linear-system dataset and writes the run folder', async () => {
    const { writeLinearDataset } = await import('../engine/datasets/linear-dataset');
    await writeLinearDataset(at('linear.hdf5'), 6, 30);
    const log = vi.spyOn(console, 'log').mockImplementation(() => {});
    const err = vi.spyOn(process.stderr, 'write').mockImplementation(() => true);
    await datasetCommand(['train', at('linear.hdf5'), '--out', at('train-run'), '--epochs', '5', '--hidden', '16', '--batch', '16', '--members', '2', '--holdout', '0.34', '--horizon', '5', '--seed', '1', '--backend', 'cpu']);
    const out = log.mock.calls.map((c) => c.join(' ')).join('\n');
    expect(out).toMatch(/robomimic, 4 training episodes \(120 transitions\), 2 held out/);
    expect(out).toMatch(/open-loop RMSE h=1 .*h=5 .*within 1σ/);
    expect(err.mock.calls.map((c) => String(c[0])).join('')).toMatch(/5\/5/);
    expect(statSync(join(at('train-run'), 'run.json')).size).toBeGreaterThan(0);
    expect(statSync(join(at('train-run'), 'checkpoints', 'weights.bin')).size).toBeGreaterThan(0);
  }, 60_000);

  it('a bad key fails with one line and writes nothing', async () => {
    const { writeLinearDataset } = await import('../engine/datasets/linear-dataset');
    await writeLinearDataset(at('linear2.hdf5'), 3, 10);
    const error = await datasetCommand(['train', at('linear2.hdf5'), '--out', at('bad-run'), '--state', 'obs/nope', '--backend', 'cpu']).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CliError);
    expect((error as Error).message).toMatch(/^dataset train: .*linear2\.hdf5: --state: no field 'obs\/nope'/);
    expect((error as Error).message).not.toContain('\n');
    expect(() => statSync(at('bad-run'))).toThrow();
  });

  it.each([
    [['train', 'x.hdf5'], /--out DIR is required/],
    [['train', 'x.hdf5', '--out', 'o', '--holdout', '1.5'], /--holdout/],
    [['train', 'x.hdf5', '--out', 'o', '--members', '0'], /--members/],
    [['train', 'x.hdf5', '--out', 'o', '--backend', 'gpu'], /--backend/],
  ])('%j: a usage error', async (args, message) => {
    await expect(datasetCommand(args)).rejects.toThrow(message);
  });
});
