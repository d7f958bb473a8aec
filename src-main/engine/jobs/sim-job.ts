import { pixelTaskOf, pixelView, viewRasterizer, type Env, type TaskInfo } from '../../mbrl/env';
import type { Rasterizer } from '../../mbrl/render';
import { RandomPolicy } from '../../mbrl/planning';
import type { Request, SimJobSpec } from '../../protocol';
import type { Job, JobContext } from './job';
import { sleep } from './job';

/**
 * Runs a task live for a viewer: sends the scene once, then one `sim/frame` (with body poses) per env
 * step at `speed` × real time, until cancelled. Episodes restart on their own when they end, with the
 * next seed. Commands: pause, resume, reset (optionally to a seed), step (one step while paused).
 * Tasks with an image variant ("pendulum" → "pendulum-pixels") also get each frame's observation
 * image, rendered by the engine's rasterizer from the pixel task's camera (a fraction of a ms).
 */
export class SimJob implements Job {
  private paused = false;
  private pendingSteps = 0;
  private resetTo: number | null = null;
  private heldAction: Float32Array;
  private wake: (() => void) | null = null;
  /** Renders what an image-based agent sees; null for tasks without an image variant. */
  private readonly observer: Rasterizer | null;

  constructor(
    private readonly spec: SimJobSpec,
    private readonly env: Env,
    private readonly info: TaskInfo,
  ) {
    this.heldAction = new Float32Array(env.actionSpace.size);
    const pixelId = pixelTaskOf(info.id);
    this.observer = pixelId ? viewRasterizer(pixelId, pixelView(pixelId), env.scene()) : null;
  }

  handle(request: Request): void {
    if (request.type === 'sim/action') {
      const a = new Float32Array(this.env.actionSpace.size);
      a.set(request.action.slice(0, a.length));
      this.heldAction = a;
    } else if (request.type === 'sim/command') {
      if (request.command === 'pause') this.paused = true;
      else if (request.command === 'resume') this.paused = false;
      else if (request.command === 'step') this.pendingSteps++;
      else if (request.command === 'reset') this.resetTo = request.seed ?? this.spec.seed;
    }
    this.wake?.();
  }

  async run(ctx: JobContext): Promise<void> {
    const { env, spec } = this;
    try {
      const policy = new RandomPolicy(env.actionSpace, spec.seed);
      ctx.emit({ type: 'sim/scene', jobId: ctx.jobId, scene: env.scene(), info: this.info });
      let episode = 0;
      let seed = spec.seed;
      let ret = 0;
      let step = 0;
      const begin = (s: number) => {
        seed = s;
        const obs = env.reset(seed);
        ret = 0;
        step = 0;
        this.sendFrame(ctx, { episode, seed, step, reward: 0, ret, terminated: false, truncated: false }, new Float32Array(env.actionSpace.size), obs);
      };
      begin(seed);
      const periodMs = (env.dt * 1000) / spec.speed;
      let next = performance.now();
      while (!ctx.signal.aborted) {
        if (this.resetTo !== null) {
          episode++;
          begin(this.resetTo);
          this.resetTo = null;
        }
        if (this.paused && this.pendingSteps === 0) {
          await new Promise<void>((resolve) => {
            this.wake = resolve;
            ctx.signal.addEventListener('abort', () => resolve(), { once: true });
          });
          this.wake = null;
          next = performance.now();
          continue;
        }
        if (this.pendingSteps > 0) this.pendingSteps--;
        const action = spec.policy === 'random' ? policy.act() : this.heldAction.slice();
        const result = env.step(action);
        ret += result.reward;
        step++;
        this.sendFrame(ctx, { episode, seed, step, reward: result.reward, ret, terminated: result.terminated, truncated: result.truncated }, action, result.obs);
        if (result.terminated || result.truncated) {
          // Hold the last frame briefly so the viewer sees how the episode ended.
          await sleep(500 / spec.speed, ctx.signal);
          episode++;
          begin(seed + 1);
          next = performance.now();
        }
        // Drift-free pacing: aim for the schedule, not "period after the last frame".
        next += periodMs;
        await sleep(next - performance.now(), ctx.signal);
        if (performance.now() - next > 1000) next = performance.now(); // fell far behind: don't sprint
      }
    } finally {
      env.dispose();
    }
  }

  private sendFrame(
    ctx: JobContext,
    f: { episode: number; seed: number; step: number; reward: number; ret: number; terminated: boolean; truncated: boolean },
    action: Float32Array,
    obs: Float32Array,
  ): void {
    const poses = this.env.poses();
    const { observer } = this;
    ctx.emit({
      type: 'sim/frame',
      jobId: ctx.jobId,
      episode: f.episode,
      seed: f.seed,
      step: f.step,
      time: f.step * this.env.dt,
      reward: f.reward,
      return: f.ret,
      terminated: f.terminated,
      truncated: f.truncated,
      paused: this.paused,
      action,
      obs,
      poses,
      ...(observer ? { observationImage: { width: observer.width, height: observer.height, rgb: observer.render(poses) } } : {}),
    });
  }
}
