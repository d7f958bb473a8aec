import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import h5wasm from 'h5wasm/node';

/** One recorded episode, row-major. */
export interface RecordedEpisode {
  /** Observations s_0 … s_T: [(T + 1) · obsDim]. */
  obs: Float32Array;
  /** Actions a_0 … a_{T−1}: [T · actDim]. */
  act: Float32Array;
  /** Rewards: [T]. */
  reward: Float32Array;
  /** 1 where s_{t+1} is terminal: [T]. */
  terminated: Uint8Array;
  /** Image observations, if any: one entry per camera (written as obs/<key> and next_obs/<key>). */
  images?: RecordedImages[];
}

/** Frames of one camera over an episode: o_0 … o_T. */
export interface RecordedImages {
  /** Dataset key under obs/ and next_obs/, robomimic style: "<camera>_image", e.g. "top_image". */
  key: string;
  /** [(T + 1), height, width, 3] RGB bytes. */
  frames: Uint8Array;
  height: number;
  width: number;
}

/**
 * Writes episodes in robomimic's HDF5 layout, so h5py/robomimic and our own importer read them:
 * `data/demo_<i>/{actions [T, A], rewards [T], dones [T], states [T, D], obs/state [T, D],
 * next_obs/state [T, D]}` with `num_samples` per demo, and `data` attributes `total` and `env_args`
 * (JSON; `env_kwargs` from meta.envKwargs). Episodes with images add `obs/<key>` and `next_obs/<key>`
 * as uint8 [T, H, W, 3] (robomimic's image observations), gzip-compressed one frame per chunk.
 * The file is written beside the target and renamed over it (atomic).
 */
export async function writeRobomimic(
  path: string,
  episodes: readonly RecordedEpisode[],
  meta: { task: string; obsDim: number; actDim: number; envKwargs?: Record<string, unknown> },
): Promise<void> {
  await h5wasm.ready;
  const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
  const { obsDim: D, actDim: A } = meta;
  const file = new h5wasm.File(tmp, 'w');
  try {
    const data = file.create_group('data');
    let total = 0;
    episodes.forEach((ep, i) => {
      const T = ep.act.length / A;
      total += T;
      const demo = data.create_group(`demo_${i}`);
      demo.create_attribute('num_samples', T, null, '<i8');
      demo.create_dataset({ name: 'actions', data: ep.act, shape: [T, A], dtype: '<f4' });
      demo.create_dataset({ name: 'rewards', data: ep.reward, shape: [T], dtype: '<f4' });
      // robomimic's "dones" mark the episode's last step as well as terminal states.
      const dones = Uint8Array.from(ep.terminated, (d, t) => (d || t === T - 1 ? 1 : 0));
      demo.create_dataset({ name: 'dones', data: dones, shape: [T], dtype: '<B' });
      const states = ep.obs.subarray(0, T * D);
      demo.create_dataset({ name: 'states', data: states, shape: [T, D], dtype: '<f4' });
      const obs = demo.create_group('obs');
      const next = demo.create_group('next_obs');
      obs.create_dataset({ name: 'state', data: states, shape: [T, D], dtype: '<f4' });
      next.create_dataset({ name: 'state', data: ep.obs.subarray(D, (T + 1) * D), shape: [T, D], dtype: '<f4' });
      for (const img of ep.images ?? []) {
        const frame = img.height * img.width * 3;
        if (img.frames.length !== (T + 1) * frame) {
          throw new RangeError(`${path}: demo_${i} ${img.key}: ${img.frames.length} bytes are not ${T + 1} frames of ${img.height}×${img.width}×3`);
        }
        // '<B' (not '|u1'): the unsigned-byte dtype h5wasm writes as H5T_STD_U8LE.
        const layout = { shape: [T, img.height, img.width, 3], dtype: '<B', chunks: [1, img.height, img.width, 3], compression: 'gzip' as const, compression_opts: 4 };
        obs.create_dataset({ name: img.key, data: img.frames.subarray(0, T * frame), ...layout });
        next.create_dataset({ name: img.key, data: img.frames.subarray(frame, (T + 1) * frame), ...layout });
      }
    });
    data.create_attribute('total', total, null, '<i8');
    data.create_attribute('env_args', JSON.stringify({ env_name: meta.task, type: 'mbrl-lab', env_kwargs: meta.envKwargs ?? {} }));
  } catch (error) {
    file.close();
    await rm(tmp, { force: true });
    throw error;
  }
  file.close();
  await rename(tmp, path);
}
