import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { startEvalRun } from '../../src-main/cli/eval-run';

const dir = mkdtempSync(join(tmpdir(), 'mbrl-eval-run-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('startEvalRun', () => {
  it('creates the run folder (nested), picks the asked backend and records the machine', async () => {
    const out = join(dir, 'a', 'b');
    const run = await startEvalRun('pendulum-pixels', 'latent-eval', out, 'cpu');
    expect(run.out).toBe(out);
    expect(statSync(out).isDirectory()).toBe(true);
    expect(run.backend).toBe('cpu');
    expect(run.machine.cpus).toBeGreaterThan(0);
    expect(Number.isNaN(Date.parse(run.date))).toBe(false);
    expect(run.abort.signal.aborted).toBe(false);
  });

  it('keeps an existing folder and what is in it', async () => {
    const out = join(dir, 'again');
    await startEvalRun('t', 'latent-eval', out, 'cpu');
    writeFileSync(join(out, 'latent-eval.json'), '{"kept":true}');
    await startEvalRun('t', 'latent-eval', out, 'cpu');
    expect(readFileSync(join(out, 'latent-eval.json'), 'utf8')).toBe('{"kept":true}');
  });
});
