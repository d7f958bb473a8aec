import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { listPresets } from '../../src-main/engine/presets';
import { TASK_IDS } from '../../src-main/mbrl/env';

describe('presets', () => {
  it('every shipped preset validates and names a known task; each task has v0.5, v1.0 and MPC presets', async () => {
    const { presets, errors } = await listPresets();
    expect(errors).toEqual([]);
    for (const p of presets) expect(TASK_IDS).toContain(p.spec.task);
    for (const task of TASK_IDS) {
      expect(presets.find((p) => p.id === `v05-${task}`)?.spec.algorithm).toBe('v0.5');
      expect(presets.find((p) => p.id === `v10-${task}`)?.spec.algorithm).toBe('v1.0');
      expect(presets.find((p) => p.id === `mpc-${task}`)?.spec.algorithm).toBe('v1.5');
    }
  });

  it('reports a broken preset by file and field instead of dropping it', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'presets-'));
    writeFileSync(join(dir, 'good.json'), JSON.stringify({ task: 'cartpole' }));
    writeFileSync(join(dir, 'typo.json'), JSON.stringify({ task: 'cartpole', optimiser: {} }));
    writeFileSync(join(dir, 'torn.json'), '{"task": "cart');
    const { presets, errors } = await listPresets(dir);
    expect(presets.map((p) => p.id)).toEqual(['good']);
    expect(errors).toHaveLength(2);
    expect(errors.find((e) => e.includes('typo.json'))).toMatch(/optimiser: unknown field/);
    expect(errors.find((e) => e.includes('torn.json'))).toBeTruthy();
  });
});
