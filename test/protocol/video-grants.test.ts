import { describe, expect, it } from 'vitest';
import { frameTime, isVideoGrantMessage, parseByteRange, tokenOfPath, VideoGrants, videoUrl } from '../../src-main/protocol/video-grants';

const token = 'a'.repeat(32);
const other = '0123456789abcdef0123456789abcdef';

describe('parseByteRange', () => {
  it('reads closed, open-ended and suffix ranges, clipping the end to the file', () => {
    expect(parseByteRange('bytes=0-99', 1000)).toEqual({ start: 0, end: 99 });
    expect(parseByteRange('bytes=500-', 1000)).toEqual({ start: 500, end: 999 });
    expect(parseByteRange('bytes=-100', 1000)).toEqual({ start: 900, end: 999 });
    expect(parseByteRange('bytes=-5000', 1000)).toEqual({ start: 0, end: 999 });
    expect(parseByteRange('bytes=990-5000', 1000)).toEqual({ start: 990, end: 999 });
  });

  it('sends the whole file for no header, other units and several ranges', () => {
    expect(parseByteRange(undefined, 1000)).toBeUndefined();
    expect(parseByteRange('items=0-5', 1000)).toBeUndefined();
    expect(parseByteRange('bytes=0-5,10-20', 1000)).toBeUndefined();
    expect(parseByteRange('bytes=-', 1000)).toBeUndefined();
  });

  it('is unsatisfiable outside the file or backwards', () => {
    expect(parseByteRange('bytes=1000-', 1000)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=20-10', 1000)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=-0', 1000)).toBe('unsatisfiable');
    expect(parseByteRange('bytes=0-', 0)).toBe('unsatisfiable');
  });
});

describe('frameTime', () => {
  const v2 = { from: 0, to: 2, fps: 10, frames: 20 };
  const v3 = { from: 2, to: 4, fps: 10, frames: 20 };

  it('seeks to the middle of frame k, after the episode offset (v3)', () => {
    expect(frameTime(v2, 0)).toBeCloseTo(0.05, 9);
    expect(frameTime(v2, 7)).toBeCloseTo(0.75, 9);
    expect(frameTime(v3, 0)).toBeCloseTo(2.05, 9);
    expect(frameTime(v3, 13)).toBeCloseTo(3.35, 9);
  });

  it('stays inside the episode', () => {
    expect(frameTime(v2, -3)).toBeCloseTo(0.05, 9);
    expect(frameTime(v3, 99)).toBeCloseTo(3.95, 9);
    expect(frameTime({ from: 2, to: 2.02, fps: 10, frames: 1 }, 0)).toBeLessThan(2.02);
  });
});

describe('VideoGrants', () => {
  it('maps a granted token to its file until its dataset or connection is revoked', async () => {
    const grants = new VideoGrants();
    grants.apply({ type: 'video/grant', token, file: '/data/a.mp4', owner: 'conn1/ds1' });
    grants.apply({ type: 'video/grant', token: other, file: '/data/b.mp4', owner: 'conn1/ds2' });
    expect(await grants.resolve(token)).toBe('/data/a.mp4');
    grants.apply({ type: 'video/revoke', owner: 'conn1/ds1' });
    expect(await grants.resolve(token)).toBeUndefined();
    expect(await grants.resolve(other)).toBe('/data/b.mp4');
    grants.apply({ type: 'video/revoke', owner: 'conn1' });
    expect(grants.size).toBe(0);
  });

  it('ignores malformed messages (a path as token, no owner, another type)', () => {
    const grants = new VideoGrants();
    for (const m of [
      { type: 'video/grant', token: '../../etc/passwd', file: '/etc/passwd', owner: 'x' },
      { type: 'video/grant', token, file: '/a.mp4' },
      { type: 'video/grant', token, file: '', owner: 'x' },
      { type: 'engine/connect' },
      null,
      'video/grant',
    ]) {
      expect(isVideoGrantMessage(m)).toBe(false);
      grants.apply(m);
    }
    expect(grants.size).toBe(0);
  });

  it('waits for a grant that is on its way, and gives up after the wait', async () => {
    const grants = new VideoGrants();
    const late = grants.resolve(token, 1000);
    setTimeout(() => grants.apply({ type: 'video/grant', token, file: '/data/a.mp4', owner: 'c/d' }), 20);
    expect(await late).toBe('/data/a.mp4');
    const t0 = Date.now();
    expect(await grants.resolve(other, 50)).toBeUndefined();
    expect(Date.now() - t0).toBeGreaterThanOrEqual(40);
  });
});

describe('video URLs', () => {
  it('name only a token, per host', () => {
    expect(videoUrl('serve', token)).toBe(`/dataset-video/${token}`);
    expect(videoUrl('electron', token)).toBe(`mbrl-video://grant/${token}`);
    expect(tokenOfPath(`/dataset-video/${token}`)).toBe(token);
    expect(tokenOfPath('/dataset-video/..%2F..%2Fetc%2Fpasswd')).toBeUndefined();
    expect(tokenOfPath(`/dataset-video/${token.toUpperCase()}`)).toBeUndefined();
  });
});
