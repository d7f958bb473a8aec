/**
 * The datasets bench (`mbrl-lab bench --only datasets`): time to open and summarise a 1 GiB
 * robomimic HDF5 file, single-frame read time while scrubbing it, and peak memory (RSS) meanwhile,
 * beside h5py doing the same in the same run (bench/reference/dataset_scrub.py).
 *
 * The file is generated here in a temp folder (never in tests): DEMOS demos of STEPS steps with
 * actions, rewards, dones, states, obs/{robot0_eef_pos, agentview_image uint8 [84, 84, 3]} —
 * the images make it 1 GiB. Ours runs in a child process the way the CLI runs the engine (Node +
 * tsx with h5wasm preloaded), so its RSS is the reader's and not the generator's.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import h5wasm from 'h5wasm/node';
import { withReference, type BenchResult } from './bench-result';

const run = promisify(execFile);
const ROOT = fileURLToPath(new URL('../', import.meta.url));

export const DATASET_SHAPES = { demos: 128, steps: 400, height: 84, width: 84, reads: 300, seed: 7 } as const;
const FIELD = 'obs/agentview_image';

/** Writes the bench file demo by demo (one demo's images, 8.5 MB, in memory at a time). */
export async function writeBenchDataset(path: string, shapes = DATASET_SHAPES): Promise<void> {
  await h5wasm.ready;
  const { demos, steps: T, height: H, width: W } = shapes;
  const file = new h5wasm.File(path, 'w');
  try {
    const data = file.create_group('data');
    data.create_attribute('total', demos * T, null, '<i8');
    data.create_attribute('env_args', JSON.stringify({ env_name: 'Lift', type: 1, env_kwargs: {} }));
    const image = new Uint8Array(T * H * W * 3);
    for (let d = 0; d < demos; d++) {
      const demo = data.create_group(`demo_${d}`);
      demo.create_attribute('num_samples', T, null, '<i8');
      const lowDim = (width: number) => Float32Array.from({ length: T * width }, (_, i) => Math.sin(d + i * 0.01));
      demo.create_dataset({ name: 'actions', data: lowDim(7), shape: [T, 7], dtype: '<f4' });
      demo.create_dataset({ name: 'rewards', data: lowDim(1), shape: [T], dtype: '<f4' });
      demo.create_dataset({ name: 'dones', data: new Uint8Array(T), shape: [T], dtype: '<B' });
      demo.create_dataset({ name: 'states', data: lowDim(32), shape: [T, 32], dtype: '<f4' });
      const obs = demo.create_group('obs');
      obs.create_dataset({ name: 'robot0_eef_pos', data: lowDim(3), shape: [T, 3], dtype: '<f4' });
      for (let i = 0; i < image.length; i++) image[i] = (i * 7 + d * 13) & 255;
      obs.create_dataset({ name: 'agentview_image', data: image, shape: [T, H, W, 3], dtype: '<B' });
    }
  } finally {
    file.close();
  }
}

interface Probe {
  openMs: number;
  frameMs: number;
  peakRssMb: number;
  rssBeforeMb: number;
}

/** Runs the bench; `python`: an interpreter with h5py for the reference, or null. */
export async function benchDatasets(python: string | null, log: (line: string) => void): Promise<BenchResult[]> {
  const dir = await mkdtemp(join(tmpdir(), 'mbrl-bench-datasets-'));
  try {
    const path = join(dir, 'bench-1gib.hdf5');
    const s = DATASET_SHAPES;
    log(`datasets: writing ${s.demos} demos × ${s.steps} steps with ${s.height}×${s.width}×3 images to ${path}`);
    const t0 = performance.now();
    await writeBenchDataset(path);
    const size = (await stat(path)).size;
    const gib = size / 2 ** 30;
    log(`datasets: ${gib.toFixed(2)} GiB written in ${((performance.now() - t0) / 1000).toFixed(1)} s; opening and scrubbing ${s.reads} frames`);
    const args = [path, FIELD, String(s.reads), String(s.seed)];
    const ours = JSON.parse(
      (await run(process.execPath, ['--import', join(ROOT, 'bin/preload-h5wasm.mjs'), '--import', 'tsx', join(ROOT, 'bench/datasets-probe.ts'), ...args], { cwd: ROOT, maxBuffer: 1 << 20 })).stdout,
    ) as Probe;
    let ref: { open_ms: number; frame_ms: number; peak_rss_mb: number } | undefined;
    if (python) {
      try {
        ref = JSON.parse((await run(python, [join(ROOT, 'bench/reference/dataset_scrub.py'), ...args], { maxBuffer: 1 << 20 })).stdout);
      } catch (error) {
        log(`reference skipped: h5py: ${(error as Error).message.split('\n')[0]}`);
      }
    } else log('reference skipped: no python3 with h5py');
    const label = `robomimic HDF5 ${gib.toFixed(2)} GiB, ${s.demos} demos, ${s.height}x${s.width}x3 frames`;
    return [
      withReference({ name: `dataset open+summarise (${label}; h5py reference)`, value: ours.openMs, unit: 'ms' }, ref?.open_ms),
      withReference({ name: `dataset scrub frame read (${label}, ${s.reads} random frames, median; h5py reference)`, value: ours.frameMs, unit: 'ms' }, ref?.frame_ms),
      // Memory: lower is better, like a time; the ratio is h5py's peak over ours.
      withReference({ name: `dataset open+scrub peak RSS (${label}; h5py reference)`, value: ours.peakRssMb, unit: 'MB' }, ref?.peak_rss_mb),
      { name: `dataset open+scrub RSS growth over the process's start (${label})`, value: ours.peakRssMb - ours.rssBeforeMb, unit: 'MB' },
      { name: `dataset open+scrub peak RSS / file size (${label})`, value: (100 * ours.peakRssMb * 2 ** 20) / size, unit: '%' },
    ];
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/** An interpreter that can import h5py (MBRL_BENCH_PYTHON or /usr/bin/python3), or null. */
export async function h5pyPython(): Promise<string | null> {
  const python = process.env.MBRL_BENCH_PYTHON || '/usr/bin/python3';
  try {
    await run(python, ['-c', 'import h5py']);
    return python;
  } catch {
    return null;
  }
}
