/**
 * tfjs-backend-webgpu's AddN binds every input as its own storage buffer, in one shader. A device
 * allows only `maxStorageBuffersPerShaderStage` of them (8 by default, 16 on an H100 when asked for),
 * and autodiff sums a weight's gradients from every time step with one AddN: a 10-step video training
 * window has 11 inputs plus the output. Past the limit the pipeline is invalid, Dawn only logs a
 * validation error, and the sum comes back unwritten. This wraps the kernel so that a long sum is taken
 * in chunks that fit.
 */
import * as tf from '@tensorflow/tfjs-core';

type KernelArgs = Parameters<tf.KernelFunc>[0];

/**
 * Sums `inputs` with `kernel` (the backend's AddN) taking at most `maxInputs` at a time: chunk sums,
 * then sums of those, until one call takes the rest. Intermediate sums are released on `backend`.
 */
export function addNInChunks(args: KernelArgs, kernel: tf.KernelFunc, maxInputs: number): tf.TensorInfo {
  const inputs = args.inputs as unknown as tf.TensorInfo[];
  if (maxInputs < 2) throw new Error(`AddN: maxInputs must be at least 2, got ${maxInputs}`);
  if (inputs.length <= maxInputs) return kernel(args) as tf.TensorInfo;
  const intermediates: tf.TensorInfo[] = [];
  let level = inputs;
  try {
    while (level.length > maxInputs) {
      const next: tf.TensorInfo[] = [];
      for (let i = 0; i < level.length; i += maxInputs) {
        const chunk = level.slice(i, i + maxInputs);
        if (chunk.length === 1) {
          next.push(chunk[0]);
          continue;
        }
        const sum = kernel({ ...args, inputs: chunk as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo;
        intermediates.push(sum);
        next.push(sum);
      }
      level = next;
    }
    return kernel({ ...args, inputs: level as unknown as tf.NamedTensorInfoMap }) as tf.TensorInfo;
  } finally {
    // Also when a kernel call throws part way through.
    for (const t of intermediates) (args.backend as tf.KernelBackend).disposeData(t.dataId);
  }
}

/**
 * Replaces `backendName`'s registered AddN with one that sums at most `maxStorageBuffers − 1` inputs a
 * call (one buffer is the output). Idempotent for the same limit; a no-op where no AddN is registered.
 */
export function limitAddNInputs(backendName: string, maxStorageBuffers: number): void {
  const current = tf.getKernel(tf.AddN, backendName);
  if (!current) return;
  const original = (current as { original?: tf.KernelConfig }).original ?? current;
  const maxInputs = Math.max(2, maxStorageBuffers - 1);
  tf.unregisterKernel(tf.AddN, backendName);
  tf.registerKernel({ ...original, kernelFunc: (args) => addNInChunks(args, original.kernelFunc, maxInputs), original } as tf.KernelConfig);
}
