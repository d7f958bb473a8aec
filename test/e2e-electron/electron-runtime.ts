import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/**
 * The Electron executable, or undefined when Electron's runtime is not installed.
 *
 * `require('electron')` returns the executable's path, but when the binary is missing it first
 * tries to download it (Electron ≥ 42 fetches it at first launch, `npx install-electron`) and
 * throws when that fails. Checking the file it would return first keeps a test run from starting a
 * download or printing a stack trace.
 */
export function electronExecutable(): string | undefined {
  try {
    const packageDir = dirname(require.resolve('electron/package.json'));
    if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) {
      const pathFile = join(packageDir, 'path.txt');
      if (!existsSync(pathFile) || !existsSync(join(packageDir, 'dist', readFileSync(pathFile, 'utf8')))) {
        return undefined;
      }
    }
    const executable: unknown = require('electron');
    return typeof executable === 'string' && existsSync(executable) ? executable : undefined;
  } catch {
    return undefined;
  }
}
