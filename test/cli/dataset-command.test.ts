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
    expect(await inspect(at('lerobot-v2'))).toMatch(/warnings \(1\):\n {2}- video\/image features are listed but not read yet/);
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
