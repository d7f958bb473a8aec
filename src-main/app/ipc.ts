import { BrowserWindow, dialog, ipcMain, type IpcMainInvokeEvent, type MessagePortMain, type WebContents } from 'electron';
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
    <T>(handler: (event: IpcMainInvokeEvent, ...args: unknown[]) => T) =>
    (event: IpcMainInvokeEvent, ...args: unknown[]): T => {
      if (!isTrustedSender(senderFacts(event, deps.isOurWebContents), deps.renderer)) {
        throw new Error('IPC refused: the sender is not the MBRL Lab workbench page.');
      }
      return handler(event, ...args);
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
  ipcMain.handle(
    IpcChannel.chooseDatasetPath,
    guarded((event, kind) => chooseDatasetPath(event.sender, kind === 'folder' ? 'folder' : 'file')),
  );
  ipcMain.handle(
    IpcChannel.chooseExportPath,
    guarded((event, format) => chooseExportPath(event.sender, format === 'npz' ? 'npz' : 'robomimic')),
  );
  return () => {
    ipcMain.removeHandler(IpcChannel.requestEnginePort);
    ipcMain.removeHandler(IpcChannel.appVersions);
    ipcMain.removeHandler(IpcChannel.chooseDatasetPath);
    ipcMain.removeHandler(IpcChannel.chooseExportPath);
  };
}

/** The native open dialog over the sender's window: a dataset file (by extension) or a folder. */
async function chooseDatasetPath(sender: WebContents, kind: 'file' | 'folder'): Promise<string | null> {
  const window = BrowserWindow.fromWebContents(sender);
  const options: Electron.OpenDialogOptions = {
    title: kind === 'folder' ? 'Open a dataset folder (LeRobot, Minari)' : 'Open a dataset file',
    properties: [kind === 'folder' ? 'openDirectory' : 'openFile'],
    filters: kind === 'folder' ? [] : [{ name: 'Datasets', extensions: ['hdf5', 'h5', 'npz', 'npy', 'parquet'] }, { name: 'All files', extensions: ['*'] }],
  };
  const result = window ? await dialog.showOpenDialog(window, options) : await dialog.showOpenDialog(options);
  return result.canceled ? null : (result.filePaths[0] ?? null);
}

/** The native save dialog for an export (robomimic → .hdf5, NPZ → .npz). */
async function chooseExportPath(sender: WebContents, format: 'robomimic' | 'npz'): Promise<string | null> {
  const window = BrowserWindow.fromWebContents(sender);
  const ext = format === 'npz' ? 'npz' : 'hdf5';
  const options: Electron.SaveDialogOptions = { title: `Export as ${format === 'npz' ? 'NPZ' : 'robomimic HDF5'}`, defaultPath: `export.${ext}`, filters: [{ name: format, extensions: [ext] }] };
  const result = window ? await dialog.showSaveDialog(window, options) : await dialog.showSaveDialog(options);
  return result.canceled ? null : (result.filePath ?? null);
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
