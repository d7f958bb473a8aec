/**
 * Names of the few Electron IPC messages between preload and main. Everything else goes over the
 * engine MessagePort. One preload function per message.
 */
export const IpcChannel = {
  /** renderer → main (invoke): please send me a MessagePort to the engine. */
  requestEnginePort: 'lab:request-engine-port',
  /** main → renderer: here is the port (sent with webContents.postMessage, port in the transfer list). */
  enginePort: 'lab:engine-port',
  /** main → renderer: the engine crashed and was restarted; a new port follows. */
  engineRestarted: 'lab:engine-restarted',
  /** renderer → main (invoke): show the About dialog / app versions. */
  appVersions: 'lab:app-versions',
  /** renderer → main (invoke): the native open dialog for a dataset file or folder → path or null. */
  chooseDatasetPath: 'lab:choose-dataset-path',
  /** renderer → main (invoke): the native save dialog for a dataset export → path or null. */
  chooseExportPath: 'lab:choose-export-path',
} as const;

/** The message the preload relays to the page with the port attached (window.postMessage). */
export const ENGINE_PORT_WINDOW_MESSAGE = 'mbrl-lab:engine-port';

/** The shape of `window.lab` that the preload exposes. One function per message. */
export interface LabPreloadApi {
  /** Asks main for an engine port; it arrives as a window message {@link ENGINE_PORT_WINDOW_MESSAGE}. */
  requestEnginePort(): Promise<void>;
  /** Subscribes to engine restarts; returns an unsubscribe function. */
  onEngineRestarted(handler: (message: string) => void): () => void;
  /** Versions of electron, chrome, node and the app. */
  appVersions(): Promise<Record<string, string>>;
  /** The native open dialog: a dataset file or (kind 'folder') a folder; null when cancelled. */
  chooseDatasetPath?(kind: 'file' | 'folder'): Promise<string | null>;
  /** The native save dialog for an export in `format`; null when cancelled. */
  chooseExportPath?(format: 'robomimic' | 'npz'): Promise<string | null>;
}
