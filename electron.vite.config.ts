import { resolve } from 'node:path';
import { defineConfig } from 'electron-vite';
import vue from '@vitejs/plugin-vue';

const protocolAlias = { '@protocol': resolve(__dirname, 'src-main/protocol') };

/**
 * Three builds: main (the Electron app and the engine, both Node-side), preload (CommonJS, because a
 * sandboxed preload cannot be an ES module), and the renderer (a plain web build that `mbrl-lab serve`
 * also serves to a browser).
 */
export default defineConfig({
  main: {
    build: {
      outDir: 'out/main',
      rollupOptions: {
        input: {
          app: resolve(__dirname, 'src-main/app/index.ts'),
          engine: resolve(__dirname, 'src-main/engine/main.ts'),
          // Planning worker threads: started by file name at runtime (engine/compute/worker-entry.ts).
          'planning-worker': resolve(__dirname, 'src-main/engine/compute/planning-worker.ts'),
          // Training worker threads (ensemble fits), found the same way.
          'training-worker': resolve(__dirname, 'src-main/engine/compute/training-worker.ts'),
          // Video-model training threads (data-parallel foresight fits), found the same way.
          'video-training-worker': resolve(__dirname, 'src-main/engine/compute/video-training-worker.ts'),
        },
      },
    },
  },
  preload: {
    build: {
      outDir: 'out/preload',
      rollupOptions: {
        input: { index: resolve(__dirname, 'src-main/preload/index.ts') },
        output: { format: 'cjs', entryFileNames: '[name].cjs' },
      },
    },
  },
  renderer: {
    root: resolve(__dirname, 'src-renderer'),
    base: './',
    resolve: { alias: protocolAlias },
    plugins: [vue()],
    build: {
      outDir: resolve(__dirname, 'out/renderer'),
      rollupOptions: { input: resolve(__dirname, 'src-renderer/index.html') },
    },
  },
});
