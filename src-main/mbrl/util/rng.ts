/**
 * Seeded pseudo-random numbers: xoshiro128** seeded through splitmix32.
 *
 * Why our own rather than Math.random or a package: experiments must replay bit for bit from a seed
 * (run.json records it), across Node, Electron's utility process and tests; the whole state is four
 * 32-bit words, so it is cheap to snapshot into a checkpoint and restore; and it uses only 32-bit
 * integer ops, so every JS engine gives the same stream. normal() uses Math.log/sqrt/cos, which V8
 * computes with its own portable (fdlibm) routines, so the stream is the same on every platform for a
 * given Node/Electron build.
 */

const TWO_POW_32 = 4294967296;
const TWO_POW_53 = 9007199254740992;

/** One splitmix32 step: returns [output, nextState]. Used only to spread a seed over the state. */
function splitmix32(state: number): [number, number] {
  const next = (state + 0x9e3779b9) | 0;
  let z = next;
  z = Math.imul(z ^ (z >>> 16), 0x85ebca6b);
  z = Math.imul(z ^ (z >>> 13), 0xc2b2ae35);
  z ^= z >>> 16;
  return [z >>> 0, next];
}

/** Seeded PRNG with a 128-bit state. Not cryptographic. */
export class Rng {
  private s0 = 0;
  private s1 = 0;
  private s2 = 0;
  private s3 = 0;

  /**
   * @param seed any safe integer (negative and > 2^32 allowed: all 53 bits take part).
   * @throws RangeError if seed is not a safe integer, so that 1.5 and 1 never silently collide.
   */
  constructor(seed: number) {
    if (!Number.isSafeInteger(seed)) throw new RangeError(`Rng seed must be a safe integer, got ${seed}`);
    // Mix the low and high 32-bit halves in turn so that seeds differing only above bit 32 differ.
    let sm = seed >>> 0;
    const hi = Math.floor(seed / TWO_POW_32) | 0;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      let out: number;
      [out, sm] = splitmix32(sm ^ (i === 1 ? hi : 0));
      words.push(out);
    }
    [this.s0, this.s1, this.s2, this.s3] = words;
    // xoshiro's one forbidden state is all zeros; splitmix32 output makes it practically impossible.
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** Next 32 random bits as an unsigned integer in [0, 2^32). */
  nextUint32(): number {
    const result = Math.imul(rotl(Math.imul(this.s1, 5), 7), 9) >>> 0;
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = rotl(this.s3, 11);
    return result;
  }

  /** Uniform double in [0, 1) with 53 random bits (two draws). */
  nextFloat(): number {
    const a = this.nextUint32() >>> 5; // 27 bits
    const b = this.nextUint32() >>> 6; // 26 bits
    return (a * 67108864 + b) / TWO_POW_53;
  }

  /** Uniform double in [lo, hi). */
  uniform(lo: number, hi: number): number {
    return lo + (hi - lo) * this.nextFloat();
  }

  /** Standard normal sample (mean 0, variance 1), Box–Muller; uses two nextFloat() draws, caches nothing. */
  normal(): number {
    const u = 1 - this.nextFloat(); // (0, 1]: log never sees 0
    const v = this.nextFloat();
    return Math.sqrt(-2 * Math.log(u)) * Math.cos(2 * Math.PI * v);
  }

  /** Snapshot of the full state: [4] uint32 words. Restore with {@link Rng.setState}. */
  getState(): Uint32Array {
    return Uint32Array.of(this.s0, this.s1, this.s2, this.s3);
  }

  /** Restore a state from {@link Rng.getState}. */
  setState(state: ArrayLike<number>): void {
    if (state.length !== 4) throw new RangeError(`Rng state has 4 words, got ${state.length}`);
    if ((state[0] | state[1] | state[2] | state[3]) === 0) throw new RangeError('Rng state must not be all zeros');
    this.s0 = state[0] | 0;
    this.s1 = state[1] | 0;
    this.s2 = state[2] | 0;
    this.s3 = state[3] | 0;
  }

  /** An independent copy that continues the same stream. */
  clone(): Rng {
    const copy = new Rng(0);
    copy.setState(this.getState());
    return copy;
  }
}

function rotl(x: number, k: number): number {
  return (x << k) | (x >>> (32 - k));
}
