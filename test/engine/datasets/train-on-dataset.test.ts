import { existsSync, mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { DatasetTrainError, splitEpisodes, trainOnDataset, type DatasetTrainOptions } from '../../../src-main/engine/datasets/train-on-dataset';
import { writeLinearDataset } from './linear-dataset';

let dir: string;
const at = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mbrl-train-dataset-'));
  await writeLinearDataset(at('linear.hdf5'), 10, 40);
  await writeLinearDataset(at('linear-nan.hdf5'), 4, 10, 1, 2);
});

const base = (out: string, extra: Partial<DatasetTrainOptions> = {}): DatasetTrainOptions => ({
  path: at('linear.hdf5'),
  out: at(out),
  members: 1,
  probabilistic: false,
  epochs: 40,
  hidden: [32],
  holdout: 0.2,
  seed: 3,
  horizon: 10,
  backend: 'cpu',
  batchSize: 16,
  ...extra,
});

describe('splitEpisodes', () => {
  it('splits whole episodes by the seed, reproducibly', () => {
    const a = splitEpisodes(10, 0.2, 7);
    expect(a.heldOut).toHaveLength(2);
    expect([...a.train, ...a.heldOut].sort((x, y) => x - y)).toEqual([...Array(10).keys()]);
    expect(splitEpisodes(10, 0.2, 7)).toEqual(a);
    expect(splitEpisodes(1, 0.2, 0).train).toEqual([]);
    expect(splitEpisodes(5, 0, 0).heldOut).toEqual([]);
  });
});

describe('trainOnDataset', () => {
  it('learns a linear system: the loss falls and the held-out 1-step RMSE is small; writes the run folder', async () => {
    const epochs: number[] = [];
    const r = await trainOnDataset(base('run1'), (e) => epochs.push(e.epoch));
    expect(r.heldOutEpisodes).toHaveLength(2);
    expect(r.trainEpisodes).toHaveLength(8);
    expect(r.transitions).toBe(8 * 40);
    expect(epochs.length).toBeGreaterThan(1);
    expect(r.history.at(-1)!.trainLoss).toBeLessThan(r.history[0].trainLoss * 0.5);
    // States are O(1); an untrained model is off by ~0.5.
    for (const h of r.heldOut) {
      expect(h.rmse).toHaveLength(10);
      expect(h.rmse[0]).toBeLessThan(0.1);
      expect(h.calibration).toBeUndefined();
    }
    const out = at('run1');
    const run = JSON.parse(readFileSync(join(out, 'run.json'), 'utf8'));
    expect(run.status).toBe('finished');
    expect(run.spec).toMatchObject({ command: 'dataset train', format: 'robomimic', state: ['obs/state'], action: 'actions', members: 1, hidden: [32], angleDims: [] });
    expect(run.backend).toBe('cpu');
    const lines = readFileSync(join(out, 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.kind === 'train')).toHaveLength(r.history.length);
    expect(lines[0]).toMatchObject({ kind: 'train', fit: 0, epoch: 1, transitions: 320 });
    expect(lines.filter((l) => l.kind === 'prediction')).toHaveLength(2);
    expect(readdirSync(join(out, 'checkpoints')).sort()).toEqual(['model.json', 'weights.bin']);
  }, 60_000);

  it('an ensemble adds calibration lines', async () => {
    const r = await trainOnDataset(base('run2', { members: 2, probabilistic: true, epochs: 3, holdout: 0.1 }));
    expect(r.heldOut).toHaveLength(1);
    expect(r.heldOut[0].calibration?.samples).toBe(40);
    const lines = readFileSync(join(at('run2'), 'metrics.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l));
    expect(lines.filter((l) => l.kind === 'calibration')).toHaveLength(1);
  }, 60_000);

  it.each([
    ['an unknown state key', { state: ['obs/nope'] }, /linear\.hdf5: --state: no field 'obs\/nope'/],
    ['an unknown action key', { action: 'act' }, /--action: no field 'act'/],
    ['no episodes left', { path: 'one', holdout: 0.99 }, /no episodes left for training/],
  ])('%s: one-line DatasetTrainError, nothing written', async (_name, extra, message) => {
    const options = base('bad', extra as Partial<DatasetTrainOptions>);
    if ((extra as { path?: string }).path === 'one') {
      await writeLinearDataset(at('one.hdf5'), 1, 5);
      options.path = at('one.hdf5');
    }
    const error = await trainOnDataset(options).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(DatasetTrainError);
    expect((error as Error).message).toMatch(message);
    expect((error as Error).message).not.toContain('\n');
    expect(existsSync(at('bad'))).toBe(false);
  });

  it('NaN in the data names the file, field and episode', async () => {
    const error = await trainOnDataset(base('bad', { path: at('linear-nan.hdf5'), holdout: 0 })).catch((e: unknown) => e);
    expect((error as Error).message).toMatch(/linear-nan\.hdf5: field 'actions' has NaN\/Inf/);
    expect(existsSync(at('bad'))).toBe(false);
  });
});
