import * as tf from '@tensorflow/tfjs-core';
import { chooseBackend } from '../../../../src-main/engine/tf-backend';

/**
 * Latent-model tests train small image nets; the wasm backend (the engine's own choice on a machine
 * without tfjs-node) runs them ~10× faster than the pure-JS cpu backend, and is deterministic too.
 */
export async function useWasmBackend(): Promise<void> {
  await chooseBackend('wasm');
  await tf.ready();
}
