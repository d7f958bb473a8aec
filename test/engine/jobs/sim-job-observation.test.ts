/** The live simulation sends, beside the poses, the frame an image-based agent sees (tasks with an image variant). */
import { describe, expect, it } from 'vitest';
import { SimJob } from '../../../src-main/engine/jobs/sim-job';
import { makeEnv, makePixelEnv, taskInfo } from '../../../src-main/mbrl/env';
import type { EngineEvent } from '../../../src-main/protocol';
import { readModelXml } from '../../mbrl/env/read-model';

/** Runs a sim job until it has sent `frames` sim/frame events; returns them. */
async function framesOf(task: string, frames: number): Promise<Extract<EngineEvent, { type: 'sim/frame' }>[]> {
  const controller = new AbortController();
  const out: Extract<EngineEvent, { type: 'sim/frame' }>[] = [];
  const job = new SimJob({ kind: 'sim', task: task as 'pendulum', seed: 3, policy: 'keyboard', speed: 100 }, await makeEnv(task, readModelXml), taskInfo(task));
  await job.run({
    jobId: 'j',
    signal: controller.signal,
    progress: () => {},
    emit: (event) => {
      if (event.type !== 'sim/frame') return;
      out.push(event);
      if (out.length >= frames) controller.abort();
    },
  });
  return out;
}

describe('SimJob observation image', () => {
  it('renders the pixel task’s frame of each state: the same bytes as the image env', async () => {
    const frames = await framesOf('point-mass', 3);
    const pixel = await makePixelEnv('point-mass-pixels', readModelXml);
    try {
      const first = pixel.reset(3);
      expect(frames[0].observationImage).toMatchObject({ width: 40, height: 40 });
      expect(frames[0].observationImage!.rgb).toEqual(first);
      // The keyboard policy holds a zero action: the next frames come from the stepped state.
      const stepped = pixel.step(new Float32Array(2)).obs;
      expect(frames[1].observationImage!.rgb).toEqual(stepped);
    } finally {
      pixel.dispose();
    }
  });

  it('sends none for tasks without an image variant', async () => {
    const frames = await framesOf('halfcheetah', 1);
    expect(frames[0].observationImage).toBeUndefined();
    expect(frames[0].poses.length).toBeGreaterThan(0);
  });
});
