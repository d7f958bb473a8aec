import type { MenuItemConstructorOptions } from 'electron';

/** What the menu needs from the app. */
export interface AppMenuOptions {
  /** Unpackaged (`npm run dev` / `npm start`): adds the developer tools item. */
  isDev: boolean;
  /** macOS puts Quit and About in the application menu. */
  platform: NodeJS.Platform;
  /** Shows the About dialog. */
  onAbout: () => void;
}

/**
 * The application menu as a template (Menu.buildFromTemplate turns it into a menu).
 *
 * Roles give each item its platform's label, accelerator and behaviour. The Edit menu is there for
 * its accelerators: without it, copy and paste do not work in text fields on macOS.
 */
export function appMenuTemplate(options: AppMenuOptions): MenuItemConstructorOptions[] {
  const isMac = options.platform === 'darwin';
  const about: MenuItemConstructorOptions = { label: 'About MBRL Lab', click: options.onAbout };
  const view: MenuItemConstructorOptions[] = [
    { role: 'reload' },
    { role: 'forceReload' },
    ...(options.isDev ? [{ role: 'toggleDevTools' } as const] : []),
    { type: 'separator' },
    { role: 'resetZoom' },
    { role: 'zoomIn' },
    { role: 'zoomOut' },
    { type: 'separator' },
    { role: 'togglefullscreen' },
  ];
  return [
    ...(isMac
      ? [{ label: 'MBRL Lab', submenu: [about, { type: 'separator' }, { role: 'hide' }, { role: 'hideOthers' }, { role: 'unhide' }, { type: 'separator' }, { role: 'quit' }] } satisfies MenuItemConstructorOptions]
      : []),
    { label: 'File', submenu: [isMac ? { role: 'close' } : { role: 'quit' }] },
    { role: 'editMenu' },
    { label: 'View', submenu: view },
    { role: 'windowMenu' },
    { role: 'help', submenu: [about] },
  ];
}

/** The About dialog's text: one `name: version` a line. */
export function aboutDetail(versions: Record<string, string>): string {
  return Object.entries(versions)
    .map(([name, version]) => `${name}: ${version}`)
    .join('\n');
}
