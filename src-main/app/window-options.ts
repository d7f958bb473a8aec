import type { BrowserWindowConstructorOptions } from 'electron';

/**
 * The colour painted before the renderer's first frame, so a dark UI does not flash white while it
 * loads. Keep it equal to the renderer's page background.
 */
export const WINDOW_BACKGROUND = '#15171c';

/**
 * Options for the workbench window.
 *
 * The page gets no Node.js: it is sandboxed, context-isolated and reaches the main process only
 * through the preload's `window.lab` (one function per message). Everything heavy happens in the
 * engine, so the renderer has nothing to gain from more privileges, and a bug in a dataset parser
 * or a chart library cannot become code execution on the user's machine.
 *
 * @param preloadPath absolute path of the built preload (`out/preload/index.cjs`); it must be
 *   CommonJS because a sandboxed preload cannot be an ES module.
 */
export function mainWindowOptions(preloadPath: string): BrowserWindowConstructorOptions {
  return {
    title: 'MBRL Lab',
    width: 1440,
    height: 900,
    minWidth: 960,
    minHeight: 600,
    backgroundColor: WINDOW_BACKGROUND,
    // Shown on 'ready-to-show', so the user never sees an empty frame being painted.
    show: false,
    webPreferences: {
      preload: preloadPath,
      sandbox: true,
      contextIsolation: true,
      nodeIntegration: false,
      nodeIntegrationInWorker: false,
      nodeIntegrationInSubFrames: false,
      webSecurity: true,
      allowRunningInsecureContent: false,
      webviewTag: false,
      // The workbench has no prose to check; the spellchecker would only underline identifiers.
      spellcheck: false,
    },
  };
}
