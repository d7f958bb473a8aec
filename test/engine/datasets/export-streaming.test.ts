/**
 * Exports are written episode by episode: memory (JavaScript array buffers, after a forced GC) stays
 * within a few episodes while the export grows to many, for both output formats; the streamed
 * files read back exactly; an aborted writer leaves nothing.
 */
import { mkdtempSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { beforeAll, describe, expect, it } from 'vitest';
import { exportDataset } from '../../../src-main/engine/datasets/export-dataset';
import { NpzStreamWriter } from '../../../src-main/engine/datasets/npz-stream-writer';
import { openLocalDataset } from '../../../src-main/engine/datasets/open-local-dataset';
import { RobomimicStreamWriter } from '../../../src-main/engine/datasets/robomimic-stream-writer';
import { toTransitions } from '../../../src-main/mbrl/data';

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

const EPISODES = 40;
const T = 2000;
const D = 32;
const A = 4;
/** Bytes of one exported episode held as typed arrays (obs T+1 rows, next, action, reward, flags). */
const EPISODE_BYTES = ((T + 1) * D + T * D + T * A + T) * 4 + 2 * T;

let dir: string;
const at = (name: string) => join(dir, name);

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mbrl-export-stream-'));
  // The input, itself streamed: EPISODES demos of T steps.
  const w = await RobomimicStreamWriter.create(at('big.hdf5'), { task: 'synthetic', obsDim: D, actDim: A });
  for (let e = 0; e < EPISODES; e++) {
    const obs = Float32Array.from({ length: (T + 1) * D }, (_, i) => e + i * 1e-4);
    w.add({ obs, act: Float32Array.from({ length: T * A }, (_, i) => Math.sin(e + i)), reward: new Float32Array(T).fill(e), terminated: new Uint8Array(T) });
  }
  await w.finish();
});

describe('streaming export', () => {
  for (const to of ['npz', 'robomimic'] as const) {
    it(`${to}: holds about one episode at a time while writing ${EPISODES}`, async () => {
      const out = at(`out.${to === 'npz' ? 'npz' : 'hdf5'}`);
      gc();
      const base = process.memoryUsage().arrayBuffers;
      let peak = 0;
      let written = 0;
      const r = await exportDataset(at('big.hdf5'), {
        to,
        out,
        onEpisodeWritten: () => {
          written++;
          gc();
          peak = Math.max(peak, process.memoryUsage().arrayBuffers - base);
        },
      });
      expect(written).toBe(EPISODES);
      expect(r).toMatchObject({ episodes: EPISODES, steps: EPISODES * T, obsDim: D, actDim: A });
      // Holding the export would mean ≥ 40 episodes' bytes; streaming holds the episode being
      // written plus the reader's slices of it (measured: 3-6 episodes' worth, flat over the run).
      expect(peak).toBeLessThan(8 * EPISODE_BYTES);
      expect(readdirSync(dir).filter((n) => n.startsWith('.'))).toEqual([]);

      // Read back: the same transitions as the input.
      const [a, b] = await Promise.all([openLocalDataset(at('big.hdf5')), openLocalDataset(out)]);
      expect(b.summary.episodes.map((e) => e.length)).toEqual(a.summary.episodes.map((e) => e.length));
      for (const episodes of [[0], [EPISODES - 1]]) {
        const [ta, tb] = await Promise.all([toTransitions(a, { episodes }), toTransitions(b, { episodes })]);
        expect(tb.obs).toEqual(ta.obs);
        expect(tb.nextObs).toEqual(ta.nextObs);
        expect(tb.act).toEqual(ta.act);
        expect(tb.reward).toEqual(ta.reward);
      }
      await Promise.all([a.close(), b.close()]);
    });
  }

  it('NpzStreamWriter with ZIP64 records (what exports over 4 GiB get) reads back as a replay buffer', async () => {
    const w = await NpzStreamWriter.create(at('z64.npz'), [
      { name: 'obs', descr: '<f4', row: [2] },
      { name: 'next_obs', descr: '<f4', row: [2] },
      { name: 'action', descr: '<f4', row: [1] },
      { name: 'reward', descr: '<f4', row: [] },
      { name: 'terminated', descr: '|b1', row: [] },
      { name: 'truncated', descr: '|b1', row: [] },
    ], true);
    for (let e = 0; e < 2; e++) {
      const n = 3;
      await w.append(n, [Float32Array.from({ length: 6 }, (_, i) => e * 10 + i), Float32Array.from({ length: 6 }, (_, i) => e * 10 + i + 2), new Float32Array(n).fill(e), new Float32Array(n).fill(0.5), new Uint8Array(n), Uint8Array.from([0, 0, 1])]);
    }
    await w.finish();
    const back = await openLocalDataset(at('z64.npz'));
    expect(back.summary.episodes.map((e) => e.length)).toEqual([3, 3]);
    const t = await toTransitions(back, { episodes: [1] });
    expect(Array.from(t.obs)).toEqual([10, 11, 12, 13, 14, 15]);
    await back.close();
  });

  it('NpzStreamWriter: abort leaves nothing behind', async () => {
    const w2 = await NpzStreamWriter.create(at('gone.npz'), [{ name: 'x', descr: '<f4', row: [] }]);
    await w2.append(1, [new Float32Array(1)]);
    await w2.abort();
    expect(readdirSync(dir).filter((n) => n.includes('gone'))).toEqual([]);
  });
});
