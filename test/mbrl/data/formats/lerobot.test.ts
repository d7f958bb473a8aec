import { describe, expect, it } from 'vitest';
import { ParquetTable, openDataset } from '../../../../src-main/mbrl/data/formats';
import { fillTemplate } from '../../../../src-main/mbrl/data/formats/lerobot';
import { lerobotV2Files, lerobotV3Files, parquetBytes, value } from '../../../fixtures/datasets/bytes';
import { list, memoryBytes, memoryLocation } from './memory-sources';

describe('LeRobot', () => {
  it('fills data_path templates the way Python str.format does', () => {
    expect(fillTemplate('data/chunk-{episode_chunk:03d}/episode_{episode_index:06d}.parquet', { episode_chunk: 1, episode_index: 1042 })).toBe('data/chunk-001/episode_001042.parquet');
    expect(fillTemplate('videos/{video_key}/chunk-{chunk_index:03d}/file-{file_index:03d}.mp4', { video_key: 'observation.images.top', chunk_index: 0, file_index: 12 })).toBe('videos/observation.images.top/chunk-000/file-012.mp4');
  });

  it('v3: episodes packed in data files are found by dataset_from_index; reads cross file boundaries', async () => {
    const reader = await openDataset(memoryLocation('so100', lerobotV3Files([3, 4, 2, 5], 3)));
    expect(reader.summary.format).toBe('lerobot-v3');
    expect(reader.summary.episodes.map((e) => e.length)).toEqual([3, 4, 2, 5]);
    // Episode 3 is the first (and only) episode of data file 1.
    const ep = await reader.readEpisode(3, ['observation.state', 'episode_index'], { start: 2, end: 4 });
    expect(list(ep.episode_index.data)).toEqual([3n, 3n]);
    expect(ep['observation.state'].data[0]).toBeCloseTo(value(3, 2, 0), 4);
    expect(reader.fileOf('observation.state', 9)).toBe('so100/data/chunk-000/file-001.parquet');
    const all = await reader.readArray('frame_index', 0, 14);
    expect(list(all).map(Number)).toEqual([0, 1, 2, 0, 1, 2, 3, 0, 1, 0, 1, 2, 3, 4]);
    await reader.close();
  });

  it('holds few data files open at once and closes them all', async () => {
    const counter = { bytes: 0, closed: 0 };
    const files = lerobotV2Files([2, 2, 2, 2, 2, 2, 2, 2]);
    const reader = await openDataset(memoryLocation('many', files, {}, counter));
    await reader.readArray('action', 0, 16);
    expect(counter.closed).toBeGreaterThanOrEqual(8 - 4); // at most 4 open
    await reader.close();
    const opened = Object.keys(files).filter((f) => f.endsWith('.parquet')).length;
    expect(counter.closed).toBeGreaterThanOrEqual(opened);
  });

  it('reads only the column chunks it needs', async () => {
    const n = 2000;
    const bytes = parquetBytes([
      { name: 'action', kind: 'floatList', data: Array.from({ length: n }, (_, i) => [i, -i]) },
      { name: 'observation.state', kind: 'floatList', data: Array.from({ length: n }, (_, i) => Array.from({ length: 32 }, (_, j) => i * j)) },
    ]);
    const counter = { bytes: 0 };
    const table = await ParquetTable.open(memoryBytes('t.parquet', bytes, counter), 't.parquet');
    const before = counter.bytes;
    const rows = await table.readColumn('action', 'float32', 2, 10, 12);
    expect(list(rows)).toEqual([10, -10, 11, -11]);
    expect(counter.bytes - before).toBeLessThan(bytes.length / 4);
  });

  it('refuses unknown versions, missing keys and missing columns, naming the file', async () => {
    const files = lerobotV2Files([3]);
    const info = JSON.parse(files['meta/info.json'] as string);
    await expect(openDataset(memoryLocation('d', { ...files, 'meta/info.json': JSON.stringify({ ...info, codebase_version: 'v1.6' }) }))).rejects.toThrow("d/meta/info.json: codebase_version: unsupported version 'v1.6' (v2.x and v3.0 are read)");
    const { data_path: _, ...noPath } = info;
    await expect(openDataset(memoryLocation('d', { ...files, 'meta/info.json': JSON.stringify(noPath) }))).rejects.toThrow('d/meta/info.json: data_path: missing required key');
    const extra = { ...info, features: { ...info.features, 'observation.effort': { dtype: 'float32', shape: [6] } } };
    await expect(openDataset(memoryLocation('d', { ...files, 'meta/info.json': JSON.stringify(extra) }))).rejects.toThrow('d/data/chunk-000/episode_000000.parquet: observation.effort: missing column (info.json lists this feature)');
    const v3 = lerobotV3Files([3], 1);
    delete v3['meta/episodes/chunk-000/file-000.parquet'];
    await expect(openDataset(memoryLocation('d3', v3))).rejects.toThrow(/^d3\/meta\/episodes: missing required episode metadata/);
  });

  it('warns where info.json and the episode list disagree', async () => {
    const files = lerobotV2Files([3, 2]);
    const info = JSON.parse(files['meta/info.json'] as string);
    const reader = await openDataset(memoryLocation('d', { ...files, 'meta/info.json': JSON.stringify({ ...info, total_frames: 6, total_episodes: 3 }) }));
    expect(reader.summary.warnings).toEqual(expect.arrayContaining(['info.json says 6 frames, the episodes hold 5', 'info.json says 3 episodes, the episode metadata lists 2']));
  });
});
