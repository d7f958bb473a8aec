import { shell, type Session, type WebContents } from 'electron';
import { isRendererUrl, type RendererLocation } from './renderer-location';

/**
 * Whether a URL may be handed to the operating system's browser: web pages only. Never file:,
 * custom schemes or javascript:, which would let a page start local programs.
 */
export function isExternalWebUrl(url: string): boolean {
  try {
    const { protocol } = new URL(url);
    return protocol === 'https:' || protocol === 'http:';
  } catch {
    return false;
  }
}

/** Opens web links in the user's browser; ignores everything else. */
function openExternally(url: string): void {
  if (isExternalWebUrl(url)) void shell.openExternal(url);
}

/**
 * Keeps a webContents on our page: navigation elsewhere is cancelled (web links open in the user's
 * browser instead), new windows are refused, and `<webview>` cannot be attached.
 *
 * The workbench is a single page: any navigation away from it is a link clicked by mistake or
 * something the page did not intend, and a foreign page in our window would inherit our preload.
 */
export function guardWebContents(contents: WebContents, renderer: RendererLocation): void {
  const stayOnPage = (event: { preventDefault(): void; url: string }): void => {
    if (isRendererUrl(event.url, renderer)) return;
    event.preventDefault();
    openExternally(event.url);
  };
  contents.on('will-navigate', stayOnPage);
  contents.on('will-redirect', (event) => {
    if (!isRendererUrl(event.url, renderer)) event.preventDefault();
  });
  contents.setWindowOpenHandler(({ url }) => {
    openExternally(url);
    return { action: 'deny' };
  });
  contents.on('will-attach-webview', (event) => event.preventDefault());
}

/**
 * Refuses every permission (camera, microphone, geolocation, notifications, MIDI, …) a page asks
 * for. The workbench needs none; Electron's default would grant them all without asking the user.
 */
export function denyAllPermissions(session: Session): void {
  session.setPermissionRequestHandler((_contents, _permission, callback) => callback(false));
  session.setPermissionCheckHandler(() => false);
}
