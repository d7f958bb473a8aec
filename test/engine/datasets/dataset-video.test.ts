/**
 * LeRobot video features: which file and time span hold an episode's frames (v2.1: one file per
 * episode from 0 s; v3.0: episodes packed in one file from their from_timestamp), and the engine's
 * `dataset/video` answer: a URL holding only a token, granted to the media host for exactly that
 * file, revoked when the dataset or the connection closes. Paths outside the folder are refused.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { DatasetSessions } from '../../../src-main/engine/datasets/dataset-sessions';
import { openLocalDataset } from '../../../src-main/engine/datasets/open-local-dataset';
import type { VideoGrantMessage } from '../../../src-main/protocol/video-grants';
import { writeLeRobotVideoV2, writeLeRobotVideoV3 } from '../../fixtures/datasets/lerobot-video/lerobot-video-files';

let dir: string;
let v2: string;
let v3: string;
const CAM = 'observation.images.cam';

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mbrl-video-'));
  v2 = writeLeRobotVideoV2(join(dir, 'v2'));
  v3 = writeLeRobotVideoV3(join(dir, 'v3'));
});

const sessions: DatasetSessions[] = [];
afterEach(async () => {
  for (const s of sessions.splice(0)) await s.closeAll();
});

function withMedia(host: 'serve' | 'electron' = 'serve') {
  const posted: VideoGrantMessage[] = [];
  const s = new DatasetSessions(dir, undefined, join(dir, 'uploads'), { host, post: (m) => posted.push(m) });
  sessions.push(s);
  return { s, posted };
}

describe('LeRobot video features in the reader', () => {
  it('v2.1: one file per episode, frame 0 at 0 s; listed in summary.videos with fps and codec', async () => {
    const reader = await openLocalDataset(v2);
    try {
      expect(reader.summary.videos).toEqual({ [CAM]: { fps: 10, codec: 'av1', height: 64, width: 64 }, 'observation.images.wrist': { fps: 10, height: 64, width: 64 } });
      expect(reader.summary.fields[CAM]).toBeUndefined();
      expect(reader.summary.warnings.join('\n')).toMatch(/video features are not read as arrays.*observation\.images\.cam/);
      expect(reader.videoOf(1, CAM)).toEqual({ rel: `videos/chunk-000/${CAM}/episode_000001.mp4`, from: 0, to: 2, fps: 10, frames: 20 });
      expect(reader.videoOf(0, 'observation.state')).toBeUndefined();
    } finally {
      await reader.close();
    }
  });

  it('v3.0: episodes share a file; episode 1 starts at its from_timestamp', async () => {
    const reader = await openLocalDataset(v3);
    try {
      expect(reader.summary.videos?.[CAM]).toEqual({ fps: 10, codec: 'h264', height: 64, width: 64 });
      expect(reader.videoOf(0, CAM)).toEqual({ rel: `videos/${CAM}/chunk-000/file-000.mp4`, from: 0, to: 2, fps: 10, frames: 20 });
      expect(reader.videoOf(1, CAM)).toEqual({ rel: `videos/${CAM}/chunk-000/file-000.mp4`, from: 2, to: 4, fps: 10, frames: 20 });
    } finally {
      await reader.close();
    }
  });
});

describe('dataset/video', () => {
  it('grants the episode file under a fresh token and answers a URL with only the token', async () => {
    const { s, posted } = withMedia();
    const { datasetId } = await s.open(v3);
    const event = await s.video(datasetId, 1, CAM);
    expect(event).toMatchObject({ type: 'dataset/video', datasetId, episode: 1, key: CAM, from: 2, to: 4, fps: 10, frames: 20, codec: 'h264' });
    expect(event.url).toMatch(/^\/dataset-video\/[0-9a-f]{32}$/);
    expect(posted).toHaveLength(1);
    const grant = posted[0] as Extract<VideoGrantMessage, { type: 'video/grant' }>;
    expect(grant.type).toBe('video/grant');
    expect(event.url.endsWith(grant.token)).toBe(true);
    expect(grant.file).toBe(join(v3, `videos/${CAM}/chunk-000/file-000.mp4`));
    expect(readFileSync(grant.file).subarray(4, 8).toString()).toBe('ftyp');
    // Asking again gives the same URL (the browser's media cache keeps working), no second grant.
    expect((await s.video(datasetId, 1, CAM)).url).toBe(event.url);
    expect(posted).toHaveLength(1);
    // Closing the dataset revokes what it granted.
    await s.close(datasetId);
    expect(posted[1]).toEqual({ type: 'video/revoke', owner: grant.owner });
  });

  it('gives Electron a mbrl-video: URL and revokes the whole connection when it goes', async () => {
    const { s, posted } = withMedia('electron');
    const { datasetId } = await s.open(v2);
    const event = await s.video(datasetId, 0, CAM);
    expect(event.url).toMatch(/^mbrl-video:\/\/grant\/[0-9a-f]{32}$/);
    expect(event).toMatchObject({ from: 0, to: 2, codec: 'av1' });
    const owner = (posted[0] as { owner: string }).owner;
    await s.closeAll();
    expect(posted.at(-1)).toEqual({ type: 'video/revoke', owner: owner.split('/')[0] });
  });

  it('refuses a key that is not a video, an episode outside, a missing file and paths leading outside', async () => {
    const { s, posted } = withMedia();
    const { datasetId } = await s.open(v2);
    await expect(s.video(datasetId, 0, 'observation.state')).rejects.toThrow(/^dataset\/video: .*observation\.state.*not a video feature/);
    await expect(s.video(datasetId, 5, CAM)).rejects.toThrow(/no episode 5/);
    await expect(s.video('ds99', 0, CAM)).rejects.toThrow("dataset/video: no open dataset 'ds99'");

    // A copy whose episode-1 file is gone, and one whose template climbs out of the folder.
    const broken = writeLeRobotVideoV2(join(dir, 'v2-missing'));
    rmSync(join(broken, `videos/chunk-000/${CAM}/episode_000001.mp4`));
    const b = await s.open(broken);
    await expect(s.video(b.datasetId, 1, CAM)).rejects.toThrow(/episode_000001\.mp4.*missing video file for episode_1/);

    const escape = writeLeRobotVideoV2(join(dir, 'v2-escape'));
    const info = JSON.parse(readFileSync(join(escape, 'meta/info.json'), 'utf8'));
    info.video_path = '../v3/videos/{video_key}/chunk-000/file-000.mp4';
    writeFileSync(join(escape, 'meta/info.json'), JSON.stringify(info));
    const e = await s.open(escape);
    await expect(s.video(e.datasetId, 0, CAM)).rejects.toThrow(/leads outside the dataset folder/);
    expect(posted).toEqual([]);
  });

  it('says so where no media host serves videos (the CLI, in-process)', async () => {
    const s = new DatasetSessions(dir, undefined, join(dir, 'uploads2'), undefined);
    sessions.push(s);
    const { datasetId } = await s.open(v2);
    await expect(s.video(datasetId, 0, CAM)).rejects.toThrow('dataset/video: this engine has no media host to play videos (state and action only)');
  });
});
