import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { collectImageEpisodes, makePixelEnv, pixelTaskInfo, pixelView, type ImageEpisode, type ReadModelXml } from '../../mbrl/env';
import { ProgressClock } from '../jobs/progress-clock';
import { engineVersions } from '../versions';
import { writeFileAtomic } from './atomic-write';
import { MetricsLog } from './metrics-log';
import { writeRobomimic, type RecordedEpisode } from './robomimic-writer';

/** What to collect: random episodes of an image task. */
export interface CollectSpec {
  /** An image task id, e.g. "point-mass-pixels". */
  task: string;
  episodes: number;
  /** Steps per episode (default: the task's episode length). */
  steps?: number;
  seed: number;
  /** Hold each random action this many steps (default 1). */
  actionRepeat?: number;
  /**
   * Probability of replacing a segment's random action by the task's scripted exploration
   * (PixelView.explore: the pusher heading for the block); default 0.
   */
  aimProbability?: number;
  /** Image size (default: the task's). */
  width?: number;
  height?: number;
}

/** Progress of a collection. */
export interface CollectProgress {
  done: number;
  total: number;
  etaSeconds?: number;
  message: string;
}

/** What a collection produced. */
export interface CollectOutcome {
  status: 'finished' | 'cancelled';
  episodes: number;
  transitions: number;
  /** The HDF5 file, robomimic layout. */
  path: string;
}

/** The data file is rewritten (atomically) at most this often while collecting, and at the end. */
const SAVE_EVERY_MS = 20_000;

/**
 * Autonomous random data collection on an image task into a run folder: `run.json` (the spec,
 * versions, status), `metrics.jsonl` (one `collect/episode` line per episode: return, steps) and
 * `data/transitions.hdf5` in robomimic's layout with the frames as `obs/<camera>_image` and
 * `next_obs/<camera>_image` (uint8 [T, H, W, 3]) beside the true state (`states`, `obs/state`).
 * `env_args.env_kwargs` records the camera, image size and state task. Cancelling (signal) stops
 * after the current episode and still writes what was collected.
 * @throws Error for unknown tasks or bad counts, before anything is written.
 */
export async function collectToFolder(
  spec: CollectSpec,
  outDir: string,
  readModelXml: ReadModelXml,
  onProgress: (p: CollectProgress) => void = () => {},
  signal?: AbortSignal,
): Promise<CollectOutcome> {
  const info = pixelTaskInfo(spec.task);
  const env = await makePixelEnv(spec.task, readModelXml, { width: spec.width, height: spec.height });
  try {
    const steps = spec.steps ?? env.maxEpisodeSteps;
    if (!Number.isInteger(spec.episodes) || spec.episodes < 1) throw new Error(`episodes: expected a positive integer, got ${spec.episodes}`);
    if (!Number.isInteger(steps) || steps < 1 || steps > env.maxEpisodeSteps) throw new Error(`steps: expected an integer in 1..${env.maxEpisodeSteps}, got ${steps}`);
    const aim = pixelView(spec.task).explore;
    const aimProbability = spec.aimProbability ?? 0;
    if (!(aimProbability >= 0 && aimProbability <= 1)) throw new Error(`aim: expected a probability in [0, 1], got ${aimProbability}`);
    if (aimProbability > 0 && !aim) throw new Error(`aim: ${spec.task} has no scripted exploration to aim with`);
    await mkdir(join(outDir, 'data'), { recursive: true });
    const runInfo = { spec: { kind: 'collect', ...spec, steps }, seed: spec.seed, versions: engineVersions(), startedAt: new Date().toISOString() };
    await writeFileAtomic(join(outDir, 'run.json'), `${JSON.stringify(runInfo, null, 2)}\n`);
    const metrics = await MetricsLog.open(join(outDir, 'metrics.jsonl'));
    const path = join(outDir, 'data', 'transitions.hdf5');
    const key = `${env.cameraName}_image`;
    const { width, height } = env.imageSpace;
    const meta = {
      task: spec.task,
      obsDim: env.stateSpace.size,
      actDim: env.actionSpace.size,
      envKwargs: { state_task: info.stateTask, camera: env.cameraName, image_key: key, width, height, dt: env.dt },
    };
    const recorded: RecordedEpisode[] = [];
    const toRecorded = (e: ImageEpisode): RecordedEpisode => ({
      obs: e.states,
      act: e.actions,
      reward: e.rewards,
      terminated: e.terminated,
      images: [{ key, frames: e.frames, height, width }],
    });
    const clock = new ProgressClock();
    let lastSave = performance.now();
    let transitions = 0;
    onProgress({ done: 0, total: spec.episodes, message: `collecting ${spec.task}` });
    try {
      await collectImageEpisodes(env, {
        episodes: spec.episodes,
        steps,
        seed: spec.seed,
        actionRepeat: spec.actionRepeat,
        aim,
        aimProbability,
        signal,
        onEpisode: async (done, total, episode) => {
          recorded.push(toRecorded(episode));
          transitions += episode.rewards.length;
          let ret = 0;
          for (const r of episode.rewards) ret += r;
          const line = { kind: 'collect/episode', episode: done - 1, return: ret, steps: episode.rewards.length };
          await metrics.append(line);
          if (performance.now() - lastSave > SAVE_EVERY_MS) {
            await writeRobomimic(path, recorded, meta);
            lastSave = performance.now();
          }
          onProgress({ done, total, etaSeconds: clock.eta(done, total), message: `${transitions} transitions` });
        },
      });
      await writeRobomimic(path, recorded, meta);
    } finally {
      await metrics.close();
    }
    const status = signal?.aborted ? 'cancelled' : 'finished';
    await writeFileAtomic(join(outDir, 'run.json'), `${JSON.stringify({ ...runInfo, finishedAt: new Date().toISOString(), status }, null, 2)}\n`);
    return { status, episodes: recorded.length, transitions, path };
  } finally {
    env.dispose();
  }
}
