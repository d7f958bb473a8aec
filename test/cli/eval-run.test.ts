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
    run.end();
  });

  it('cancels on Ctrl-C until ended, and leaves no listener behind', async () => {
    const before = process.listenerCount('SIGINT');
    const run = await startEvalRun('t', 'foresight-eval', join(dir, 'sigint'), 'cpu');
    expect(process.listenerCount('SIGINT')).toBe(before + 1);
    run.end();
    expect(process.listenerCount('SIGINT')).toBe(before);
    // Ctrl-C calls the run's listener (called directly: emitting SIGINT would reach the test runner's own listeners too).
    const cancelled = await startEvalRun('t', 'foresight-eval', join(dir, 'sigint'), 'cpu');
    const listener = process.listeners('SIGINT').at(-1) as () => void;
    listener();
    expect(cancelled.abort.signal.aborted).toBe(true);
    cancelled.end();
    expect(process.listenerCount('SIGINT')).toBe(before);
  });

  it('keeps an existing folder and what is in it', async () => {
    const out = join(dir, 'again');
    (await startEvalRun('t', 'latent-eval', out, 'cpu')).end();
    writeFileSync(join(out, 'latent-eval.json'), '{"kept":true}');
    (await startEvalRun('t', 'latent-eval', out, 'cpu')).end();
    expect(readFileSync(join(out, 'latent-eval.json'), 'utf8')).toBe('{"kept":true}');
  });
});
