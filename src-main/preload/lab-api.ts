import type { IpcRenderer, IpcRendererEvent } from 'electron';
import { IpcChannel, type LabPreloadApi } from '../protocol/ipc-channels';

/** The part of `ipcRenderer` the API uses; a fake in tests. */
export type LabIpc = Pick<IpcRenderer, 'invoke' | 'on' | 'removeListener'>;

/**
 * Builds `window.lab`: one function per message, each with a fixed channel.
 *
 * The page never sees `ipcRenderer` or an `IpcRendererEvent` (whose `sender` is `ipcRenderer`):
 * with them, script in the page could send any channel main listens on.
 */
export function createLabApi(ipc: LabIpc): LabPreloadApi {
  return {
    async requestEnginePort() {
      await ipc.invoke(IpcChannel.requestEnginePort);
    },
    onEngineRestarted(handler) {
      const listener = (_event: IpcRendererEvent, message: unknown): void => handler(String(message));
      ipc.on(IpcChannel.engineRestarted, listener);
      return () => {
        ipc.removeListener(IpcChannel.engineRestarted, listener);
      };
    },
    async appVersions() {
      return (await ipc.invoke(IpcChannel.appVersions)) as Record<string, string>;
    },
    async chooseDatasetPath(kind) {
      const path: unknown = await ipc.invoke(IpcChannel.chooseDatasetPath, kind === 'folder' ? 'folder' : 'file');
      return typeof path === 'string' ? path : null;
    },
    async chooseExportPath(format) {
      const path: unknown = await ipc.invoke(IpcChannel.chooseExportPath, format === 'npz' ? 'npz' : 'robomimic');
      return typeof path === 'string' ? path : null;
    },
  };
}
