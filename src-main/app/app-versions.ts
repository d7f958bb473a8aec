import { app } from 'electron';

/** Versions shown in the About dialog and returned to the renderer by `window.lab.appVersions()`. */
export function appVersions(): Record<string, string> {
  return {
    app: app.getVersion(),
    electron: process.versions.electron ?? '',
    chrome: process.versions.chrome ?? '',
    node: process.versions.node,
    v8: process.versions.v8,
  };
}
