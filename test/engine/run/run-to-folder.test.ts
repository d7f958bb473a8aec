/**
 * runToFolder with a training pool (compute.trainingWorkers): the run fits its ensemble on worker
 * threads and writes exactly what the run on the engine's thread writes (the pool is bit-exact), and
 * the threads end with the run: finished, cancelled mid-fit or failed (a cancelled experiment job
 * through the engine: test/engine/compute/pooled-runs.test.ts).
 */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { liveTrainingWorkers } from '../../../src-main/engine/compute/training-pool';
import type { EngineServices } from '../../../src-main/engine/engine';
import { runToFolder } from '../../../src-main/engine/run/run-to-folder';
import { createEngineServices } from '../../../src-main/engine/services';
import { RunSpec, type RunSpecInput } from '../../../src-main/protocol';

/** A small ensemble of 3 (2 + 1 members on 2 workers), two fits; planning kept on this thread. */
const spec = (trainingWorkers: number): RunSpec =>
  RunSpec.parse({
    task: 'pendulum',
    algorithm: 'v1.5',
    episodes: 1,
    initialEpisodes: 1,
    seed: 5,
    model: { hidden: [12, 12], epochs: 3, batchSize: 64, members: 3, probabilistic: true },
    optimizer: { population: 12, iterations: 1 },
    mpc: { horizon: 4, replanEvery: 4 },
    uncertainty: { particles: 3 },
    compute: { planningWorkers: 1, trainingWorkers },
  } satisfies RunSpecInput);

let services: EngineServices;
const logs: string[] = [];
beforeAll(async () => {
  services = await createEngineServices('in-process', 'wasm', (line) => void logs.push(line));
});

const tmp = () => mkdtempSync(join(tmpdir(), 'mbrl-train-pool-run-'));

describe('runToFolder with training workers', () => {
  it('fits on 2 worker threads and writes the same metrics and weights as the serial run', async () => {
    const run = async (workers: number) => {
      const dir = tmp();
      const during: number[] = [];
      const before = liveTrainingWorkers();
      const outcome = await runToFolder(spec(workers), dir, services, { hooks: { onMetric: (m) => void (m.kind === 'train' && during.push(liveTrainingWorkers() - before)) } });
      expect(outcome.status).toBe('finished');
      expect(liveTrainingWorkers()).toBe(before);
      return {
        during,
        // Wall-clock planning time is the one field that may differ.
        metrics: readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => ({ ...JSON.parse(l), plan_ms_mean: undefined })),
        weights: readFileSync(join(dir, 'checkpoints', 'weights.bin')),
      };
    };
    const serial = await run(1);
    expect(serial.during.every((n) => n === 0)).toBe(true);
    logs.length = 0;
    const pooled = await run(2);
    expect(logs).toContain('[engine] training on 2 worker threads (wasm)');
    expect(pooled.during.length).toBeGreaterThan(3);
    expect(pooled.during.every((n) => n === 2)).toBe(true);
    expect(serial.metrics.filter((m) => m.kind === 'train').map((m) => m.fit)).toContain(1);
    expect(pooled.metrics).toEqual(serial.metrics);
    expect(pooled.weights.equals(serial.weights)).toBe(true);
  }, 120_000);

  it('ends the training threads when the run is cancelled mid-fit', async () => {
    const dir = tmp();
    const before = liveTrainingWorkers();
    const controller = new AbortController();
    const outcome = await runToFolder(spec(2), dir, services, { signal: controller.signal, hooks: { onMetric: (m) => void (m.kind === 'train' && controller.abort()) } });
    expect(outcome.status).toBe('cancelled');
    expect(liveTrainingWorkers()).toBe(before);
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).status).toBe('cancelled');
  }, 60_000);

  it('ends the training threads when the run fails', async () => {
    const dir = tmp();
    const before = liveTrainingWorkers();
    const failing = runToFolder(spec(2), dir, services, {
      hooks: {
        onMetric: (m) => {
          if (m.kind === 'train') throw new Error('disk full');
        },
      },
    });
    await expect(failing).rejects.toThrow('disk full');
    expect(liveTrainingWorkers()).toBe(before);
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).status).toBe('failed: disk full');
  }, 60_000);
});
