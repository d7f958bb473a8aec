import { existsSync } from 'node:fs';
import { defineConfig } from '@playwright/test';

/**
 * End-to-end tests. `web`: the served workbench in Debian's Chromium (never a downloaded browser).
 * `electron`: the desktop app, where Electron's binary exists (skipped with the reason elsewhere).
 */
const chromium = process.env.MBRL_LAB_CHROMIUM ?? ['/usr/bin/chromium', '/usr/bin/chromium-browser', '/usr/bin/google-chrome'].find((p) => existsSync(p));
const port = Number(process.env.MBRL_LAB_E2E_PORT ?? 5199);

export default defineConfig({
  testDir: 'test',
  outputDir: 'test-results',
  timeout: 90_000,
  retries: 0,
  workers: 1,
  reporter: [['list']],
  webServer: {
    command: `node bin/mbrl-lab.mjs serve --port ${port}`,
    url: `http://127.0.0.1:${port}/`,
    reuseExistingServer: !process.env.CI,
    timeout: 120_000,
    stdout: 'pipe',
    stderr: 'pipe',
    // Experiments started by the tests write their run folders here, not into the user's home.
    env: { MBRL_LAB_RUNS_DIR: process.env.MBRL_LAB_RUNS_DIR ?? 'test-results/e2e-runs' },
  },
  projects: [
    {
      name: 'web',
      testDir: 'test/e2e-web',
      use: {
        baseURL: `http://127.0.0.1:${port}/`,
        viewport: { width: 1280, height: 800 },
        launchOptions: {
          executablePath: chromium,
          // Headless WebGL2 through SwiftShader; no background networking (this machine has no network).
          args: ['--no-sandbox', '--use-angle=swiftshader', '--enable-unsafe-swiftshader', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
        },
      },
    },
    { name: 'electron', testDir: 'test/e2e-electron' },
  ],
});
