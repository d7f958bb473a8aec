import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import type { ModelArtifacts } from '../../mbrl/models';
import type { EngineEventOf } from '../../protocol';
import { writeFileAtomic } from './atomic-write';
import { MetricsLog } from './metrics-log';
import { type RecordedEpisode, writeRobomimic } from './robomimic-writer';

/** What run.json holds. */
export interface RunInfo {
  spec: unknown;
  label?: string;
  seed: number;
  backend: string;
  backendDetail: string;
  versions: Record<string, string>;
  startedAt: string;
  finishedAt?: string;
  /** 'finished', 'cancelled' or 'failed: <reason>'. */
  status?: string;
}

/**
 * Writes one run folder: run.json (atomically, at the start and again at the end), metrics.jsonl
 * (appended line by line), checkpoints/ (the model in tfjs format: model.json + weights.bin) and
 * data/transitions.hdf5 (every episode, robomimic layout).
 */
export class RunRecorder {
  private readonly episodes: RecordedEpisode[] = [];

  private constructor(readonly dir: string, private info: RunInfo, private readonly metrics: MetricsLog) {}

  static async create(dir: string, spec: { seed: number }, engineInfo: EngineEventOf<'engine/info'>, label?: string): Promise<RunRecorder> {
    await mkdir(dir, { recursive: true });
    const info: RunInfo = {
      spec,
      ...(label ? { label } : {}),
      seed: spec.seed,
      backend: engineInfo.backend,
      backendDetail: engineInfo.backendDetail,
      versions: engineInfo.versions,
      startedAt: new Date().toISOString(),
    };
    await writeFileAtomic(join(dir, 'run.json'), `${JSON.stringify(info, null, 2)}\n`);
    return new RunRecorder(dir, info, await MetricsLog.open(join(dir, 'metrics.jsonl')));
  }

  append(record: { readonly kind: string }): Promise<void> {
    return this.metrics.append(record);
  }

  /** Saves a model under checkpoints/ (weights first, so model.json never names missing weights). */
  async saveModel(artifacts: ModelArtifacts): Promise<void> {
    const dir = join(this.dir, 'checkpoints');
    await mkdir(dir, { recursive: true });
    await writeFileAtomic(join(dir, 'weights.bin'), new Uint8Array(artifacts.weightData));
    await writeFileAtomic(join(dir, 'model.json'), JSON.stringify(artifacts.modelJson));
  }

  /**
   * Adds an episode to data/transitions.hdf5 (robomimic layout), rewritten atomically after each
   * episode so a cancelled or crashed run keeps what it collected.
   */
  async recordEpisode(episode: RecordedEpisode, meta: { task: string; obsDim: number; actDim: number }): Promise<void> {
    this.episodes.push(episode);
    await mkdir(join(this.dir, 'data'), { recursive: true });
    await writeRobomimic(join(this.dir, 'data', 'transitions.hdf5'), this.episodes, meta);
  }

  /** Closes metrics.jsonl and records how the run ended. */
  async finish(status: string): Promise<void> {
    await this.metrics.close();
    this.info = { ...this.info, finishedAt: new Date().toISOString(), status };
    await writeFileAtomic(join(this.dir, 'run.json'), `${JSON.stringify(this.info, null, 2)}\n`);
  }
}

