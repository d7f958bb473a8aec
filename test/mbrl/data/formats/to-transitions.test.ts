import { describe, expect, it } from 'vitest';
import { LayoutReader, checkFinite, toTransitions } from '../../../../src-main/mbrl/data/formats';
import { readFlatLayout } from '../../../../src-main/mbrl/data/formats/flat-layout';
import { readMinari } from '../../../../src-main/mbrl/data/formats/minari';
import { type ReadLog, f64, memoryArray, memoryGroup, u8 } from './memory-sources';

const close = async () => {};

describe('toTransitions', () => {
  it('flat layout without next observations: s′ is the next row, T−1 transitions per episode', async () => {
    const root = memoryGroup({ observations: f64(7, 2), actions: f64(7, 1, 100), rewards: f64(7, 0, 50), terminals: u8([0, 0, 1, 0, 0, 0, 1]) });
    const reader = new LayoutReader(await readFlatLayout(root, 'd', 'd4rl', close));
    const batch = await toTransitions(reader);
    expect(batch.size).toBe(2 + 3);
    expect(Array.from(batch.obs.subarray(0, 4))).toEqual([0, 0.1, 1, 1.1].map(Math.fround));
    expect(Array.from(batch.nextObs.subarray(0, 2))).toEqual([1, 1.1].map(Math.fround));
    // Episode 2 starts at row 3: its first transition is (row 3 → row 4).
    expect(batch.obs[2 * 2]).toBe(3);
    expect(batch.nextObs[2 * 2]).toBe(4);
    expect(Array.from(batch.reward)).toEqual([50, 51, 53, 54, 55]);
  });

  it('Minari: T+1 observations give T transitions; terminated from terminations', async () => {
    const root = memoryGroup({ episode_0: { observations: f64(4, 2), actions: f64(3, 1), rewards: f64(3, 0), terminations: u8([0, 0, 1]), truncations: u8([0, 0, 0]) } });
    const batch = await toTransitions(new LayoutReader(await readMinari(root, undefined, 'm', close)));
    expect(batch.size).toBe(3);
    expect(batch.nextObs[2 * 2]).toBe(3);
    expect(Array.from(batch.terminated)).toEqual([0, 0, 1]);
  });

  it('concatenates the named observation fields and uses their stored next twins', async () => {
    const root = memoryGroup({ obs: f64(3, 2), next_obs: f64(3, 2, 1), goal: f64(3, 1, 10), action: f64(3, 1) });
    const reader = new LayoutReader(await readFlatLayout(root, 'b', 'npz', close));
    const batch = await toTransitions(reader, { observation: ['obs', 'goal'], nextObservation: ['next_obs', 'goal'] });
    expect(batch.obsDim).toBe(3);
    expect(batch.size).toBe(3);
    expect(Array.from(batch.obs.subarray(0, 3))).toEqual([0, Math.fround(0.1), 10]);
    expect(Array.from(batch.nextObs.subarray(0, 3))).toEqual([1, Math.fround(1.1), 10]);
    await expect(toTransitions(reader, { observation: ['obs'], action: 'nope' })).rejects.toThrow("b: toTransitions: no field 'nope'");
  });
});

describe('checkFinite', () => {
  it('scans float arrays in bounded chunks, skips integer arrays, and names row and column', async () => {
    const log: ReadLog = [];
    const obs = Float32Array.from({ length: 100 * 4 }, (_, i) => i);
    obs[77 * 4 + 2] = -Infinity;
    const root = memoryGroup({ obs: memoryArray(obs, [100, 4], 'float32', log), action: memoryArray(new Float32Array(100), [100, 1], 'float32'), count: memoryArray(new Int32Array(100), [100], 'int32') });
    const reader = new LayoutReader(await readFlatLayout(root, 'b.npz', 'npz', close));
    await expect(checkFinite(reader, { chunkElements: 40 })).rejects.toThrow('b.npz: obs: -Inf at row 77, column 2 (episode_0 step 77)');
    expect(log.every(([s, e]) => (e - s) * 4 <= 40)).toBe(true);
    obs[77 * 4 + 2] = 0;
    let progress = 0;
    expect(await checkFinite(reader, { chunkElements: 40, onProgress: (done) => (progress = done) })).toBe(500);
    expect(progress).toBe(500);
  });
});
