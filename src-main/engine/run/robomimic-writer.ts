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
}

/**
 * Writes episodes in robomimic's HDF5 layout, so h5py/robomimic and our own importer read them:
 * `data/demo_<i>/{actions [T, A], rewards [T], dones [T], states [T, D], obs/state [T, D],
 * next_obs/state [T, D]}` with `num_samples` per demo, and `data` attributes `total` and `env_args`
 * (JSON). The file is written beside the target and renamed over it (atomic).
 */
export async function writeRobomimic(path: string, episodes: readonly RecordedEpisode[], meta: { task: string; obsDim: number; actDim: number }): Promise<void> {
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
      demo.create_group('obs').create_dataset({ name: 'state', data: states, shape: [T, D], dtype: '<f4' });
      demo.create_group('next_obs').create_dataset({ name: 'state', data: ep.obs.subarray(D, (T + 1) * D), shape: [T, D], dtype: '<f4' });
    });
    data.create_attribute('total', total, null, '<i8');
    data.create_attribute('env_args', JSON.stringify({ env_name: meta.task, type: 'mbrl-lab', env_kwargs: {} }));
  } catch (error) {
    file.close();
    await rm(tmp, { force: true });
    throw error;
  }
  file.close();
  await rename(tmp, path);
}
