#!/usr/bin/env node
// The CLI runs its TypeScript source directly through tsx, so `npx mbrl-lab` works right after
// `npm install` with no build step.
import { register } from 'tsx/esm/api';

// Before tsx's hooks: h5wasm's 4 MB module loads untransformed (see preload-h5wasm.mjs).
await import('./preload-h5wasm.mjs');
register();
await import('../src-main/cli/main.ts');
