import { _electron as electron, expect, test, type ElectronApplication, type Page } from '@playwright/test';
import { ENGINE_PORT_WINDOW_MESSAGE } from '../../src-main/protocol/ipc-channels';
import { electronExecutable } from './electron-runtime';

/**
 * The desktop app end to end: the built app (`npm run build` first) in a real Electron.
 *
 * Machines without Electron's runtime skip this file, loudly: the same renderer is tested in
 * Chromium against `mbrl-lab serve` (test/e2e-web), so only the Electron shell goes untested there.
 */
const SKIP_REASON =
  "Electron's binary is not installed on this machine (npx install-electron); the same UI is tested in Chromium via mbrl-lab serve";
const executable = electronExecutable();
if (!executable) console.log(`[e2e-electron] skipped: ${SKIP_REASON}`);
test.skip(!executable, SKIP_REASON);

let app: ElectronApplication;
let page: Page;

test.beforeAll(async () => {
  app = await electron.launch({
    executablePath: executable,
    // Chromium refuses to run as root with its OS sandbox (containers, CI). The page stays
    // sandboxed in Electron's sense (no Node, isolated preload) either way.
    args: [...(process.getuid?.() === 0 ? ['--no-sandbox'] : []), 'out/main/app.js'],
  });
  page = await app.firstWindow();
});

test.afterAll(async () => {
  await app?.close();
});

test('the window is titled MBRL Lab', async () => {
  const title = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows()[0]?.getTitle());
  expect(title).toContain('MBRL Lab');
});

test('window.lab has exactly the five preload functions', async () => {
  const surface = await page.evaluate(() => {
    const lab = (window as unknown as { lab?: Record<string, unknown> }).lab;
    return lab ? Object.entries(lab).map(([name, value]) => `${name}:${typeof value}`).sort() : null;
  });
  expect(surface).toEqual(['appVersions:function', 'chooseDatasetPath:function', 'chooseExportPath:function', 'onEngineRestarted:function', 'requestEnginePort:function']);
});

test('the page has no Node.js', async () => {
  const globals = await page.evaluate(() => {
    const g = globalThis as Record<string, unknown>;
    return { process: typeof g.process, require: typeof g.require, module: typeof g.module };
  });
  expect(globals).toEqual({ process: 'undefined', require: 'undefined', module: 'undefined' });
});

test('the Environments view appears', async () => {
  const heading = page.getByRole('heading', { name: 'Environments' });
  await expect(heading.or(page.getByText('Environments', { exact: true })).first()).toBeVisible({ timeout: 30_000 });
});

// Last: the page's own client takes this port too and replaces its connection with it.
test('an engine port reaches the page through window.postMessage', async () => {
  const ports = await page.evaluate(
    (messageName) =>
      new Promise<number>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error('no engine port within 10 s')), 10_000);
        window.addEventListener('message', (event) => {
          if (event.data !== messageName) return;
          clearTimeout(timer);
          resolve(event.ports.length);
        });
        const lab = (window as unknown as { lab: { requestEnginePort(): Promise<void> } }).lab;
        lab.requestEnginePort().catch(reject);
      }),
    ENGINE_PORT_WINDOW_MESSAGE,
  );
  expect(ports).toBe(1);
});
