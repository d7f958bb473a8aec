/**
 * Image episodes from recorded datasets on disk (real files: robomimic HDF5 written by the run
 * writer and by the issue-5 fixtures with h5wasm, an .npz replay buffer of images): frames o_0 … o_T
 * with the last one from next_obs, resized; actions; colouring states; one-line errors naming the
 * file and the field for a missing or non-image key, a video feature and too few frames.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { loadImageEpisodes } from '../../../src-main/engine/datasets/image-episode-source';
import { DatasetError } from '../../../src-main/mbrl/data/formats';
import { frameResizer } from '../../../src-main/mbrl/data/resize-frame';
import { writeRobomimic } from '../../fixtures/datasets/write-datasets';
import { writeSquareNpz, writeSquareRobomimic, type squareEpisodes } from '../../fixtures/datasets/image-datasets';
import { writeLeRobotVideoV2 } from '../../fixtures/datasets/lerobot-video/lerobot-video-files';

let dir: string;
let written: ReturnType<typeof squareEpisodes>;
const at = (name: string) => join(dir, name);
const S = 16;
const frame = S * S * 3;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'mbrl-image-episodes-'));
  written = await writeSquareRobomimic(at('square.hdf5'), { episodes: 3, steps: 6, size: S });
  await writeSquareNpz(at('square.npz'), { episodes: 2, steps: 5, size: S });
  await writeRobomimic(at('fixture.hdf5'), [5, 1, 4]);
});

async function failure(promise: Promise<unknown>): Promise<DatasetError> {
  const error = await promise.then(() => null, (e: unknown) => e);
  expect(error).toBeInstanceOf(DatasetError);
  expect((error as Error).message).not.toContain('\n');
  return error as DatasetError;
}

describe('loadImageEpisodes', () => {
  it('reads a robomimic file written by the run writer: T + 1 frames (the last from next_obs), actions, states', async () => {
    const set = await loadImageEpisodes({ dataset: at('square.hdf5'), imageKey: 'obs/top_image' });
    expect(set.episodes).toHaveLength(3);
    expect([set.height, set.width]).toEqual([S, S]);
    expect(set.nextImageKey).toBe('next_obs/top_image');
    expect(set.actionKey).toBe('actions');
    expect(set.actDim).toBe(2);
    expect(set.stateNames).toEqual(['obs/state[0]', 'obs/state[1]']);
    set.episodes.forEach((e, i) => {
      expect(e.frames.length).toBe(7 * frame);
      expect(Array.from(e.frames)).toEqual(Array.from(written[i].frames));
      expect(Array.from(e.actions)).toEqual(Array.from(written[i].actions));
      // s_T comes from next_obs/state.
      expect(Array.from(e.states)).toEqual(Array.from(written[i].states));
      expect(e.rewards).toHaveLength(6);
    });
    for (let d = 0; d < 2; d++) {
      const all = set.episodes.flatMap((e) => Array.from(e.actions).filter((_, j) => j % 2 === d));
      expect(set.actionLow[d]).toBe(Math.min(...all));
      expect(set.actionHigh[d]).toBe(Math.max(...all));
    }
  });

  it('resizes the frames to the model size (area mean) and reads only the episodes asked for', async () => {
    const set = await loadImageEpisodes({ dataset: at('square.hdf5'), imageKey: 'obs/top_image' }, { width: 8, height: 8, episodes: [1] });
    expect(set.indices).toEqual([1]);
    const resize = frameResizer(S, S, 3, 8, 8);
    const e = set.episodes[0];
    expect(e.frames.length).toBe(7 * 8 * 8 * 3);
    expect(Array.from(e.frames.subarray(6 * 192))).toEqual(Array.from(resize(written[1].frames.subarray(6 * frame))));
  });

  it('reads an .npz replay buffer whose obs are images, split into episodes at truncated', async () => {
    const set = await loadImageEpisodes({ dataset: at('square.npz'), imageKey: 'obs', maxEpisodes: 5 });
    expect(set.episodes).toHaveLength(2);
    expect(set.nextImageKey).toBe('next_obs');
    expect(set.episodes[1].frames.length).toBe(6 * frame);
    // No vector state in this file: the colouring state is the step index.
    expect(set.stateNames).toEqual(['step']);
    expect(Array.from(set.episodes[1].states)).toEqual([0, 1, 2, 3, 4, 5]);
  });

  it('reads the issue-5 robomimic fixture (8×8 agentview_image), skipping an episode too short', async () => {
    const set = await loadImageEpisodes({ dataset: at('fixture.hdf5'), imageKey: 'obs/agentview_image', stateKeys: ['states'] }, { minFrames: 3 });
    expect(set.indices).toEqual([0, 2]);
    expect(set.warnings[0]).toMatch(/1 episode\(s\) with fewer than 3 frames skipped \(demo_1\)/);
    expect(set.stateDim).toBe(4);
    expect(set.episodes[0].frames.length).toBe(6 * 8 * 8 * 3);
  });

  it('names the file and the field when the image key is missing, not an image, a video, or too short', async () => {
    const file = at('square.hdf5');
    const missing = await failure(loadImageEpisodes({ dataset: file, imageKey: 'obs/agentview_image' }));
    expect(missing.message).toBe(`${file}: obs/agentview_image: no such field (image fields: next_obs/top_image, obs/top_image)`);
    const notImage = await failure(loadImageEpisodes({ dataset: file, imageKey: 'obs/state' }));
    expect(notImage.message).toMatch(new RegExp(`^${file}: obs/state: not an image field: float32 \\[2\\] per step, expected uint8 \\[H, W, 3\\]`));
    const short = await failure(loadImageEpisodes({ dataset: file, imageKey: 'obs/top_image' }, { minFrames: 50 }));
    expect(short.message).toBe(`${file}: obs/top_image: too few frames: no episode has the 50 frames needed (the longest has 7)`);
    const badAction = await failure(loadImageEpisodes({ dataset: file, imageKey: 'obs/top_image', actionKey: 'obs/top_image' }));
    expect(badAction.message).toMatch(/obs\/top_image: not an action field: uint8 \[16, 16, 3\]/);
    const tooBig = await failure(loadImageEpisodes({ dataset: file, imageKey: 'obs/top_image' }, { maxBytes: 10_000 }));
    expect(tooBig.message).toMatch(/obs\/top_image: the frames of 3 episodes at 16×16 need 0.0\d+ MiB, more than the 0.00954 MiB allowed/);
    const nowhere = await failure(loadImageEpisodes({ dataset: at('nothing.hdf5'), imageKey: 'obs/top_image' }));
    expect(nowhere.message).toContain('nothing.hdf5');
  });

  it('says that LeRobot video frames need the viewer to decode them', async () => {
    const folder = writeLeRobotVideoV2(at('lerobot-video'));
    const video = await failure(loadImageEpisodes({ dataset: folder, imageKey: 'observation.images.cam' }));
    expect(video.message).toMatch(/observation\.images\.cam: is a video feature: its frames are decoded only by the viewer/);
  });
});
