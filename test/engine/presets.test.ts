import { mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { listForesightPresets, listLatentPresets, listPresets } from '../../src-main/engine/presets';
import { resourcesDir } from '../../src-main/engine/resources';
import type { EngineEvent, RequestInput } from '../../src-main/protocol';
import { connectEngine } from './datasets/engine-connection';
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

/** The shipped files of a presets subfolder, read here independently of the lister. */
function shippedFiles(folder: string): Array<{ id: string; json: Record<string, unknown> }> {
  const dir = join(resourcesDir(), 'presets', folder);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.json'))
    .sort()
    .map((f) => ({ id: f.replace(/\.json$/, ''), json: JSON.parse(readFileSync(join(dir, f), 'utf8')) as Record<string, unknown> }));
}

describe('pixel presets (resources/presets/latent, resources/presets/foresight)', () => {
  it('lists every shipped latent preset as a valid LatentJobSpec, as written in its file', async () => {
    const { presets, errors } = await listLatentPresets();
    expect(errors).toEqual([]);
    const files = shippedFiles('latent');
    expect(presets.map((p) => p.id)).toEqual(files.map((f) => f.id));
    expect(presets.map((p) => p.id)).toEqual(expect.arrayContaining(['e2c-point-mass', 'latent-pendulum-pixels']));
    for (const p of presets) {
      const file = files.find((f) => f.id === p.id)!;
      expect(p.spec.kind).toBe('latent');
      expect(p.spec.task).toBe(file.json.task);
      expect(p.spec.model).toMatchObject(file.json.model as object);
    }
  });

  it('lists every shipped foresight preset as a valid ForesightEvalSpec', async () => {
    const { presets, errors } = await listForesightPresets();
    expect(errors).toEqual([]);
    const files = shippedFiles('foresight');
    expect(presets.map((p) => p.id)).toEqual(files.map((f) => f.id));
    expect(presets.map((p) => p.id)).toEqual(expect.arrayContaining(['cpu-32', 'gpu-64']));
    for (const p of presets) expect(p.spec).toMatchObject({ kind: 'foresight-eval', imageSize: files.find((f) => f.id === p.id)!.json.imageSize });
  });

  it('validates each folder with its own schema and names the file and field of a bad one', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pixel-presets-'));
    const good = shippedFiles('latent')[0].json;
    writeFileSync(join(dir, 'good.json'), JSON.stringify(good));
    writeFileSync(join(dir, 'typo.json'), JSON.stringify({ ...good, model: { ...(good.model as object), latentDims: 3 } }));
    writeFileSync(join(dir, 'range.json'), JSON.stringify({ ...good, fit: { ...(good.fit as object), epochs: 0 } }));
    writeFileSync(join(dir, 'run-spec.json'), JSON.stringify({ task: 'cartpole' }));
    writeFileSync(join(dir, 'torn.json'), '{"kind": "lat');
    const { presets, errors } = await listLatentPresets(dir);
    expect(presets.map((p) => p.id)).toEqual(['good']);
    expect(errors).toHaveLength(4);
    expect(errors.find((e) => e.includes('typo.json'))).toMatch(/typo\.json: model\.latentDims: unknown field/);
    expect(errors.find((e) => e.includes('range.json'))).toMatch(/range\.json: fit\.epochs: /);
    expect(errors.find((e) => e.includes('run-spec.json'))).toMatch(/run-spec\.json: kind: /);
    expect(errors.find((e) => e.includes('torn.json'))).toMatch(/torn\.json: .*JSON/);
    // A latent spec is not a foresight preset, and the reverse.
    const asForesight = await listForesightPresets(dir);
    expect(asForesight.presets).toEqual([]);
    expect(asForesight.errors.find((e) => e.includes('good.json'))).toMatch(/good\.json: kind: /);
    // A missing folder is an empty list, not an error.
    expect(await listForesightPresets(join(dir, 'nowhere'))).toEqual({ presets: [], errors: [] });
  });
});

describe('presets/latent and presets/foresight through the engine', () => {
  const saved = process.env.MBRL_LAB_RESOURCES;
  afterEach(() => {
    if (saved === undefined) delete process.env.MBRL_LAB_RESOURCES;
    else process.env.MBRL_LAB_RESOURCES = saved;
  });

  /** An in-process engine whose events are validated by the protocol; `ask` posts a request and awaits its answer (fails on an error event). */
  async function connect() {
    const { send, expectEvent } = await connectEngine(mkdtempSync(join(tmpdir(), 'presets-runs-')));
    return { ask: <T extends EngineEvent['type']>(request: RequestInput & { type: T }) => (send(request), expectEvent(request.type)) };
  }

  it('answers with the shipped presets of each folder', async () => {
    const { ask } = await connect();
    const latent = await ask({ type: 'presets/latent' });
    expect(latent.errors).toEqual([]);
    expect(latent.presets.map((p) => p.id)).toEqual(shippedFiles('latent').map((f) => f.id));
    const foresight = await ask({ type: 'presets/foresight' });
    expect(foresight.errors).toEqual([]);
    expect(foresight.presets.map((p) => p.id)).toEqual(shippedFiles('foresight').map((f) => f.id));
    // The run-spec list still ignores the subfolders.
    const runs = await ask({ type: 'presets/list' });
    expect(runs.errors).toEqual([]);
    expect(runs.presets.some((p) => p.id === 'cpu-32' || p.id === 'e2c-point-mass')).toBe(false);
  });

  it('lists the good files of a folder with a broken one, naming its file and field, and keeps serving', async () => {
    const resources = mkdtempSync(join(tmpdir(), 'presets-resources-'));
    mkdirSync(join(resources, 'presets', 'foresight'), { recursive: true });
    const good = shippedFiles('foresight')[0].json;
    writeFileSync(join(resources, 'presets', 'foresight', 'ok.json'), JSON.stringify(good));
    writeFileSync(join(resources, 'presets', 'foresight', 'bad.json'), JSON.stringify({ ...good, planning: { ...(good.planning as object), population: 'many' } }));
    process.env.MBRL_LAB_RESOURCES = resources;
    const { ask } = await connect();
    const foresight = await ask({ type: 'presets/foresight' });
    expect(foresight.presets.map((p) => p.id)).toEqual(['ok']);
    expect(foresight.errors).toEqual([expect.stringMatching(/bad\.json: planning\.population: /)]);
    // No latent folder: an empty list.
    expect(await ask({ type: 'presets/latent' })).toEqual({ type: 'presets/latent', presets: [], errors: [] });
  });
});
