import { EventEmitter } from 'node:events';
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { denyAllPermissions, guardWebContents, isExternalWebUrl } from '../../src-main/app/web-guards';

const { openExternal } = vi.hoisted(() => ({ openExternal: vi.fn(async () => undefined) }));
vi.mock('electron', () => ({ shell: { openExternal } }));

const renderer = { kind: 'file', path: '/repo/out/renderer/index.html' } as const;

/** A webContents stand-in: an emitter plus the window-open handler it was given. */
class FakeContents extends EventEmitter {
  openHandler: ((details: { url: string }) => { action: string }) | undefined;
  setWindowOpenHandler(handler: (details: { url: string }) => { action: string }): void {
    this.openHandler = handler;
  }
  /** Emits a cancellable navigation event and says whether it was cancelled. */
  navigate(kind: 'will-navigate' | 'will-redirect', url: string): boolean {
    const event = { url, preventDefault: vi.fn() };
    this.emit(kind, event);
    return event.preventDefault.mock.calls.length > 0;
  }
}

describe('guardWebContents', () => {
  let contents: FakeContents;
  beforeEach(() => {
    openExternal.mockClear();
    contents = new FakeContents();
    guardWebContents(contents as never, renderer);
  });

  it('lets the page navigate within itself', () => {
    expect(contents.navigate('will-navigate', 'file:///repo/out/renderer/index.html#/runs')).toBe(false);
  });

  it('keeps the window on our page and opens web links in the browser', () => {
    expect(contents.navigate('will-navigate', 'https://mujoco.org/')).toBe(true);
    expect(openExternal).toHaveBeenCalledWith('https://mujoco.org/');
    expect(contents.navigate('will-navigate', 'file:///etc/passwd')).toBe(true);
    expect(contents.navigate('will-redirect', 'https://evil.example/')).toBe(true);
    expect(openExternal).toHaveBeenCalledOnce();
  });

  it('refuses new windows, opening only web links externally', () => {
    expect(contents.openHandler!({ url: 'https://arxiv.org/abs/1805.12114' })).toEqual({ action: 'deny' });
    expect(contents.openHandler!({ url: 'file:///bin/sh' })).toEqual({ action: 'deny' });
    expect(openExternal).toHaveBeenCalledExactlyOnceWith('https://arxiv.org/abs/1805.12114');
  });

  it('refuses <webview>', () => {
    const event = { preventDefault: vi.fn() };
    contents.emit('will-attach-webview', event);
    expect(event.preventDefault).toHaveBeenCalled();
  });
});

describe('isExternalWebUrl', () => {
  it('accepts http(s) only', () => {
    expect(isExternalWebUrl('https://example.com')).toBe(true);
    expect(isExternalWebUrl('http://example.com')).toBe(true);
    for (const url of ['file:///bin/sh', 'javascript:alert(1)', 'smb://host/share', 'nonsense']) {
      expect(isExternalWebUrl(url)).toBe(false);
    }
  });
});

describe('denyAllPermissions', () => {
  it('refuses requests and checks', () => {
    let request: ((c: unknown, p: string, cb: (ok: boolean) => void) => void) | undefined;
    let check: (() => boolean) | undefined;
    denyAllPermissions({
      setPermissionRequestHandler: (h: typeof request) => (request = h),
      setPermissionCheckHandler: (h: typeof check) => (check = h),
    } as never);
    const callback = vi.fn();
    request!(undefined, 'media', callback);
    expect(callback).toHaveBeenCalledWith(false);
    expect(check!()).toBe(false);
  });
});
