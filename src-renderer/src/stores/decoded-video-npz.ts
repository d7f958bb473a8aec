import { zipSync } from 'fflate';

/**
 * Video frames decoded by the browser, written as an .npz replay buffer the engine reads like any
 * other (mbrl-lib's layout: obs, next_obs, action, reward, terminated, truncated, and `state` where
 * the dataset has one). This is how LeRobot video features reach the image models: the engine cannot
 * decode video, Chromium can, so the renderer decodes and uploads the frames as image arrays.
 */

/** One decoded episode: F frames [S · S · 3] and the recorded actions and states of its steps. */
export interface DecodedEpisode {
  /** RGB bytes of each decoded frame, in order. */
  frames: Uint8Array[];
  /** Actions [rows · actDim] (LeRobot: one per frame). */
  actions: Float32Array;
  /** States [rows · stateDim], or empty. */
  states: Float32Array;
}

type Npy = { data: Uint8Array | Float32Array; shape: number[]; descr: '|u1' | '<f4' | '|b1' };

/** A .npy file (format 1.0): magic, version, the header dict padded so data starts at a multiple of 64, then the little-endian elements. */
export function npyBytes({ data, shape, descr }: Npy): Uint8Array {
  const shapeText = shape.length === 1 ? `(${shape[0]},)` : `(${shape.join(', ')})`;
  let dict = `{'descr': '${descr}', 'fortran_order': False, 'shape': ${shapeText}, }`;
  dict += ' '.repeat((64 - ((10 + dict.length + 1) % 64)) % 64) + '\n';
  const out = new Uint8Array(10 + dict.length + data.byteLength);
  out.set([0x93, 0x4e, 0x55, 0x4d, 0x50, 0x59, 1, 0]);
  new DataView(out.buffer).setUint16(8, dict.length, true);
  out.set(new TextEncoder().encode(dict), 10);
  out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength), 10 + dict.length);
  return out;
}

/**
 * The replay-buffer arrays of decoded episodes: transition t of an episode is (frame t, action t,
 * frame t + 1), so an episode of F frames gives F − 1 rows (and its rows of actions/states beyond
 * that are dropped); `truncated` marks each episode's last row. Frames are S×S RGB.
 * @throws Error when the episodes disagree on sizes or none has two frames.
 */
export function decodedReplayArrays(episodes: readonly DecodedEpisode[], size: number, actDim: number, stateDim: number): Record<string, Npy> {
  const frame = size * size * 3;
  const lengths = episodes.map((e) => Math.min(e.frames.length, e.actions.length / actDim) - 1).map((n) => Math.max(0, n));
  const N = lengths.reduce((a, b) => a + b, 0);
  if (N < 1) throw new Error('decoded episodes hold no transitions (each needs two frames)');
  const obs = new Uint8Array(N * frame);
  const next = new Uint8Array(N * frame);
  const action = new Float32Array(N * actDim);
  const state = new Float32Array(N * stateDim);
  const truncated = new Uint8Array(N);
  let row = 0;
  episodes.forEach((e, i) => {
    for (let t = 0; t < lengths[i]; t++, row++) {
      for (const f of [e.frames[t], e.frames[t + 1]]) if (f.length !== frame) throw new Error(`a decoded frame has ${f.length} bytes, not ${size}×${size}×3`);
      obs.set(e.frames[t], row * frame);
      next.set(e.frames[t + 1], row * frame);
      action.set(e.actions.subarray(t * actDim, (t + 1) * actDim), row * actDim);
      if (stateDim) state.set(e.states.subarray(t * stateDim, (t + 1) * stateDim), row * stateDim);
    }
    if (lengths[i] > 0) truncated[row - 1] = 1;
  });
  const arrays: Record<string, Npy> = {
    obs: { data: obs, shape: [N, size, size, 3], descr: '|u1' },
    next_obs: { data: next, shape: [N, size, size, 3], descr: '|u1' },
    action: { data: action, shape: [N, actDim], descr: '<f4' },
    reward: { data: new Float32Array(N), shape: [N], descr: '<f4' },
    terminated: { data: new Uint8Array(N), shape: [N], descr: '|b1' },
    truncated: { data: truncated, shape: [N], descr: '|b1' },
  };
  if (stateDim) arrays.state = { data: state, shape: [N, stateDim], descr: '<f4' };
  return arrays;
}

/** An uncompressed .npz (as np.savez writes) of the arrays. */
export function npzBytes(arrays: Record<string, Npy>): Uint8Array {
  const members: Record<string, Uint8Array> = {};
  for (const [name, a] of Object.entries(arrays)) members[`${name}.npy`] = npyBytes(a);
  return zipSync(members, { level: 0 });
}
