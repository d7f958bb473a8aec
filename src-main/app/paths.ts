import { join } from 'node:path';
import type { RendererLocation } from './renderer-location';

/** Absolute paths the main process needs. */
export interface AppPaths {
  /** The sandboxed preload, CommonJS: `out/preload/index.cjs`. */
  preload: string;
  /** The engine's utility-process entry: `out/main/engine.js`. */
  engine: string;
  /** MJCF models, presets and sample datasets; handed to the engine as MBRL_LAB_RESOURCES. */
  resources: string;
  /** Where the window loads the workbench page from. */
  renderer: RendererLocation;
}

/** The facts {@link appPaths} is computed from, kept apart from `electron` so it can be tested. */
export interface AppPathFacts {
  /** Folder of the built main bundle (`out/main`), i.e. `import.meta.dirname` of app.js. */
  mainDir: string;
  /** `app.isPackaged`. */
  isPackaged: boolean;
  /** `process.resourcesPath`: the `resources/` folder beside app.asar in a packaged app. */
  resourcesPath: string;
  /** `process.env.ELECTRON_RENDERER_URL`, set by `electron-vite dev`. */
  devServerUrl: string | undefined;
}

/**
 * Resolves the app's paths from the layout electron-vite builds (`out/main`, `out/preload`,
 * `out/renderer`) and electron-builder packs (`extraResources` copies `resources/` next to app.asar).
 *
 * The dev-server URL is honoured only when unpackaged: an installed app must never load its UI from
 * an address an environment variable names.
 */
export function appPaths(facts: AppPathFacts): AppPaths {
  const outDir = join(facts.mainDir, '..');
  const renderer: RendererLocation =
    !facts.isPackaged && facts.devServerUrl
      ? { kind: 'dev-server', url: facts.devServerUrl }
      : { kind: 'file', path: join(outDir, 'renderer', 'index.html') };
  return {
    preload: join(outDir, 'preload', 'index.cjs'),
    engine: join(facts.mainDir, 'engine.js'),
    // Unpackaged, out/main sits two levels below the repository root that holds resources/.
    resources: facts.isPackaged ? join(facts.resourcesPath, 'resources') : join(outDir, '..', 'resources'),
    renderer,
  };
}
