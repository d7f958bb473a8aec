// @vitest-environment happy-dom
/**
 * The video-decode store: for each episode of a LeRobot video feature it asks the engine where the
 * video plays from and for the actions and state, decodes every frame (here a fake decoder standing
 * in for Chromium's), and uploads an .npz that the engine's own reader reads back as image episodes.
 */
import { describe, expect, it } from 'vitest';
import type { DatasetSummaryMessage } from '@protocol';
import { useVideoDecodeStore } from '../../src-renderer/src/stores/video-decode';
import { readBackImageEpisodes } from './engine-image-source';
import { attachFakeClient } from './fake-lab-client';

const SUMMARY: DatasetSummaryMessage = {
  format: 'lerobot-v2',
  path: '/data/so100',
  episodes: [
    { index: 0, name: 'episode 0', length: 3 },
    { index: 1, name: 'episode 1', length: 2 },
  ],
  steps: 5,
  arrays: {},
  fields: {
    action: { shape: [2], dtype: 'float32', rows: 'steps' },
    'observation.state': { shape: [3], dtype: 'float32', rows: 'steps' },
  },
  roles: { observation: ['observation.state'], action: 'action' },
  attributes: {},
  warnings: [],
  videos: { 'observation.images.cam': { fps: 10, codec: 'av1' } },
};
const S = 2;
const flush = async () => {
  for (let i = 0; i < 3; i++) await new Promise((r) => setTimeout(r, 0));
};

describe('video-decode store', () => {
  it('decodes every episode, then uploads an .npz the engine reads as image episodes', async () => {
    const { client } = attachFakeClient();
    client.open([]);
    const vd = useVideoDecodeStore();
    client.emit({ type: 'dataset/summary', datasetId: 'd1', summary: SUMMARY });
    const asked: Array<{ url: string; times: readonly number[] }> = [];
    // Frame k of episode e is filled with 100 e + k (read back from the time the decoder was asked for).
    const decoder = async (url: string, times: readonly number[], size: number) => {
      asked.push({ url, times });
      return times.map((t) => new Uint8Array(size * size * 3).fill(100 * Number(url.slice(-1)) + Math.round(t * 10 - 0.5)));
    };
    const done = vd.decode('observation.images.cam', S, 10, decoder);
    for (const e of [0, 1]) {
      await flush();
      expect(vd.progress).toEqual({ done: e, total: 2 });
      const T = 3 - e;
      client.emit({ type: 'dataset/video', datasetId: 'd1', episode: e, key: 'observation.images.cam', url: `/dataset-video/${e}`, from: 0, to: T / 10, fps: 10, frames: T });
      await flush();
      const req = client.sentOf('dataset/episode').filter((r) => r.episode === e).pop()!;
      expect(req.fields).toEqual(['action', 'observation.state']);
      client.emit({
        type: 'dataset/episode',
        datasetId: 'd1',
        episode: e,
        start: 0,
        fields: [
          { name: 'action', shape: [T, 2], dtype: 'float32', data: Float32Array.from({ length: T * 2 }, (_, i) => e + i / 10) },
          { name: 'observation.state', shape: [T, 3], dtype: 'float32', data: Float32Array.from({ length: T * 3 }, (_, i) => 10 * e + i) },
        ],
      });
    }
    await flush();
    expect(asked.map((a) => a.times.length)).toEqual([3, 2]);
    const [chunk] = client.sentOf('dataset/upload');
    expect(chunk.name).toBe('so100-observation.images.cam-2px.npz');
    client.emit({ type: 'dataset/upload-progress', uploadId: chunk.uploadId, received: chunk.data.length, size: chunk.size });
    expect(await done).toBe(true);
    expect(vd.decoding).toBe(false);

    const set = await readBackImageEpisodes(chunk.data, chunk.name);
    expect(set.episodes.map((e) => e.frames.length / (S * S * 3))).toEqual([3, 2]);
    expect(Array.from(set.episodes[1].frames.filter((_, i) => i % (S * S * 3) === 0))).toEqual([100, 101]);
    expect(Array.from(set.episodes[0].actions)).toEqual([0, 0.1, 0.2, 0.3].map((v) => Math.fround(v)));
    expect(set.stateNames).toEqual(['state[0]', 'state[1]', 'state[2]']);
  });

  it('says why when the dataset has no action field or the engine refuses the video', async () => {
    const { client } = attachFakeClient();
    client.open([]);
    const vd = useVideoDecodeStore();
    client.emit({ type: 'dataset/summary', datasetId: 'd1', summary: { ...SUMMARY, roles: { observation: ['observation.state'] } } });
    expect(await vd.decode('observation.images.cam', S, 1, async () => [])).toBe(false);
    expect(vd.error).toMatch(/\/data\/so100: no action field/);
    client.emit({ type: 'dataset/summary', datasetId: 'd2', summary: SUMMARY });
    const done = vd.decode('observation.images.cam', S, 1, async () => []);
    await flush();
    client.emit({ type: 'error', message: 'dataset/video: /data/so100: videos/cam/episode_000000.mp4: missing' });
    expect(await done).toBe(false);
    expect(vd.error).toMatch(/episode_000000\.mp4: missing/);
  });
});
