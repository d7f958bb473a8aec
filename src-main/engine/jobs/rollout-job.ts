import type { Env } from '../../mbrl/env';
import { RandomPolicy } from '../../mbrl/planning';
import type { RolloutJobSpec } from '../../protocol';
import type { Job, JobContext } from './job';
import { yieldToEventLoop } from './job';

/** The outcome of one episode, as written to metrics.jsonl. */
export interface EpisodeRecord {
  kind: 'episode';
  episode: number;
  return: number;
  steps: number;
}

/**
 * Runs `spec.episodes` episodes of a uniformly random policy as fast as the simulator allows.
 * Episode k starts from seed `spec.seed + k`; the policy's own stream is seeded by `spec.seed`.
 */
export class RolloutJob implements Job {
  constructor(
    private readonly spec: RolloutJobSpec,
    private readonly makeEnv: (task: string) => Promise<Env>,
    private readonly onEpisode: (record: EpisodeRecord) => void | Promise<void> = () => {},
  ) {}

  async run(ctx: JobContext): Promise<void> {
    const env = await this.makeEnv(this.spec.task);
    try {
      const policy = new RandomPolicy(env.actionSpace, this.spec.seed);
      for (let episode = 0; episode < this.spec.episodes; episode++) {
        if (ctx.signal.aborted) return;
        const record = runEpisode(env, policy, this.spec.seed + episode, episode);
        await this.onEpisode(record);
        ctx.emit({ type: 'job/metric', jobId: ctx.jobId, record });
        ctx.progress(episode + 1, this.spec.episodes, `episode ${episode + 1}: return ${record.return.toFixed(2)}`);
        // Let cancel requests in between episodes.
        await yieldToEventLoop();
      }
    } finally {
      env.dispose();
    }
  }
}

/** One episode from reset(seed) until terminated or truncated. */
export function runEpisode(env: Env, policy: RandomPolicy, seed: number, episode: number): EpisodeRecord {
  env.reset(seed);
  let ret = 0;
  let steps = 0;
  for (;;) {
    const result = env.step(policy.act());
    ret += result.reward;
    steps++;
    if (result.terminated || result.truncated) break;
  }
  return { kind: 'episode', episode, return: ret, steps };
}
