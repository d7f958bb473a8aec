/**
 * serve's /dataset-video/<token> route over real HTTP: whole files, byte ranges (206), ranges
 * outside the file (416), tokens never granted or revoked (404), and no way to reach another file
 * by the URL (the path comes from the grant only).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { createServer, request, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isVideoRequest, serveVideo } from '../../../src-main/cli/serve/video-route';
import { VideoGrants } from '../../../src-main/protocol/video-grants';

const token = '0123456789abcdef0123456789abcdef';
const bytes = Buffer.from(Array.from({ length: 1000 }, (_, i) => i % 251));
let server: Server;
let port: number;
const grants = new VideoGrants();
let secret: string;

beforeAll(async () => {
  const dir = mkdtempSync(join(tmpdir(), 'mbrl-video-route-'));
  writeFileSync(join(dir, 'episode_000000.mp4'), bytes);
  secret = join(dir, 'secret.txt');
  writeFileSync(secret, 'not a video');
  grants.apply({ type: 'video/grant', token, file: join(dir, 'episode_000000.mp4'), owner: 'c1/ds1' });
  server = createServer((req, res) => {
    if (!isVideoRequest(req)) return void res.writeHead(418).end();
    void serveVideo(grants, req, res);
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  port = (server.address() as AddressInfo).port;
});

afterAll(() => new Promise<void>((r) => server.close(() => r())));

/** A raw request (path sent as written, no normalisation by a URL parser). */
function get(path: string, headers: Record<string, string> = {}, method = 'GET'): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, method, headers }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

describe('serveVideo', () => {
  it('sends the whole file with Accept-Ranges', async () => {
    const r = await get(`/dataset-video/${token}`);
    expect(r.status).toBe(200);
    expect(r.headers['accept-ranges']).toBe('bytes');
    expect(r.headers['content-type']).toBe('video/mp4');
    expect(r.headers['content-length']).toBe('1000');
    expect(r.body.equals(bytes)).toBe(true);
  });

  it('sends a byte range as 206 Partial Content', async () => {
    const r = await get(`/dataset-video/${token}`, { range: 'bytes=100-199' });
    expect(r.status).toBe(206);
    expect(r.headers['content-range']).toBe('bytes 100-199/1000');
    expect(r.headers['content-length']).toBe('100');
    expect(r.body.equals(bytes.subarray(100, 200))).toBe(true);
    const tail = await get(`/dataset-video/${token}`, { range: 'bytes=-10' });
    expect(tail.status).toBe(206);
    expect(tail.body.equals(bytes.subarray(990))).toBe(true);
    const open = await get(`/dataset-video/${token}`, { range: 'bytes=995-' });
    expect(open.headers['content-range']).toBe('bytes 995-999/1000');
    expect(open.body.equals(bytes.subarray(995))).toBe(true);
  });

  it('answers 416 for a range outside the file', async () => {
    const r = await get(`/dataset-video/${token}`, { range: 'bytes=1000-1010' });
    expect(r.status).toBe(416);
    expect(r.headers['content-range']).toBe('bytes */1000');
  });

  it('HEAD: headers only; other methods: 405', async () => {
    const head = await get(`/dataset-video/${token}`, { range: 'bytes=0-9' }, 'HEAD');
    expect(head.status).toBe(206);
    expect(head.body.length).toBe(0);
    expect((await get(`/dataset-video/${token}`, {}, 'POST')).status).toBe(405);
  });

  it('404 for a token never granted and for one revoked', async () => {
    expect((await get('/dataset-video/ffffffffffffffffffffffffffffffff')).status).toBe(404);
    const closing = 'c'.repeat(32);
    grants.apply({ type: 'video/grant', token: closing, file: join(secret, '..', 'episode_000000.mp4'), owner: 'c2/ds7' });
    expect((await get(`/dataset-video/${closing}`, { range: 'bytes=0-0' })).status).toBe(206);
    grants.apply({ type: 'video/revoke', owner: 'c2/ds7' });
    expect((await get(`/dataset-video/${closing}`)).status).toBe(404);
    expect((await get(`/dataset-video/${token}`, { range: 'bytes=0-0' })).status).toBe(206);
  });

  it('no URL reaches another file: traversal, encoded traversal, extra segments, paths as tokens', async () => {
    for (const path of [
      '/dataset-video/../../../../etc/passwd',
      '/dataset-video/..%2F..%2F..%2Fetc%2Fpasswd',
      `/dataset-video/${token}/../secret.txt`,
      `/dataset-video/x/${token}`,
      `/dataset-video/${encodeURIComponent(secret)}`,
      '/dataset-video/',
    ]) {
      const r = await get(path);
      expect(r.status, path).toBe(404);
      expect(r.body.toString()).not.toContain('not a video');
    }
  });
});
