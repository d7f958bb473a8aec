import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(__dirname, '..', '..', 'bin', 'mbrl-lab.mjs');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 60_000 });

function specFile(spec: unknown): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mbrl-cli-'));
  const path = join(dir, 'spec.json');
  writeFileSync(path, typeof spec === 'string' ? spec : JSON.stringify(spec));
  return { dir, path };
}

describe('mbrl-lab run', () => {
  it('writes run.json and metrics.jsonl for random episodes', () => {
    const { dir, path } = specFile({ task: 'pendulum', episodes: 3, seed: 4 });
    const out = join(dir, 'out');
    const res = run(['run', path, '--out', out]);
    expect(res.status, res.stderr).toBe(0);
    const info = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(info.spec).toMatchObject({ task: 'pendulum', algorithm: 'random', episodes: 3, seed: 4 });
    expect(info.status).toBe('finished');
    expect(info.seed).toBe(4);
    expect(info.backend).toMatch(/wasm|cpu|tensorflow/);
    expect(info.versions['@tensorflow/tfjs-core']).toBeTruthy();
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines).toHaveLength(3);
    lines.forEach((l, k) => {
      expect(l).toMatchObject({ kind: 'episode', episode: k, policy: 'random', env_steps_total: 200 * (k + 1), plan_ms_mean: 0 });
      expect(Number.isFinite(l.return)).toBe(true);
      expect(l.steps).toBeGreaterThan(0);
    });
  });

  it('the same spec and seed reproduce the same metrics', () => {
    const { dir, path } = specFile({ task: 'cartpole', episodes: 2, seed: 11 });
    expect(run(['run', path, '--out', join(dir, 'a')]).status).toBe(0);
    expect(run(['run', path, '--out', join(dir, 'b')]).status).toBe(0);
    expect(readFileSync(join(dir, 'a', 'metrics.jsonl'), 'utf8')).toBe(readFileSync(join(dir, 'b', 'metrics.jsonl'), 'utf8'));
  });

  it('a learning run (the tiny preset) reproduces its metrics, and saves its model', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mbrl-cli-'));
    const preset = join(__dirname, '..', '..', 'resources', 'presets', 'tiny-pendulum.json');
    for (const out of ['a', 'b']) expect(run(['run', preset, '--out', join(dir, out), '--backend', 'cpu']).status).toBe(0);
    // Wall-clock planning time is the one field that may differ between runs.
    const load = (out: string) => readFileSync(join(dir, out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => ({ ...JSON.parse(l), plan_ms_mean: undefined }));
    const a = load('a');
    expect(a.map((r) => r.kind)).toEqual(expect.arrayContaining(['episode', 'train', 'prediction']));
    expect(load('b')).toEqual(a);
    const model = JSON.parse(readFileSync(join(dir, 'a', 'checkpoints', 'model.json'), 'utf8'));
    expect(model.weightsManifest[0].paths).toEqual(['weights.bin']);
    expect(existsSync(join(dir, 'a', 'checkpoints', 'weights.bin'))).toBe(true);
    expect(existsSync(join(dir, 'a', 'data', 'transitions.hdf5'))).toBe(true);
    expect(JSON.parse(readFileSync(join(dir, 'a', 'run.json'), 'utf8')).backend).toBe('cpu');
  }, 120_000);

  it.each([
    [{ task: 'cartpol', episodes: 1 }, /task: unknown task 'cartpol'/],
    [{ task: 'cartpole', episods: 1 }, /episods: unknown field/],
    [{ task: 'cartpole', optimizer: { kind: 'cme' } }, /optimizer\.kind: /],
    [{ task: 'cartpole', model: { hiden: [8] } }, /model\.hiden: unknown field/],
    [{ task: 'cartpole', episodes: 'two' }, /episodes: .*number/],
    ['{"task": "cartpole",', /not valid JSON/],
  ])('rejects a bad spec before running: %j', (spec, message) => {
    const { dir, path } = specFile(spec);
    const out = join(dir, 'out');
    const res = run(['run', path, '--out', out]);
    expect(res.status).not.toBe(0);
    expect(res.stderr).toMatch(message);
    expect(res.stderr).toContain(path);
    expect(res.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(join(out, 'metrics.jsonl'))).toBe(false);
  });
});
