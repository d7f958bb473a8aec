import { join } from 'node:path';
import type { Env } from '../../mbrl/env';
import type { ExperimentJobSpec } from '../../protocol';
import type { EngineServices } from '../engine';
import { runToFolder } from '../run/run-to-folder';
import { newRunId } from '../run/runs-index';
import type { Job, JobContext } from './job';

/** Least time between two streamed frames, ms: random-policy episodes step far faster than a screen. */
const FRAME_INTERVAL_MS = 16;
/** Least time between two predicted-trajectory ghosts, ms (each costs H extra model steps). */
const GHOST_INTERVAL_MS = 50;

/**
 * An experiment started from the UI: runs the spec into a new folder under the runs directory and
 * streams what a viewer needs — metrics, real frames with body poses, the model's predicted
 * trajectory for each plan (as poses, for the 3D ghost), planner iterations, progress.
 */
export class ExperimentJob implements Job {
  constructor(private readonly spec: ExperimentJobSpec, private readonly services: EngineServices) {}

  async run(ctx: JobContext): Promise<void> {
    const { spec, label } = this.spec;
    const runId = newRunId(spec.task, spec.algorithm);
    const dir = join(this.services.runsDir, runId);
    const jobId = ctx.jobId;
    let env: Env | null = null;
    let lastFrame = 0;
    let lastProgress = 0;
    let lastGhost = -Infinity;
    let seed = spec.seed;
    ctx.emit({ type: 'job/run-folder', jobId, runId, path: dir });
    await runToFolder(spec, dir, this.services, {
      label,
      signal: ctx.signal,
      onEnv: (e) => {
        env = e;
        ctx.emit({ type: 'sim/scene', jobId, scene: e.scene(), info: this.services.listTasks().find((t) => t.id === spec.task)! });
      },
      hooks: {
        onMetric: (record) => ctx.emit({ type: 'job/metric', jobId, record }),
        onEpisodeStart: (episode) => {
          seed = spec.seed + episode;
          lastFrame = 0;
        },
        onStep: (s) => {
          const now = performance.now();
          const last = s.terminated || s.truncated;
          if (!env || (!last && now - lastFrame < FRAME_INTERVAL_MS)) return;
          lastFrame = now;
          ctx.emit({
            type: 'sim/frame', jobId, episode: s.episode, seed, step: s.step, time: s.step * env.dt, reward: s.reward, return: s.return,
            terminated: s.terminated, truncated: s.truncated, paused: false, action: s.action.slice(), obs: s.obs.slice(), poses: env.poses(),
          });
        },
        onPlan: async (episode, step, predict) => {
          const now = performance.now();
          if (!env || now - lastGhost < GHOST_INTERVAL_MS) return;
          lastGhost = now;
          const { members, values } = await predict();
          const D = env.observationSpace.size;
          const horizon = values.length / members / D - 1;
          ctx.emit({ type: 'plan/ghost', jobId, episode, step, horizon, members, predictedObs: values, poses: env.posesFor ? env.posesFor(values) : new Float32Array(0) });
        },
        onPlanIteration: (r) => ctx.emit({ type: 'plan/iteration', jobId, ...r }),
        onDiagnostics: (d) =>
          ctx.emit({
            type: 'model/diagnostics', jobId, fit: d.fit, obsDim: env!.observationSpace.size, members: d.heldOut.members, samples: d.heldOut.samples,
            heldOutTruth: d.heldOut.truth, heldOutPredicted: d.heldOut.predicted,
            trajectoryTruth: d.trajectory.truth, trajectoryMean: d.trajectory.mean, trajectoryStd: d.trajectory.std,
          }),
        onProgress: (done, total, message) => {
          const now = performance.now();
          if (done < total && now - lastProgress < 100) return;
          lastProgress = now;
          ctx.progress(done, total, message);
        },
      },
    });
  }
}
