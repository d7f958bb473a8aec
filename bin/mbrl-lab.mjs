#!/usr/bin/env node
// The CLI runs its TypeScript source directly through tsx, so `npx mbrl-lab` works right after
// `npm install` with no build step.
import { register } from 'tsx/esm/api';

register();
await import('../src-main/cli/main.ts');
