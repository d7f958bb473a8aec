/** Random data collection on an image task writes a run folder whose HDF5 holds the frames (robomimic image keys). */
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import h5wasm from 'h5wasm/node';
import { describe, expect, it } from 'vitest';
import { collectToFolder } from '../../../src-main/engine/run/collect-images';
import { makePixelEnv } from '../../../src-main/mbrl/env';
import { readModelXml } from '../../mbrl/env/read-model';

describe('collectToFolder', () => {
  it('writes frames as obs/<camera>_image uint8 [T, H, W, 3], next_obs shifted by one, beside the true state', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mbrl-collect-'));
    const progress: number[] = [];
    const outcome = await collectToFolder({ task: 'point-mass-pixels', episodes: 2, steps: 12, seed: 3, actionRepeat: 2 }, dir, readModelXml, (p) => progress.push(p.done));
    expect(outcome).toMatchObject({ status: 'finished', episodes: 2, transitions: 24 });
    expect(progress.at(-1)).toBe(2);
    const run = JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8'));
    expect(run).toMatchObject({ spec: { kind: 'collect', task: 'point-mass-pixels', episodes: 2, steps: 12 }, status: 'finished' });
    expect(readFileSync(join(dir, 'metrics.jsonl'), 'utf8').trim().split('\n')).toHaveLength(2);

    await h5wasm.ready;
    const file = new h5wasm.File(outcome.path, 'r');
    try {
      const env = JSON.parse(String((file.get('data') as InstanceType<typeof h5wasm.Group>).attrs['env_args'].value));
      expect(env).toMatchObject({ env_name: 'point-mass-pixels', env_kwargs: { state_task: 'point-mass', camera: 'top', image_key: 'top_image', width: 40, height: 40 } });
      const obs = file.get('data/demo_1/obs/top_image') as InstanceType<typeof h5wasm.Dataset>;
      const next = file.get('data/demo_1/next_obs/top_image') as InstanceType<typeof h5wasm.Dataset>;
      expect(obs.shape).toEqual([12, 40, 40, 3]);
      expect(obs.dtype).toBe('<B');
      const o = obs.value as Uint8Array;
      const n = next.value as Uint8Array;
      const frame = 40 * 40 * 3;
      expect(n.subarray(0, 11 * frame)).toEqual(o.subarray(frame));
      // The first frame is the env's reset frame for that episode's seed (seed + episode index).
      const pixel = await makePixelEnv('point-mass-pixels', readModelXml);
      expect(o.subarray(0, frame)).toEqual(pixel.reset(3 + 1));
      const states = (file.get('data/demo_1/obs/state') as InstanceType<typeof h5wasm.Dataset>).value as Float32Array;
      expect(Array.from(states.subarray(0, 6))).toEqual(Array.from(pixel.state()));
      pixel.dispose();
      expect((file.get('data/demo_0/actions') as InstanceType<typeof h5wasm.Dataset>).shape).toEqual([12, 2]);
    } finally {
      file.close();
    }
  });

  it('stops after the current episode when cancelled and keeps what it collected; refuses unknown tasks before writing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'mbrl-collect-'));
    const controller = new AbortController();
    const outcome = await collectToFolder({ task: 'pendulum-pixels', episodes: 5, steps: 5, seed: 0 }, dir, readModelXml, (p) => {
      if (p.done === 2) controller.abort();
    }, controller.signal);
    expect(outcome).toMatchObject({ status: 'cancelled', episodes: 2, transitions: 10 });
    expect(JSON.parse(readFileSync(join(dir, 'run.json'), 'utf8')).status).toBe('cancelled');
    await expect(collectToFolder({ task: 'pendulum', episodes: 1, seed: 0 }, join(dir, 'x'), readModelXml)).rejects.toThrow(/unknown image task 'pendulum'/);
    await expect(collectToFolder({ task: 'pendulum-pixels', episodes: 1, steps: 999, seed: 0 }, join(dir, 'y'), readModelXml)).rejects.toThrow(/steps: expected an integer in 1..200/);
  });
});
