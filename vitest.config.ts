import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { defineConfig } from 'vitest/config';
import vue from '@vitejs/plugin-vue';

export default defineConfig({
  plugins: [vue()],
  resolve: { alias: { '@protocol': resolve(__dirname, 'src-main/protocol') } },
  test: {
    include: ['test/**/*.test.ts'],
    exclude: ['test/e2e-web/**', 'test/e2e-electron/**', 'node_modules/**'],
    environment: 'node',
    testTimeout: 60_000,
    hookTimeout: 60_000,
    // Two cores here: one file at a time per core keeps timings honest and MuJoCo/wasm memory low.
    maxWorkers: 2,
    // Engines started by tests keep their backend choice here, never in the user's ~/.mbrl-lab.
    env: { MBRL_LAB_CONFIG_DIR: join(tmpdir(), `mbrl-lab-test-config-${process.pid}`) },
  },
});
