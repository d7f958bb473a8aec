/** A set of transitions (s, a, r, s′) as row-major arrays. */
export interface TransitionBatch {
  /** Number of transitions N. */
  size: number;
  obsDim: number;
  actDim: number;
  /** s: [N, obsDim]. */
  obs: Float32Array;
  /** a: [N, actDim]. */
  act: Float32Array;
  /** s′: [N, obsDim]. */
  nextObs: Float32Array;
  /** r: [N]. */
  reward: Float32Array;
  /** 1 where s′ is terminal: [N]. */
  terminated: Uint8Array;
}

/**
 * An append-only store of transitions that grows by doubling (amortized O(1) adds). Holds everything
 * an MBRL run collects; the lecture's loops refit on all of it.
 */
export class TransitionBuffer {
  private n = 0;
  private cap: number;
  private obs: Float32Array;
  private act: Float32Array;
  private nextObs: Float32Array;
  private reward: Float32Array;
  private terminated: Uint8Array;

  constructor(readonly obsDim: number, readonly actDim: number, initialCapacity = 1024) {
    this.cap = Math.max(1, initialCapacity);
    this.obs = new Float32Array(this.cap * obsDim);
    this.act = new Float32Array(this.cap * actDim);
    this.nextObs = new Float32Array(this.cap * obsDim);
    this.reward = new Float32Array(this.cap);
    this.terminated = new Uint8Array(this.cap);
  }

  get size(): number {
    return this.n;
  }

  /** Appends one transition. obs, nextObs: [obsDim]; act: [actDim]. */
  add(obs: ArrayLike<number>, act: ArrayLike<number>, nextObs: ArrayLike<number>, reward: number, terminated: boolean): void {
    if (obs.length !== this.obsDim || nextObs.length !== this.obsDim) throw new Error(`transition: observation has ${obs.length} dims, expected ${this.obsDim}`);
    if (act.length !== this.actDim) throw new Error(`transition: action has ${act.length} dims, expected ${this.actDim}`);
    if (this.n === this.cap) this.grow();
    this.obs.set(obs, this.n * this.obsDim);
    this.act.set(act, this.n * this.actDim);
    this.nextObs.set(nextObs, this.n * this.obsDim);
    this.reward[this.n] = reward;
    this.terminated[this.n] = terminated ? 1 : 0;
    this.n++;
  }

  /** Appends every transition of a batch. */
  addBatch(batch: TransitionBatch): void {
    const { obsDim: D, actDim: A } = batch;
    for (let i = 0; i < batch.size; i++) {
      this.add(batch.obs.subarray(i * D, (i + 1) * D), batch.act.subarray(i * A, (i + 1) * A), batch.nextObs.subarray(i * D, (i + 1) * D), batch.reward[i], batch.terminated[i] === 1);
    }
  }

  /** The stored transitions (views, valid until the next add). */
  view(): TransitionBatch {
    return {
      size: this.n,
      obsDim: this.obsDim,
      actDim: this.actDim,
      obs: this.obs.subarray(0, this.n * this.obsDim),
      act: this.act.subarray(0, this.n * this.actDim),
      nextObs: this.nextObs.subarray(0, this.n * this.obsDim),
      reward: this.reward.subarray(0, this.n),
      terminated: this.terminated.subarray(0, this.n),
    };
  }

  private grow(): void {
    this.cap *= 2;
    const grow = <T extends Float32Array | Uint8Array>(old: T, width: number): T => {
      const next = new (old.constructor as new (n: number) => T)(this.cap * width);
      next.set(old);
      return next;
    };
    this.obs = grow(this.obs, this.obsDim);
    this.act = grow(this.act, this.actDim);
    this.nextObs = grow(this.nextObs, this.obsDim);
    this.reward = grow(this.reward, 1);
    this.terminated = grow(this.terminated, 1);
  }
}

/** Rows `indices` of a row-major array with `width` columns. */
export function gatherRows(data: Float32Array, width: number, indices: ArrayLike<number>): Float32Array {
  const out = new Float32Array(indices.length * width);
  for (let i = 0; i < indices.length; i++) out.set(data.subarray(indices[i] * width, (indices[i] + 1) * width), i * width);
  return out;
}
