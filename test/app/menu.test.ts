import type { MenuItemConstructorOptions } from 'electron';
import { describe, expect, it, vi } from 'vitest';
import { aboutDetail, appMenuTemplate } from '../../src-main/app/menu';

/** Every role and label in the menu tree, depth first. */
function items(template: MenuItemConstructorOptions[]): string[] {
  return template.flatMap((item) => [
    String(item.role ?? item.label ?? item.type),
    ...(Array.isArray(item.submenu) ? items(item.submenu) : []),
  ]);
}

describe('appMenuTemplate', () => {
  const onAbout = vi.fn();

  it('offers developer tools only when unpackaged', () => {
    expect(items(appMenuTemplate({ isDev: true, platform: 'linux', onAbout }))).toContain('toggleDevTools');
    expect(items(appMenuTemplate({ isDev: false, platform: 'linux', onAbout }))).not.toContain('toggleDevTools');
  });

  it('has quit, reload, zoom and About', () => {
    const all = items(appMenuTemplate({ isDev: false, platform: 'linux', onAbout }));
    for (const item of ['quit', 'reload', 'resetZoom', 'zoomIn', 'zoomOut', 'About MBRL Lab']) expect(all).toContain(item);
  });

  it('puts Quit in the application menu on macOS', () => {
    const [appMenu] = appMenuTemplate({ isDev: false, platform: 'darwin', onAbout });
    expect(items([appMenu!])).toContain('quit');
  });
});

describe('aboutDetail', () => {
  it('lists one version a line', () => {
    expect(aboutDetail({ app: '0.1.0', electron: '45.4.1' })).toBe('app: 0.1.0\nelectron: 45.4.1');
  });
});
