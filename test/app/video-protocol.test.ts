/**
 * Electron's mbrl-video: protocol without an Electron binary: the scheme's privileges, the handler
 * registered on the session, and the responses (whole file, ranges, 416, 404, a foreign page's
 * request refused, a grant that arrives just after its request).
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { CONTENT_SECURITY_POLICY } from '../../src-main/app/content-security-policy';
import { handleVideoProtocol, registerVideoScheme, videoResponse } from '../../src-main/app/video-protocol';
import { SERVE_CSP } from '../../src-main/cli/serve/static-files';
import { VideoGrants } from '../../src-main/protocol/video-grants';

const { registerSchemesAsPrivileged } = vi.hoisted(() => ({ registerSchemesAsPrivileged: vi.fn() }));
vi.mock('electron', () => ({ protocol: { registerSchemesAsPrivileged } }));

const token = '0123456789abcdef0123456789abcdef';
const url = `mbrl-video://grant/${token}`;
const renderer = { kind: 'file', path: '/repo/out/renderer/index.html' } as const;
const bytes = Buffer.from(Array.from({ length: 500 }, (_, i) => (i * 7) % 256));
const grants = new VideoGrants();
let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'mbrl-video-protocol-'));
  writeFileSync(join(dir, 'episode_000000.mp4'), bytes);
  grants.apply({ type: 'video/grant', token, file: join(dir, 'episode_000000.mp4'), owner: 'c/ds1' });
});

const ask = (target: string, init: RequestInit = {}, waitMs = 100) => videoResponse(grants, new Request(target, init), renderer, waitMs);

describe('registerVideoScheme / handleVideoProtocol', () => {
  it('declares mbrl-video standard, secure, streaming and CORS-enabled, without bypassing the CSP', () => {
    registerVideoScheme();
    expect(registerSchemesAsPrivileged).toHaveBeenCalledWith([{ scheme: 'mbrl-video', privileges: { standard: true, secure: true, stream: true, corsEnabled: true } }]);
    const privileges = registerSchemesAsPrivileged.mock.calls[0][0][0].privileges;
    expect(privileges.bypassCSP).toBeUndefined();
  });

  it('handles the scheme on the given session with videoResponse', async () => {
    const handle = vi.fn();
    handleVideoProtocol({ protocol: { handle } } as never, grants, renderer);
    expect(handle).toHaveBeenCalledWith('mbrl-video', expect.any(Function));
    const response: Response = await handle.mock.calls[0][1](new Request(url, { headers: { range: 'bytes=0-3' } }));
    expect(response.status).toBe(206);
    expect(Buffer.from(await response.arrayBuffer()).equals(bytes.subarray(0, 4))).toBe(true);
  });
});

describe('videoResponse', () => {
  it('streams the whole granted file', async () => {
    const r = await ask(url);
    expect(r.status).toBe(200);
    expect(r.headers.get('accept-ranges')).toBe('bytes');
    expect(r.headers.get('content-type')).toBe('video/mp4');
    expect(Buffer.from(await r.arrayBuffer()).equals(bytes)).toBe(true);
  });

  it('answers ranges with 206 and Content-Range, outside ranges with 416', async () => {
    const r = await ask(url, { headers: { range: 'bytes=100-149' } });
    expect(r.status).toBe(206);
    expect(r.headers.get('content-range')).toBe('bytes 100-149/500');
    expect(r.headers.get('content-length')).toBe('50');
    expect(Buffer.from(await r.arrayBuffer()).equals(bytes.subarray(100, 150))).toBe(true);
    const out = await ask(url, { headers: { range: 'bytes=600-' } });
    expect(out.status).toBe(416);
    expect(out.headers.get('content-range')).toBe('bytes */500');
  });

  it('404 for unknown tokens, other hosts, extra path segments and paths in place of tokens', async () => {
    for (const target of [
      'mbrl-video://grant/ffffffffffffffffffffffffffffffff',
      `mbrl-video://other/${token}`,
      `mbrl-video://grant/${token}/x`,
      `mbrl-video://grant/x/${token}`,
      'mbrl-video://grant/..%2F..%2Fetc%2Fpasswd',
      `mbrl-video://grant/${encodeURIComponent(join(dir, 'episode_000000.mp4'))}`,
    ]) {
      expect((await videoResponse(grants, new Request(target), renderer, 20)).status, target).toBe(404);
    }
  });

  it("refuses another page's request (a Referer that is not our renderer) and methods other than GET/HEAD", async () => {
    expect((await ask(url, { headers: { referer: 'https://evil.example/' } })).status).toBe(403);
    expect((await ask(url, { headers: { referer: 'file:///repo/out/renderer/index.html#/datasets' } })).status).toBe(200);
    expect((await ask(url, { method: 'POST' })).status).toBe(405);
    const head = await ask(url, { method: 'HEAD' });
    expect(head.status).toBe(200);
    expect(head.headers.get('content-length')).toBe('500');
  });

  it("answers our page's CORS request with its origin, so a crossOrigin <video> leaves the canvas readable", async () => {
    const cors = await ask(url, { headers: { origin: 'null', referer: 'file:///repo/out/renderer/index.html' } });
    expect(cors.status).toBe(200);
    expect(cors.headers.get('access-control-allow-origin')).toBe('null');
    expect((await ask(url)).headers.get('access-control-allow-origin')).toBeNull();
    expect((await ask(url, { headers: { origin: 'https://evil.example', referer: 'https://evil.example/' } })).status).toBe(403);
  });

  it('serves a grant that arrives just after the request (engine → main races engine → renderer)', async () => {
    const late = 'b'.repeat(32);
    const pending = ask(`mbrl-video://grant/${late}`, {}, 2000);
    setTimeout(() => grants.apply({ type: 'video/grant', token: late, file: join(dir, 'episode_000000.mp4'), owner: 'c/ds2' }), 30);
    expect((await pending).status).toBe(200);
    grants.apply({ type: 'video/revoke', owner: 'c/ds2' });
    expect((await ask(`mbrl-video://grant/${late}`)).status).toBe(404);
  });
});

describe('media-src', () => {
  const directive = (policy: string, name: string) => policy.split(';').map((d) => d.trim().split(/\s+/)).find(([n]) => n === name)?.slice(1);

  it('admits dataset videos in media-src only: the app header, the built page and serve', () => {
    expect(directive(CONTENT_SECURITY_POLICY, 'media-src')).toEqual(["'self'", 'mbrl-video:']);
    const meta = /http-equiv="Content-Security-Policy"\s+content="([^"]+)"/.exec(readFileSync('src-renderer/index.html', 'utf8'))?.[1] ?? '';
    expect(directive(meta, 'media-src')).toEqual(["'self'", 'mbrl-video:']);
    expect(directive(SERVE_CSP, 'media-src')).toEqual(["'self'"]);
    for (const policy of [CONTENT_SECURITY_POLICY, meta, SERVE_CSP]) {
      for (const other of ['default-src', 'script-src', 'img-src', 'connect-src', 'worker-src']) expect(directive(policy, other) ?? [], other).not.toContain('mbrl-video:');
    }
  });
});
