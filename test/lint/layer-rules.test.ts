import { ESLint } from 'eslint';
import { describe, expect, it } from 'vitest';

// The dependency rules of docs/ARCHITECTURE.md are lint rules; prove they bite.
const eslint = new ESLint();

async function restricted(filePath: string, code: string): Promise<string[]> {
  const [result] = await eslint.lintText(code, { filePath });
  return result.messages.filter((m) => m.ruleId === 'no-restricted-imports').map((m) => m.message);
}

describe('layer rules', () => {
  it.each([
    ['src-main/mbrl/env/probe.ts', "import { readFileSync } from 'node:fs';\nexport const f = readFileSync;\n"],
    ['src-main/mbrl/env/probe.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['src-main/mbrl/env/probe.ts', "import { Engine } from '../../engine/engine';\nexport const e = Engine;\n"],
    ['src-main/protocol/probe.ts', "import { Engine } from '../engine/engine';\nexport const e = Engine;\n"],
    ['src-main/app/probe.ts', "import * as tf from '@tensorflow/tfjs-core';\nexport const t = tf;\n"],
    ['src-main/app/probe.ts', "import { makeEnv } from '../mbrl/env';\nexport const m = makeEnv;\n"],
    ['src-main/engine/probe.ts', "import { app } from 'electron';\nexport const a = app;\n"],
    ['src-main/preload/probe.ts', "import { readFileSync } from 'fs';\nexport const f = readFileSync;\n"],
    ['src-renderer/src/stores/probe.ts', "import { makeEnv } from '../../../src-main/mbrl/env';\nexport const m = makeEnv;\n"],
    ['src-renderer/src/views/probe.ts', "import { createLabClient } from '../bridge';\nexport const c = createLabClient;\n"],
  ])('%s may not import this: %s', async (file, code) => {
    expect(await restricted(file, code)).not.toEqual([]);
  });

  it.each([
    ['src-main/mbrl/env/probe.ts', "import type { Env } from './env';\nexport type E = Env;\n"],
    ['src-main/protocol/probe.ts', "import { EngineEvent } from './events';\nexport const e = EngineEvent;\n"],
    ['src-main/engine/probe.ts', "import { readFileSync } from 'node:fs';\nimport { makeEnv } from '../mbrl/env';\nexport const x = [readFileSync, makeEnv];\n"],
    ['src-renderer/src/stores/probe.ts', "import { createLabClient } from '../bridge';\nimport type { EngineEvent } from '@protocol/events';\nexport const c = createLabClient;\nexport type E = EngineEvent;\n"],
  ])('%s may import this: %s', async (file, code) => {
    expect(await restricted(file, code)).toEqual([]);
  });
});
