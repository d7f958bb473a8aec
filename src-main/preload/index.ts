import { contextBridge, ipcRenderer } from 'electron';
import { relayEnginePorts } from './engine-port-relay';
import { createLabApi } from './lab-api';

/**
 * The preload of the workbench window. It runs sandboxed, before the page, with access to
 * `ipcRenderer`; the page gets only `window.lab` (see LabPreloadApi in protocol/ipc-channels).
 *
 * Built as CommonJS (out/preload/index.cjs) because a sandboxed preload cannot be an ES module, and
 * bundled, because it can `require` only a few of Electron's modules, none of the project's files.
 */
contextBridge.exposeInMainWorld('lab', createLabApi(ipcRenderer));
// `window` is read when a port arrives, not now, so this module also loads in tests without a DOM.
relayEnginePorts(ipcRenderer, () => window);
