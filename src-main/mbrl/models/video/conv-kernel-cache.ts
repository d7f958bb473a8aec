import * as tf from '@tensorflow/tfjs-core';
import { flippedKernel } from './conv2d';

/**
 * The convolution kernels that every frame of one gradient computation shares, derived once instead
 * of once per frame: each convolution's weight and bias slices (taken on the gradient tape, so that
 * their gradients reach the variables) and, for the backward pass, the flipped kernels. Why: a video
 * model unrolled over 11 frames sliced and flipped the same weights 11 times a training step (209
 * slices, 209 flips); sharing them took a step from 586 to 470 ms on wasm (1 thread).
 *
 * One cache per gradient computation: create it before `tf.variableGrads` (or `minimize`), pass it to
 * every {@link CdnaNetwork.step} inside, and dispose it after the gradients are taken, never later: the
 * weights change at every optimizer step.
 */
export class ConvKernelCache {
  private readonly slices = new Map<string, tf.Tensor>();
  private readonly flips = new Map<string, tf.Tensor4D>();

  /**
   * The weight or bias slice `key`, made by `make` on first use. It is an input of the convolutions that
   * use it, so the gradient computation keeps it alive until its gradients are taken.
   */
  slice<T extends tf.Tensor>(key: string, make: () => T): T {
    let found = this.slices.get(key) as T | undefined;
    if (!found) this.slices.set(key, (found = make()));
    return found;
  }

  /** The flipped kernel of `weight` (the slice or variable named `key`), kept until {@link dispose}. */
  flipped(key: string, weight: tf.Tensor4D): tf.Tensor4D {
    let found = this.flips.get(key);
    if (!found) this.flips.set(key, (found = tf.keep(flippedKernel(weight))));
    return found;
  }

  /** Frees the flipped kernels (the slices belong to the gradient computation). */
  dispose(): void {
    this.flips.forEach((t) => t.dispose());
    this.flips.clear();
    this.slices.clear();
  }
}
