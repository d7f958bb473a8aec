// @vitest-environment happy-dom
/**
 * Video features in the Datasets store and the seeker behind the frame canvas: a video key is
 * offered with the image fields, its episode's URL is asked for once (dataset/video, never
 * dataset/frame), a failure becomes one line, and a scrub faster than the decoder keeps only the
 * newest step. Real decoding is proven in test/e2e-web/dataset-video.spec.ts.
 */
import { describe, expect, it } from 'vitest';
import type { DatasetSummaryMessage, EngineEvent } from '@protocol';
import { useDatasetsStore } from '../../src-renderer/src/stores/datasets';
import { mediaErrorText, unplayableCodec, VideoSeeker } from '../../src-renderer/src/components/datasets/video-seeker';
import { attachFakeClient } from './fake-lab-client';

const KEY = 'observation.images.cam';
const SUMMARY: DatasetSummaryMessage = {
  format: 'lerobot-v3',
  path: '/data/lerobot',
  episodes: [
    { index: 0, name: 'episode_0', length: 20 },
    { index: 1, name: 'episode_1', length: 20 },
  ],
  steps: 40,
  arrays: { 'observation.state': { shape: [40, 3], dtype: 'float32' }, [KEY]: { shape: [40, 64, 64, 3], dtype: 'video' } },
  fields: { 'observation.state': { shape: [3], dtype: 'float32', rows: 'steps' } },
  roles: { observation: ['observation.state'] },
  attributes: {},
  warnings: [],
  videos: { [KEY]: { fps: 10, codec: 'h264', height: 64, width: 64 } },
};
const videoEvent = (episode: number): EngineEvent => ({ type: 'dataset/video', datasetId: 'ds1', episode, key: KEY, url: `/dataset-video/${String(episode).repeat(32)}`, from: 2 * episode, to: 2 * episode + 2, fps: 10, frames: 20, codec: 'h264' });

function setup() {
  const { client } = attachFakeClient();
  const ds = useDatasetsStore();
  client.open();
  client.sent.length = 0;
  return { client, ds };
}

describe('datasets store: video features', () => {
  it('offers the video key as the image field and asks for its episode video once', () => {
    const { client, ds } = setup();
    client.emit({ type: 'dataset/summary', datasetId: 'ds1', summary: SUMMARY });
    expect(ds.images).toEqual([KEY]);
    expect(ds.imageField).toBe(KEY);
    expect(ds.imageIsVideo).toBe(true);
    const asks = () => client.sent.filter((m) => (m as { type: string }).type === 'dataset/video');
    expect(asks()).toEqual([{ type: 'dataset/video', datasetId: 'ds1', episode: 0, key: KEY }]);
    ds.setStep(5);
    ds.setStep(9);
    expect(asks()).toHaveLength(1);
    expect(client.sent.some((m) => (m as { type: string }).type === 'dataset/frame')).toBe(false);
    client.emit(videoEvent(0));
    expect(ds.video?.url).toBe(`/dataset-video/${'0'.repeat(32)}`);
    ds.selectEpisode(1);
    expect(ds.video).toBeNull();
    expect(asks().at(-1)).toEqual({ type: 'dataset/video', datasetId: 'ds1', episode: 1, key: KEY });
    // A late answer for the old episode is not shown.
    client.emit(videoEvent(0));
    expect(ds.video).toBeNull();
    client.emit(videoEvent(1));
    expect(ds.video?.from).toBe(2);
  });

  it("turns the engine's refusal into one line for the view", () => {
    const { client, ds } = setup();
    client.emit({ type: 'dataset/summary', datasetId: 'ds1', summary: SUMMARY });
    client.emit({ type: 'error', message: 'dataset/video: /data/lerobot/videos/x.mp4: observation.images.cam: missing video file for episode_0' });
    expect(ds.videoError).toBe('/data/lerobot/videos/x.mp4: observation.images.cam: missing video file for episode_0');
    expect(ds.summary).not.toBeNull();
  });
});

describe('video-seeker', () => {
  it('says which codecs this browser cannot play, and leaves unknown ones to the element', () => {
    const video = { canPlayType: (t: string) => (t.includes('hvc1') ? '' : 'probably') } as Pick<HTMLVideoElement, 'canPlayType'>;
    expect(unplayableCodec(video, 'hevc')).toBe('this browser cannot decode hevc video: frames not shown (state and action are)');
    expect(unplayableCodec(video, 'av1')).toBe('');
    expect(unplayableCodec(video, 'h264')).toBe('');
    expect(unplayableCodec(video, 'mystery')).toBe('');
    expect(unplayableCodec(video, undefined)).toBe('');
    expect(mediaErrorText({ code: 4, message: 'DEMUXER_ERROR_NO_SUPPORTED_STREAMS' } as MediaError)).toBe(
      'this browser cannot play the video format (DEMUXER_ERROR_NO_SUPPORTED_STREAMS): frames not shown (state and action are)',
    );
  });

  it('seeks one at a time and keeps only the newest target while a seek is out', async () => {
    // A stand-in element: each seek completes when the test says so.
    const target = new EventTarget() as EventTarget & { readyState: number; error: null; currentTime: number };
    const times: number[] = [];
    let t = 0;
    Object.assign(target, { readyState: 4, error: null });
    Object.defineProperty(target, 'currentTime', { get: () => t, set: (v: number) => { t = v; times.push(v); } });
    const drawn: number[] = [];
    const busy: boolean[] = [];
    const seeker = new VideoSeeker(target as unknown as HTMLVideoElement, (s) => drawn.push(s), (b) => busy.push(b));
    const settle = () => new Promise((r) => setTimeout(r, 0));
    seeker.seek(0.15, 1);
    seeker.seek(0.25, 2);
    seeker.seek(0.95, 9);
    await settle();
    expect(times).toEqual([0.15]);
    target.dispatchEvent(new Event('seeked'));
    await settle();
    // Step 1 was overtaken: not drawn; the newest (9) is sought next, 2 is skipped.
    expect(drawn).toEqual([]);
    expect(times).toEqual([0.15, 0.95]);
    target.dispatchEvent(new Event('seeked'));
    await settle();
    expect(drawn).toEqual([9]);
    expect(busy).toEqual([true, false]);
  });
});
