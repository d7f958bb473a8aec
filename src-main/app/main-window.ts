import { BrowserWindow, type WebContents } from 'electron';
import type { AppPaths } from './paths';
import { mainWindowOptions } from './window-options';

/**
 * Creates a workbench window and loads the page into it. The window stays hidden until its first
 * paint is ready, so it appears complete instead of white.
 */
export function createMainWindow(paths: AppPaths): BrowserWindow {
  const window = new BrowserWindow(mainWindowOptions(paths.preload));
  window.once('ready-to-show', () => window.show());
  const loaded =
    paths.renderer.kind === 'dev-server' ? window.loadURL(paths.renderer.url) : window.loadFile(paths.renderer.path);
  loaded.catch((error: unknown) => console.error('[app] the workbench page failed to load:', error));
  return window;
}

/** The workbench windows that are open, so IPC can tell our pages from any other. */
export class WindowRegistry {
  private readonly windows = new Set<BrowserWindow>();

  /** Tracks `window` until it closes. */
  add(window: BrowserWindow): BrowserWindow {
    this.windows.add(window);
    window.once('closed', () => this.windows.delete(window));
    return window;
  }

  /** Open windows, oldest first. */
  all(): BrowserWindow[] {
    return [...this.windows].filter((w) => !w.isDestroyed());
  }

  /** Whether `contents` is the page of one of our windows. */
  owns(contents: WebContents): boolean {
    return this.all().some((w) => w.webContents === contents);
  }
}
