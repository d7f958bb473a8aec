import { rename, rm } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';
import h5wasm from 'h5wasm/node';
import type { RecordedEpisode } from '../run/robomimic-writer';

/**
 * Writes robomimic HDF5 one demo at a time, for exports larger than memory: each `add` writes one
 * episode's datasets to the file (h5wasm writes through to disk) and keeps nothing of it, so memory
 * holds one episode, never the export. The layout is engine/run/robomimic-writer.ts's
 * (`data/demo_<i>/{actions, rewards, dones, states, obs/state, next_obs/state}`, `num_samples`,
 * `data` attributes `total` and `env_args`), which h5py and our importer read. Written beside the
 * target and renamed over it by `finish` (atomic); `abort` removes it.
 */
export class RobomimicStreamWriter {
  private count = 0;
  private total = 0;

  private constructor(
    private readonly path: string,
    private readonly tmp: string,
    private readonly file: InstanceType<typeof h5wasm.File>,
    private readonly data: ReturnType<InstanceType<typeof h5wasm.File>['create_group']>,
    private readonly meta: { task: string; obsDim: number; actDim: number },
  ) {}

  static async create(path: string, meta: { task: string; obsDim: number; actDim: number }): Promise<RobomimicStreamWriter> {
    await h5wasm.ready;
    const tmp = join(dirname(path), `.${basename(path)}.${process.pid}.tmp`);
    const file = new h5wasm.File(tmp, 'w');
    return new RobomimicStreamWriter(path, tmp, file, file.create_group('data'), meta);
  }

  /** Episodes written so far. */
  get episodes(): number {
    return this.count;
  }

  /** Writes one episode as demo_<i> (obs: s_0 … s_T, [(T + 1) · D]). */
  add(ep: RecordedEpisode): void {
    const { obsDim: D, actDim: A } = this.meta;
    const T = ep.act.length / A;
    const demo = this.data.create_group(`demo_${this.count++}`);
    demo.create_attribute('num_samples', T, null, '<i8');
    demo.create_dataset({ name: 'actions', data: ep.act, shape: [T, A], dtype: '<f4' });
    demo.create_dataset({ name: 'rewards', data: ep.reward, shape: [T], dtype: '<f4' });
    // robomimic's "dones" mark the episode's last step as well as terminal states.
    demo.create_dataset({ name: 'dones', data: Uint8Array.from(ep.terminated, (d, t) => (d || t === T - 1 ? 1 : 0)), shape: [T], dtype: '<B' });
    const states = ep.obs.subarray(0, T * D);
    demo.create_dataset({ name: 'states', data: states, shape: [T, D], dtype: '<f4' });
    demo.create_group('obs').create_dataset({ name: 'state', data: states, shape: [T, D], dtype: '<f4' });
    demo.create_group('next_obs').create_dataset({ name: 'state', data: ep.obs.subarray(D, (T + 1) * D), shape: [T, D], dtype: '<f4' });
    this.file.flush();
    this.total += T;
  }

  /** Writes the `data` attributes, closes and renames the file over the target. */
  async finish(): Promise<void> {
    this.data.create_attribute('total', this.total, null, '<i8');
    this.data.create_attribute('env_args', JSON.stringify({ env_name: this.meta.task, type: 'mbrl-lab', env_kwargs: {} }));
    this.file.close();
    await rename(this.tmp, this.path);
  }

  async abort(): Promise<void> {
    try {
      this.file.close();
    } catch {
      // Already closed.
    }
    await rm(this.tmp, { force: true });
  }
}
