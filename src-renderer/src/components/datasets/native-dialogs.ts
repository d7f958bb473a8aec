import type { LabPreloadApi } from '@protocol/ipc-channels';

/** The Electron preload's file dialogs, or null in a browser (`mbrl-lab serve`). */
export type NativeDialogs = Required<Pick<LabPreloadApi, 'chooseDatasetPath' | 'chooseExportPath'>>;

/**
 * The native open/save dialogs where the page runs in the desktop app (window.lab from the
 * preload); null in a browser, where the view offers a path field and an upload instead.
 */
export function nativeDialogs(): NativeDialogs | null {
  const lab = (globalThis as { lab?: Partial<LabPreloadApi> }).lab;
  return lab?.chooseDatasetPath && lab.chooseExportPath ? (lab as NativeDialogs) : null;
}
