// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { LatentJobSpec } from '@protocol';
import { DEFAULT_LATENT_SETTINGS, latentJobSpec, useLatentStore } from '../../src-renderer/src/stores/latent';
import { attachFakeClient } from './fake-lab-client';

function setup() {
  const { client } = attachFakeClient();
  client.open([]);
  const latent = useLatentStore();
  return { client, latent };
}

const plan = (jobId: string, episode: number, step: number, first: number[]) => ({
  type: 'latent/plan' as const, jobId, episode, step, action: new Float32Array(2), state: new Float32Array(6), reward: -1,
  planCodes: new Float32Array(9), planXyz: Float32Array.from([...first, 9, 9, 9]), planMs: 3,
});

describe('latent store', () => {
  it('builds valid job specs for every model kind, with control when asked', () => {
    for (const kind of ['e2c', 'deterministic', 'stochastic'] as const) {
      for (const controlEpisodes of [0, 2]) {
        const spec = latentJobSpec({ ...DEFAULT_LATENT_SETTINGS, kind, controlEpisodes });
        expect(() => LatentJobSpec.parse(spec)).not.toThrow();
        expect(spec.plan?.planner).toBe(controlEpisodes ? (kind === 'e2c' ? 'ilqr' : 'cem') : undefined);
      }
    }
  });

  it('starts a latent job and keeps curves, codes, strips and the latent paths of its own job only', () => {
    const { client, latent } = setup();
    expect(latent.start()).toBe(true);
    const [req] = client.sentOf('job/start');
    expect(req.spec.kind).toBe('latent');
    const id = req.jobId;
    client.emit({ type: 'job/started', jobId: id, kind: 'latent' });
    client.emit({ type: 'latent/curve', jobId: id, epoch: 1, epochs: 2, train: { kl: 2, total: 5 }, val: { kl: 3, total: 6 }, transitionsPerSecond: 100 });
    client.emit({ type: 'latent/curve', jobId: 'other', epoch: 1, epochs: 2, train: { kl: 9 }, val: {}, transitionsPerSecond: 1 });
    expect(latent.curves).toHaveLength(1);
    client.emit({
      type: 'latent/codes', jobId: id, latentDim: 2, codes: new Float32Array(4), xyz: new Float32Array(6), colour: new Float32Array(2), colourBy: 0,
      states: new Float32Array(12), stateDim: 6, frames: new Uint8Array(2 * 4 * 4 * 3), height: 4, width: 4,
    });
    expect(latent.codes?.xyz).toHaveLength(6);
    client.emit(plan(id, 0, 0, [1, 2, 3]));
    client.emit(plan(id, 0, 1, [4, 5, 6]));
    expect(Array.from(latent.executedPath)).toEqual([1, 2, 3, 4, 5, 6]);
    expect(Array.from(latent.plannedPath)).toEqual([4, 5, 6, 9, 9, 9]);
    // A new control episode starts a new executed path.
    client.emit(plan(id, 1, 0, [7, 7, 7]));
    expect(Array.from(latent.executedPath)).toEqual([7, 7, 7]);
    client.emit({ type: 'latent/episode', jobId: id, episode: 1, controller: 'latent', return: -12, finalReward: -0.1, steps: 5, success: false, measures: { finalDistance: 0.1 } });
    client.emit({ type: 'job/done', jobId: id });
    expect(latent.phase).toBe('done');
    expect(latent.episodes).toEqual([{ episode: 1, return: -12, finalReward: -0.1, success: false, measures: { finalDistance: 0.1 } }]);
  });
});
