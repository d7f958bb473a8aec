import { describe, expect, it } from 'vitest';
import { isRendererUrl } from '../../src-main/app/renderer-location';

describe('isRendererUrl', () => {
  const file = { kind: 'file', path: '/opt/MBRL Lab/out/renderer/index.html' } as const;
  const dev = { kind: 'dev-server', url: 'http://localhost:5173/' } as const;

  it('accepts our index.html with any hash or query', () => {
    expect(isRendererUrl('file:///opt/MBRL%20Lab/out/renderer/index.html', file)).toBe(true);
    expect(isRendererUrl('file:///opt/MBRL%20Lab/out/renderer/index.html#/runs?x=1', file)).toBe(true);
  });

  it('refuses other files, other schemes and junk', () => {
    expect(isRendererUrl('file:///opt/MBRL%20Lab/out/renderer/other.html', file)).toBe(false);
    expect(isRendererUrl('file:///tmp/index.html', file)).toBe(false);
    expect(isRendererUrl('file://evil.example/opt/MBRL%20Lab/out/renderer/index.html', file)).toBe(false);
    expect(isRendererUrl('https://example.com/', file)).toBe(false);
    expect(isRendererUrl('not a url', file)).toBe(false);
    expect(isRendererUrl(undefined, file)).toBe(false);
  });

  it('matches the dev server by origin', () => {
    expect(isRendererUrl('http://localhost:5173/src/views/x.vue', dev)).toBe(true);
    expect(isRendererUrl('http://localhost:5174/', dev)).toBe(false);
    expect(isRendererUrl('http://127.0.0.1:5173/', dev)).toBe(false);
  });

  it('compares Windows paths without case', () => {
    const upper = { kind: 'file', path: '/Opt/Index.html' } as const;
    expect(isRendererUrl('file:///opt/index.html', upper, 'win32')).toBe(true);
    expect(isRendererUrl('file:///opt/index.html', upper, 'linux')).toBe(false);
  });
});
