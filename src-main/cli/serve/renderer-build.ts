import { existsSync } from 'node:fs';
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository (or installed package) root. */
export const PROJECT_ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..', '..');

/** Where electron-vite writes the renderer build. */
export const RENDERER_DIR = join(PROJECT_ROOT, 'out', 'renderer');

/**
 * Makes sure the renderer is built; builds it (electron-vite build) when missing, so `serve` works
 * right after a fresh `npm install` even if the install-time build was skipped.
 */
export function ensureRendererBuilt(log: (line: string) => void): string {
  if (existsSync(join(RENDERER_DIR, 'index.html'))) return RENDERER_DIR;
  log('Building the workbench UI (first start)…');
  const bin = join(dirname(createRequire(import.meta.url).resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const result = spawnSync(process.execPath, [bin, 'build'], { cwd: PROJECT_ROOT, stdio: 'inherit' });
  if (result.status !== 0 || !existsSync(join(RENDERER_DIR, 'index.html'))) {
    throw new Error('building the UI failed (npx electron-vite build); see the output above');
  }
  return RENDERER_DIR;
}
