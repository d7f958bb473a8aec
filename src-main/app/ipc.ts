import { ipcMain, type BrowserWindow, type IpcMainInvokeEvent, type MessagePortMain, type WebContents } from 'electron';
import { IpcChannel } from '../protocol/ipc-channels';
import { isRendererUrl, type RendererLocation } from './renderer-location';

/** What main knows about the frame behind an IPC message. */
export interface SenderFacts {
  /** URL of the sending frame, or undefined when the frame is gone (navigated away or destroyed). */
  url: string | undefined;
  /** The frame is its page's top frame, not an iframe. */
  isMainFrame: boolean;
  /** The page lives in one of the workbench windows that main created. */
  isOurWindow: boolean;
}

/**
 * Whether to answer an IPC message: only the top frame of one of our windows, showing our own page.
 *
 * The preload runs only in top frames, but a compromised renderer can send any message from any
 * frame, so main checks instead of trusting it (a port to the engine can read and write files).
 */
export function isTrustedSender(facts: SenderFacts, renderer: RendererLocation): boolean {
  return facts.isOurWindow && facts.isMainFrame && isRendererUrl(facts.url, renderer);
}

/** Reads {@link SenderFacts} from an `ipcMain.handle` event. */
export function senderFacts(event: IpcMainInvokeEvent, isOurWebContents: (contents: WebContents) => boolean): SenderFacts {
  const frame = event.senderFrame;
  return {
    url: frame?.url,
    isMainFrame: frame !== null && frame.parent === null,
    isOurWindow: isOurWebContents(event.sender),
  };
}

/** What the IPC handlers need from the rest of main. */
export interface IpcDeps {
  /** Makes a new channel to the engine and returns the client's end. */
  connectEngine: () => MessagePortMain;
  /** Versions for `window.lab.appVersions()`. */
  versions: () => Record<string, string>;
  /** Where our page is loaded from. */
  renderer: RendererLocation;
  /** Whether a webContents belongs to a workbench window. */
  isOurWebContents: (contents: WebContents) => boolean;
}

/**
 * Registers the handlers for the renderer's invoke channels. Returns a function that removes them.
 *
 * An untrusted sender gets a rejected promise, never a port.
 */
export function registerIpcHandlers(deps: IpcDeps): () => void {
  const guarded =
    <T>(handler: (event: IpcMainInvokeEvent) => T) =>
    (event: IpcMainInvokeEvent): T => {
      if (!isTrustedSender(senderFacts(event, deps.isOurWebContents), deps.renderer)) {
        throw new Error('IPC refused: the sender is not the MBRL Lab workbench page.');
      }
      return handler(event);
    };

  ipcMain.handle(
    IpcChannel.requestEnginePort,
    guarded((event) => {
      const port = deps.connectEngine();
      // To the page's top frame, with the port in the transfer list; the preload relays it on.
      event.sender.postMessage(IpcChannel.enginePort, null, [port]);
    }),
  );
  ipcMain.handle(
    IpcChannel.appVersions,
    guarded(() => deps.versions()),
  );
  return () => {
    ipcMain.removeHandler(IpcChannel.requestEnginePort);
    ipcMain.removeHandler(IpcChannel.appVersions);
  };
}

/**
 * Tells each window that the engine was restarted after a crash. Each renderer then asks for a new
 * port (its old one closed with the old engine).
 */
export function notifyEngineRestarted(windows: Iterable<BrowserWindow>, message: string): void {
  for (const window of windows) {
    if (!window.isDestroyed()) window.webContents.send(IpcChannel.engineRestarted, message);
  }
}
