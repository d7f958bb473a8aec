import type { BoxSpace } from '../env/env';
import { Rng } from '../util';

/**
 * Uniformly random actions inside a bounded action space: the lecture's data-collection policy
 * (v0.5's "run base policy π₀") and the baseline every learned controller must beat.
 */
export class RandomPolicy {
  private readonly rng: Rng;

  constructor(private readonly space: BoxSpace, seed: number) {
    if (!space.low.every(Number.isFinite) || !space.high.every(Number.isFinite)) {
      throw new Error('RandomPolicy needs a bounded action space');
    }
    this.rng = new Rng(seed);
  }

  /** A fresh action: [actDim], each component uniform in [low, high]. */
  act(): Float32Array {
    const a = new Float32Array(this.space.size);
    for (let i = 0; i < a.length; i++) a[i] = this.rng.uniform(this.space.low[i], this.space.high[i]);
    return a;
  }
}
