import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as tf from '@tensorflow/tfjs-core';
import '@tensorflow/tfjs-backend-cpu';
import { afterAll, describe, expect, it } from 'vitest';
import { BackendService } from '../../../src-main/engine/backend/backend-service';
import type { BackendChoice, LoaderTable } from '../../../src-main/engine/backend/choices';
import { Engine } from '../../../src-main/engine/engine';
import { connectionPair } from '../../../src-main/engine/hosts/in-process';
import { createEngineServices } from '../../../src-main/engine/services';
import { EngineEvent, parseWith, type RequestInput } from '../../../src-main/protocol';

/** Every backend simulated on tfjs's cpu backend; `broken` ones fail to load. */
function loaders(broken: BackendChoice[]): Partial<LoaderTable> {
  const make = (p: BackendChoice) => async () => {
    if (broken.includes(p)) throw new Error(`${p} is broken`);
    await tf.setBackend('cpu');
    return { backend: 'cpu', device: `fake ${p}`, software: false };
  };
  return Object.fromEntries((['tfjs-node-gpu', 'webgpu', 'tfjs-node', 'wasm', 'cpu'] as const).map((p) => [p, make(p)]));
}
const fixed = { namedOnly: {}, fingerprint: () => ({ platform: 'linux', arch: 'x64', runtime: 'node 20', packages: {} }), measure: async (p: BackendChoice) => ({ wasm: 10, cpu: 100 })[p as 'wasm'] ?? 50 };

describe('the engine backend service', () => {
  it('measures at first start, remembers a setting for the next start, and an override wins without being stored', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mbrl-backend-svc-')), 'settings', 'backend.json');
    const options = { loaders: loaders(['tfjs-node-gpu', 'webgpu']), ...fixed };
    const first = await BackendService.start(file, undefined, () => {}, options);
    expect(first.report).toMatchObject({ provider: 'wasm', source: 'benchmark' });
    const info = await first.info();
    expect(info).toMatchObject({ provider: 'wasm', device: 'fake wasm', backendSource: 'benchmark', backendSetting: 'auto' });
    expect(info.backendOptions).toEqual([
      { provider: 'tfjs-node-gpu', note: 'tfjs-node-gpu is broken' },
      { provider: 'webgpu', note: 'webgpu is broken' },
      { provider: 'tfjs-node', ms: 50 },
      { provider: 'wasm', ms: 10 },
      { provider: 'cpu', ms: 100 },
    ]);

    expect((await first.switchTo('cpu')).provider).toBe('cpu');
    expect(JSON.parse(readFileSync(file, 'utf8')).setting).toBe('cpu');
    // The measurement survives a setting: the options still show every backend's time.
    expect((await first.info()).backendOptions?.find((o) => o.provider === 'wasm')?.ms).toBe(10);

    const second = await BackendService.start(file, undefined, () => {}, options);
    expect(second.report).toMatchObject({ provider: 'cpu', source: 'setting' });
    const forced = await BackendService.start(file, 'tfjs-node', () => {}, options);
    expect(forced.report).toMatchObject({ provider: 'tfjs-node', source: 'override' });
    expect(JSON.parse(readFileSync(file, 'utf8')).setting).toBe('cpu');

    const auto = await second.switchTo('auto');
    expect(auto).toMatchObject({ provider: 'wasm', source: 'cache' });
    expect(JSON.parse(readFileSync(file, 'utf8')).setting).toBe('auto');
  });

  it('a setting that does not load keeps the previous backend and stores nothing; a stored one that stopped loading falls back to auto', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'mbrl-backend-svc-')), 'backend.json');
    const service = await BackendService.start(file, 'cpu', () => {}, { loaders: loaders(['webgpu']), ...fixed });
    await expect(service.switchTo('webgpu')).rejects.toThrow('webgpu: webgpu is broken');
    expect(service.report.provider).toBe('cpu');
    expect(tf.getBackend()).toBe('cpu');
    await service.switchTo('tfjs-node');
    const lines: string[] = [];
    const restarted = await BackendService.start(file, undefined, (l) => lines.push(l), { loaders: loaders(['tfjs-node', 'tfjs-node-gpu', 'webgpu']), ...fixed });
    expect(restarted.report).toMatchObject({ provider: 'wasm', source: 'benchmark' });
    expect(lines.join('\n')).toMatch(/the backend setting 'tfjs-node' does not load here/);
  });
});

describe('engine/set-backend', () => {
  const config = mkdtempSync(join(tmpdir(), 'mbrl-backend-engine-'));
  const saved = process.env.MBRL_LAB_CONFIG_DIR;
  process.env.MBRL_LAB_CONFIG_DIR = config;
  afterAll(() => {
    if (saved === undefined) delete process.env.MBRL_LAB_CONFIG_DIR;
    else process.env.MBRL_LAB_CONFIG_DIR = saved;
  });

  it('switches the real backend when no job runs, tells every client, and refuses while a job runs', async () => {
    const engine = new Engine(await createEngineServices('in-process', 'cpu', () => {}));
    const clients = [connectionPair(), connectionPair()].map(([client, server]) => {
      engine.attach(server);
      const events: EngineEvent[] = [];
      client.onMessage((data) => {
        const parsed = parseWith(EngineEvent, data);
        if (parsed.ok) events.push(parsed.value);
      });
      return { send: (r: RequestInput) => client.post(r), events };
    });
    const [a, b] = clients;
    const waitFor = async (events: EngineEvent[], pred: (e: EngineEvent) => boolean) => {
      for (let i = 0; i < 400; i++) {
        const found = events.find(pred);
        if (found) return found;
        await new Promise((r) => setTimeout(r, 25));
      }
      throw new Error(`no such event; got ${events.map((e) => e.type).join(', ')}`);
    };

    a.send({ type: 'engine/set-backend', backend: 'wasm' });
    const info = await waitFor(b.events, (e) => e.type === 'engine/info');
    expect(info).toMatchObject({ type: 'engine/info', backend: 'wasm', provider: 'wasm', backendSource: 'setting', backendSetting: 'wasm', device: expect.stringMatching(/^wasm \(/) });
    expect(tf.getBackend()).toBe('wasm');
    expect(JSON.parse(readFileSync(join(config, 'backend.json'), 'utf8')).setting).toBe('wasm');

    // One switch at a time: a second request while the first is under way is refused.
    a.send({ type: 'engine/set-backend', backend: 'cpu' });
    a.send({ type: 'engine/set-backend', backend: 'wasm' });
    expect(await waitFor(a.events, (e) => e.type === 'error')).toMatchObject({ message: 'engine/set-backend: a backend switch is already under way' });
    await waitFor(a.events, (e) => e.type === 'engine/info' && e.provider === 'cpu');
    a.events.length = 0;
    a.send({ type: 'engine/set-backend', backend: 'wasm' });
    await waitFor(a.events, (e) => e.type === 'engine/info' && e.provider === 'wasm');
    a.events.length = 0;

    a.send({ type: 'job/start', jobId: 'sim1', spec: { kind: 'sim', task: 'pendulum', seed: 1, policy: 'random' } });
    await waitFor(a.events, (e) => e.type === 'job/started');
    a.send({ type: 'engine/set-backend', backend: 'cpu' });
    const refused = await waitFor(a.events, (e) => e.type === 'error');
    expect(refused).toMatchObject({ message: expect.stringMatching(/engine\/set-backend: 1 job\(s\) running; stop them first/) });
    expect(tf.getBackend()).toBe('wasm');
    a.send({ type: 'job/cancel', jobId: 'sim1' });
    await waitFor(a.events, (e) => e.type === 'job/cancelled');

    // Here tfjs-node-gpu has no native library: the switch fails and wasm stays (on a CUDA machine it switches).
    const infos = a.events.filter((e) => e.type === 'engine/info').length;
    a.send({ type: 'engine/set-backend', backend: 'tfjs-node-gpu' });
    const answer = await waitFor(a.events, (e) => (e.type === 'error' && e.message.includes('tfjs-node-gpu')) || (e.type === 'engine/info' && a.events.filter((x) => x.type === 'engine/info').length > infos));
    if (answer.type === 'error') {
      expect(answer.message).toMatch(/^engine\/set-backend: no TensorFlow.js backend could be loaded \(tfjs-node-gpu: /);
      expect(tf.getBackend()).toBe('wasm');
      expect(JSON.parse(readFileSync(join(config, 'backend.json'), 'utf8')).setting).toBe('wasm');
    }
  });
});
