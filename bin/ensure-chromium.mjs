// Before the end-to-end tests: make sure a Chromium is there (Debian's package; Playwright's own
// browser download is not used). Installs it with apt-get when missing and allowed (root or sudo).
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';

const candidates = [process.env.MBRL_LAB_CHROMIUM, '/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].filter(Boolean);
if (candidates.some((p) => existsSync(p))) process.exit(0);

const isRoot = process.getuid?.() === 0;
const hasSudo = spawnSync('sh', ['-c', 'command -v sudo'], { stdio: 'ignore' }).status === 0;
const hasApt = spawnSync('sh', ['-c', 'command -v apt-get'], { stdio: 'ignore' }).status === 0;
if (!hasApt || (!isRoot && !hasSudo)) {
  console.error('mbrl-lab: the end-to-end tests need Chromium: install it (Debian/Ubuntu: apt-get install chromium) or set MBRL_LAB_CHROMIUM to its path.');
  process.exit(1);
}
console.error('mbrl-lab: installing Chromium for the end-to-end tests (apt-get install chromium)…');
const sudo = isRoot ? [] : ['sudo'];
const run = (args) => execFileSync(sudo[0] ?? args[0], sudo.length ? args : args.slice(1), { stdio: 'inherit', env: { ...process.env, DEBIAN_FRONTEND: 'noninteractive' } });
run(['apt-get', 'update', '-qq']);
run(['apt-get', 'install', '-y', '-qq', '--no-install-recommends', 'chromium']);
