/**
 * Autonomous random data collection on an image task, as in E2C and visual foresight: random actions,
 * every frame and the true state recorded. Pure: the caller saves the episodes (the engine writes
 * them in robomimic's layout with image keys, engine/run/robomimic-writer.ts).
 */
import type { ImageEnv } from './pixel-env';
import { Rng } from '../util/rng';

/** One collected episode of T steps, row-major. */
export interface ImageEpisode {
  /** Frames o_0 … o_T, single (unstacked) frames: [(T + 1), H, W, 3] uint8. */
  frames: Uint8Array;
  /** True states s_0 … s_T: [(T + 1) · stateDim] (the state task's observation; never the agent's input). */
  states: Float32Array;
  /** Actions a_0 … a_{T−1} as applied (clipped): [T · actDim]. */
  actions: Float32Array;
  /** Rewards: [T]. */
  rewards: Float32Array;
  /** 1 where s_{t+1} is terminal: [T]. */
  terminated: Uint8Array;
  /** Where the task's object is in each frame: [(T + 1), 2] as (x, y) px (ImageEnv.objectPixel); absent when the task has none. */
  points?: Float32Array;
}

/** One episode's controller for {@link CollectOptions.policy}. */
export interface EpisodePolicy {
  act(obs: Uint8Array, state: Float32Array): Promise<Float32Array> | Float32Array;
  /** Frees what the policy holds; called when its episode ends. */
  dispose?(): void;
}

/** How to collect. */
export interface CollectOptions {
  /** Number of episodes (≥ 1). */
  episodes: number;
  /** Steps per episode, at most the task's maxEpisodeSteps (default: that). Episodes also end when terminal. */
  steps?: number;
  /** Episode i resets with seed + i; actions come from Rng(seed) (default 0). */
  seed?: number;
  /**
   * Hold each random action for this many steps (default 1: independent actions every step). Longer
   * holds give the sustained pushes that move objects (visual foresight) and wider coverage of a
   * point-mass arena.
   */
  actionRepeat?: number;
  /**
   * Scripted exploration mixed into the random actions: at the start of each held segment, with
   * probability aimProbability the action is aim(true state) instead of a uniform draw (default 0:
   * purely random). Tasks offer one as PixelView.explore (the pusher heading for the block).
   */
  aim?: (state: Float32Array, rng: Rng) => Float32Array;
  aimProbability?: number;
  /**
   * A second scripted exploration that replaces `aim` for a whole episode, in a share
   * goalPushEpisodes of the episodes (default 0), drawn per episode so that a plan-like sequence
   * (e.g. going around the block, then pushing) runs to its end. Tasks offer one as
   * PixelView.exploreTowardGoal.
   */
  goalPush?: (state: Float32Array, rng: Rng) => Float32Array;
  goalPushEpisodes?: number;
  /**
   * A controller instead of random actions (PlaNet-style data collection between fits): called at the
   * start of each episode for that episode's policy, which maps the observation [k, H, W, 3] (the
   * env's frame stack) and the true state (for baselines only) to an action. Absent: random actions.
   */
  policy?: (episode: number) => EpisodePolicy;
  /** Std of Gaussian noise added to each policy action before clipping (exploration), in action units. Default 0. */
  actionNoise?: number;
  /** Called after each episode with (episodes done, total). */
  onEpisode?: (done: number, total: number, episode: ImageEpisode) => void | Promise<void>;
  /** Stops after the current episode when aborted; the episodes so far are returned. */
  signal?: AbortSignal;
}

/**
 * Collects episodes with actions uniform in the action box (or from `policy`). The stored frames are single: each
 * episode stores single frames (stack them when loading). Returns the episodes in order.
 * @throws RangeError on bad counts.
 */
export async function collectImageEpisodes(env: ImageEnv, options: CollectOptions): Promise<ImageEpisode[]> {
  const { episodes } = options;
  const steps = options.steps ?? env.maxEpisodeSteps;
  const repeat = options.actionRepeat ?? 1;
  const seed = options.seed ?? 0;
  if (!Number.isInteger(episodes) || episodes < 1) throw new RangeError(`episodes must be a positive integer, got ${episodes}`);
  if (!Number.isInteger(steps) || steps < 1 || steps > env.maxEpisodeSteps) {
    throw new RangeError(`steps must be an integer in 1..${env.maxEpisodeSteps} (${env.id}'s episode length), got ${steps}`);
  }
  if (!Number.isInteger(repeat) || repeat < 1) throw new RangeError(`actionRepeat must be a positive integer, got ${repeat}`);
  const aimProbability = options.aimProbability ?? 0;
  if (!(aimProbability >= 0 && aimProbability <= 1)) throw new RangeError(`aimProbability must be in [0, 1], got ${aimProbability}`);
  if (aimProbability > 0 && !options.aim) throw new RangeError(`aimProbability ${aimProbability} needs an aim function (${env.id} has none)`);
  const goalPushEpisodes = options.goalPushEpisodes ?? 0;
  if (!(goalPushEpisodes >= 0 && goalPushEpisodes <= 1)) throw new RangeError(`goalPushEpisodes must be in [0, 1], got ${goalPushEpisodes}`);
  if (goalPushEpisodes > 0 && !(options.goalPush && aimProbability > 0)) throw new RangeError(`goalPushEpisodes ${goalPushEpisodes} needs a goal-push function (${env.id} has ${options.goalPush ? 'one' : 'none'}) and aimProbability > 0`);
  const { low, high, size: actDim } = env.actionSpace;
  const stateDim = env.stateSpace.size;
  const frameSize = env.imageSpace.width * env.imageSpace.height * 3;
  const rng = new Rng(seed);
  const out: ImageEpisode[] = [];
  const action = new Float32Array(actDim);
  for (let e = 0; e < episodes; e++) {
    if (options.signal?.aborted) break;
    const frames = new Uint8Array((steps + 1) * frameSize);
    const states = new Float32Array((steps + 1) * stateDim);
    const actions = new Float32Array(steps * actDim);
    const rewards = new Float32Array(steps);
    const terminated = new Uint8Array(steps);
    let obs = env.reset(seed + e);
    frames.set(env.frame(), 0);
    states.set(env.state(), 0);
    let t = 0;
    const policy = options.policy?.(e);
    // Drawn only when asked for, so that collections without it keep their random stream.
    const aim = goalPushEpisodes > 0 && rng.uniform(0, 1) < goalPushEpisodes ? options.goalPush! : options.aim;
    try {
      while (t < steps) {
        if (policy) {
          const chosen = await policy.act(obs, states.slice(t * stateDim, (t + 1) * stateDim));
          for (let j = 0; j < actDim; j++) action[j] = Math.min(high[j], Math.max(low[j], chosen[j] + (options.actionNoise ? options.actionNoise * rng.normal() : 0)));
        } else if (t % repeat === 0) {
          // Always draw the uniform action first, so the random stream does not depend on aiming.
          for (let j = 0; j < actDim; j++) action[j] = rng.uniform(low[j], high[j]);
          if (aimProbability > 0 && rng.uniform(0, 1) < aimProbability) {
            const aimed = aim!(states.slice(t * stateDim, (t + 1) * stateDim), rng);
            for (let j = 0; j < actDim; j++) action[j] = Math.min(high[j], Math.max(low[j], aimed[j]));
          }
        }
        const r = env.step(action);
        obs = r.obs;
        actions.set(action, t * actDim);
        rewards[t] = r.reward;
        terminated[t] = r.terminated ? 1 : 0;
        t++;
        frames.set(env.frame(), t * frameSize);
        states.set(r.state, t * stateDim);
        if (r.terminated) break;
      }
    } finally {
      policy?.dispose?.();
    }
    const episode: ImageEpisode =
      t === steps
        ? { frames, states, actions, rewards, terminated }
        : {
            frames: frames.slice(0, (t + 1) * frameSize),
            states: states.slice(0, (t + 1) * stateDim),
            actions: actions.slice(0, t * actDim),
            rewards: rewards.slice(0, t),
            terminated: terminated.slice(0, t),
          };
    const points = objectPoints(env, episode.states);
    if (points) episode.points = points;
    out.push(episode);
    await options.onEpisode?.(out.length, episodes, episode);
    // Let cancel requests and progress messages through between episodes.
    await new Promise<void>((resolve) => setTimeout(resolve, 0));
  }
  return out;
}

/** The object's pixel in each state of `states` ([(T + 1) · stateDim]): [(T + 1), 2] as (x, y), or null when the env has no object to track. */
export function objectPoints(env: ImageEnv, states: Float32Array): Float32Array | null {
  if (!env.objectPixel) return null;
  const dim = env.stateSpace.size;
  const count = states.length / dim;
  const out = new Float32Array(2 * count);
  for (let t = 0; t < count; t++) {
    const p = env.objectPixel(states.subarray(t * dim, (t + 1) * dim));
    if (!p) return null;
    out[2 * t] = p.x;
    out[2 * t + 1] = p.y;
  }
  return out;
}
