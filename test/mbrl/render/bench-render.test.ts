import { describe, expect, it } from 'vitest';
import { benchRender } from '../../../bench/render';
import { PIXEL_TASK_IDS } from '../../../src-main/mbrl/env';
import { readModelXml } from '../env/read-model';

describe('benchRender', () => {
  it('reports frames/s and the step throughput with rendering beside the state env’s, per image task (short smoke run)', async () => {
    const results = await benchRender(readModelXml, { seconds: 0.03 });
    expect(results.map((r) => r.name.replace(/ \(\d+x\d+\)$/, ''))).toEqual(PIXEL_TASK_IDS.flatMap((id) => [`${id} render`, `${id} env.step + frame`]));
    for (const r of results) expect(r.value).toBeGreaterThan(0);
    for (const r of results.filter((x) => x.unit === 'steps/s')) {
      expect(r.reference).toBeGreaterThan(0);
      expect(r.ratio).toBeCloseTo(r.value / r.reference!, 9);
    }
  });
});
