// npm `prepare` (runs after `npm install` / `npm ci` in this folder): build the app and the UI so
// `npm start` and `mbrl-lab serve` are ready. A failed build must not fail the install: serve
// builds on demand and says why if it cannot.
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const root = join(dirname(new URL(import.meta.url).pathname), '..');
let bin;
try {
  bin = join(dirname(createRequire(import.meta.url).resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
} catch {
  console.log('mbrl-lab: electron-vite is not installed (production install?); skipping the UI build.');
  process.exit(0);
}
if (!existsSync(join(root, 'src-renderer', 'index.html'))) process.exit(0);
const result = spawnSync(process.execPath, [bin, 'build'], { cwd: root, stdio: 'inherit' });
if (result.status !== 0) console.log('mbrl-lab: the UI build failed; `mbrl-lab serve` will retry it.');
