/**
 * LeRobot data files with compressed pages read like uncompressed ones: gzip and brotli written
 * here with Node's zlib, zstd and lz4 (raw and Hadoop-framed) committed files whose pages were
 * compressed by the C libraries pyarrow uses (test/fixtures/datasets/compressed/).
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { parquetMetadata } from 'hyparquet';
import { openDataset } from '../../../../src-main/mbrl/data/formats';
import { lerobotEpisodeParquet, lerobotV2Files, type ParquetCodec, value } from '../../../fixtures/datasets/bytes';
import { list, memoryLocation } from './memory-sources';

const COMMITTED = join(__dirname, '../../../fixtures/datasets/compressed');
const EPISODE_0 = 'data/chunk-000/episode_000000.parquet';

const generated: Record<string, ParquetCodec> = {
  gzip: { codec: 'GZIP', compress: (b) => new Uint8Array(gzipSync(b)) },
  brotli: { codec: 'BROTLI', compress: (b) => new Uint8Array(brotliCompressSync(b)) },
};

/** Episode 0's data file for a codec: written now (gzip, brotli) or the committed file. */
function episodeFile(name: string): Uint8Array {
  return generated[name] ? lerobotEpisodeParquet(0, 6, 0, { codec: generated[name] }) : new Uint8Array(readFileSync(join(COMMITTED, `episode-${name}.parquet`)));
}

const CODEC_OF: Record<string, string> = { gzip: 'GZIP', brotli: 'BROTLI', zstd: 'ZSTD', lz4_raw: 'LZ4_RAW', lz4_hadoop: 'LZ4' };

describe('compressed Parquet pages', () => {
  for (const name of Object.keys(CODEC_OF)) {
    it(`reads a LeRobot episode whose pages are ${name}-compressed`, async () => {
      const bytes = episodeFile(name);
      // The file really uses the codec (every column chunk).
      const metadata = parquetMetadata(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength) as ArrayBuffer);
      const codecs = new Set(metadata.row_groups.flatMap((g) => g.columns.map((c) => c.meta_data?.codec)));
      expect([...codecs]).toEqual([CODEC_OF[name]]);

      const files = lerobotV2Files([6, 4]);
      files[EPISODE_0] = bytes;
      const reader = await openDataset(memoryLocation('so100', files));
      expect(reader.summary.episodes.map((e) => e.length)).toEqual([6, 4]);
      const ep = await reader.readEpisode(0, ['observation.state', 'action', 'frame_index', 'next.reward']);
      expect(ep['observation.state'].shape).toEqual([6, 3]);
      for (let t = 0; t < 6; t++) for (let c = 0; c < 3; c++) expect(ep['observation.state'].data[t * 3 + c]).toBeCloseTo(value(0, t, c), 4);
      expect(ep.action.data[5 * 2 + 1]).toBeCloseTo(value(0, 5, 11), 4);
      expect(list(ep.frame_index.data).map(Number)).toEqual([0, 1, 2, 3, 4, 5]);
      expect(ep['next.reward'].data[3]).toBeCloseTo(value(0, 3, 20), 4);
      await reader.close();
    });
  }

  it('names the file and column when a compressed page is corrupt', async () => {
    const bytes = episodeFile('zstd').slice();
    // Flip bytes inside the first data page (after the 4-byte magic and the page header).
    for (let i = 40; i < 60; i++) bytes[i] ^= 0xff;
    const files = lerobotV2Files([6, 4]);
    files[EPISODE_0] = bytes;
    const reader = await openDataset(memoryLocation('so100', files));
    await expect(reader.readEpisode(0, ['observation.state'])).rejects.toThrow(/so100\/data\/chunk-000\/episode_000000\.parquet: observation\.state: unreadable rows/);
    await reader.close();
  });
});
