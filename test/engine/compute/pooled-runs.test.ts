/**
 * The planning pool wired into runs: `mbrl-lab run` with compute.planningWorkers > 1 writes the same
 * metrics as the serial run (the workers start through tsx from source), an experiment job started
 * and cancelled through the engine leaves no planning or training worker thread behind, and a process with an idle pool
 * it never disposed still exits by itself.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { livePlanningWorkers } from '../../../src-main/engine/compute/planning-pool';
import { liveTrainingWorkers } from '../../../src-main/engine/compute/training-pool';
import { Engine } from '../../../src-main/engine/engine';
import { connectionPair } from '../../../src-main/engine/hosts/in-process';
import { createEngineServices } from '../../../src-main/engine/services';
import { EngineEvent, parseWith, type RunSpecInput } from '../../../src-main/protocol';

const ROOT = join(__dirname, '..', '..', '..');
const CLI = join(ROOT, 'bin', 'mbrl-lab.mjs');

/** A PETS-shaped spec small enough for a test: ensemble of 2 probabilistic members, TS∞, sampled s′. */
const petsSpec = (planningWorkers: number): RunSpecInput => ({
  task: 'pendulum',
  algorithm: 'v1.5',
  episodes: 1,
  initialEpisodes: 1,
  seed: 3,
  model: { hidden: [16, 16], epochs: 2, members: 2, probabilistic: true },
  optimizer: { population: 24, iterations: 2 },
  mpc: { horizon: 5, replanEvery: 5 },
  uncertainty: { particles: 4, propagation: 'tsinf', sample: true },
  compute: { planningWorkers, trainingWorkers: 1 },
});

describe('runs with a planning pool', () => {
  it('mbrl-lab run plans exactly as the serial run does', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mbrl-pool-run-'));
    const metrics = (workers: number) => {
      const spec = join(dir, `spec-${workers}.json`);
      writeFileSync(spec, JSON.stringify(petsSpec(workers)));
      const out = join(dir, `out-${workers}`);
      const res = spawnSync(process.execPath, [CLI, 'run', spec, '--out', out, '--backend', 'wasm'], { encoding: 'utf8', timeout: 150_000 });
      expect(res.status, res.stderr).toBe(0);
      if (workers > 1) expect(res.stderr).toContain(`planning on ${workers} worker threads (wasm)`);
      expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).spec.compute).toEqual({ planningWorkers: workers, trainingWorkers: 1 });
      // Wall-clock planning time is the one field that may differ.
      return readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => ({ ...JSON.parse(l), plan_ms_mean: undefined }));
    };
    const serial = metrics(1);
    expect(serial.filter((m) => m.kind === 'episode' && m.policy === 'mpc')).toHaveLength(1);
    expect(metrics(2)).toEqual(serial);
  }, 300_000);

  it('a cancelled experiment job ends its worker threads', async () => {
    const services = await createEngineServices('in-process', 'wasm', () => {});
    services.runsDir = mkdtempSync(join(tmpdir(), 'mbrl-pool-runs-'));
    const engine = new Engine(services);
    const [client, server] = connectionPair();
    engine.attach(server);
    const seen: EngineEvent[] = [];
    const waiters: (() => void)[] = [];
    client.onMessage((data) => {
      const parsed = parseWith(EngineEvent, data);
      if (parsed.ok) seen.push(parsed.value);
      waiters.splice(0).forEach((w) => w());
    });
    const until = async (test: (e: EngineEvent) => boolean) => {
      for (;;) {
        const hit = seen.find(test);
        if (hit) return hit;
        const failed = seen.find((e) => e.type === 'job/error' || e.type === 'error');
        if (failed) throw new Error(JSON.stringify(failed));
        await new Promise<void>((r) => waiters.push(r));
      }
    };
    const before = livePlanningWorkers();
    const trainersBefore = liveTrainingWorkers();
    client.post({ type: 'job/start', jobId: 'p', spec: { kind: 'experiment', spec: { ...petsSpec(2), episodes: 5, compute: { planningWorkers: 2, trainingWorkers: 2 } } } });
    await until((e) => e.type === 'plan/iteration');
    expect(livePlanningWorkers()).toBe(before + 2);
    // The experiment job fits on its training pool too, ended with the job.
    expect(liveTrainingWorkers()).toBe(trainersBefore + 2);
    client.post({ type: 'job/cancel', jobId: 'p' });
    await until((e) => e.type === 'job/cancelled');
    expect(livePlanningWorkers()).toBe(before);
    expect(liveTrainingWorkers()).toBe(trainersBefore);
  }, 120_000);

  it('an idle pool never keeps a process alive', () => {
    const script = join(ROOT, 'test', 'engine', 'compute', 'fixtures', 'idle-pool.ts');
    const res = spawnSync(process.execPath, ['--import', 'tsx', script], { cwd: ROOT, encoding: 'utf8', timeout: 60_000 });
    expect(res.status, res.stderr).toBe(0);
    expect(res.stdout).toContain('live workers: 2');
    expect(res.stdout).toContain('evaluated 8 candidates');
  }, 70_000);
});
