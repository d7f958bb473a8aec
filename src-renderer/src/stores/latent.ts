import { computed, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { EngineEvent, EngineEventOf, LatentJobSpec } from '@protocol';
import { useEngineStore } from './engine';
import { useJobRun } from './job-run';
import { useDatasetsStore, imageFields } from './datasets';
import { imageDatasetSource, type ImageDatasetSourceSpec, type ImageSourceKind } from './image-dataset-source';
import { latentPresetSpec, type LatentPresetChoice } from './latent-preset';

/** The codes of a trained model, as `latent/codes` carries them. */
export type LatentCodes = Omit<EngineEventOf<'latent/codes'>, 'type' | 'jobId'>;
/** Observed / reconstructed / predicted strips, as `latent/frames` carries them. */
export type LatentStrips = Omit<EngineEventOf<'latent/frames'>, 'type' | 'jobId'>;

/** What the Latent space view lets a user choose; the rest of the job spec comes from {@link latentJobSpec}. */
export interface LatentSettings {
  /** Collect frames in `task`, or train on a recorded dataset's image array `imageKey` (resized to imageSize²). */
  source: ImageSourceKind;
  imageKey: string;
  imageSize: number;
  /** Dataset episodes to read (0: all). */
  maxEpisodes: number;
  task: string;
  kind: 'deterministic' | 'stochastic' | 'e2c';
  latentDim: number;
  episodes: number;
  steps: number;
  epochs: number;
  /** Control episodes after training (0: none). */
  controlEpisodes: number;
  seed: number;
}

/** Image tasks of the engine's rasterizer (src-main/mbrl/env/pixel-tasks.ts). */
export const PIXEL_TASKS = ['point-mass-pixels', 'pendulum-pixels', 'cartpole-pixels', 'reacher-pixels', 'planar-push-pixels'] as const;

export const DEFAULT_LATENT_SETTINGS: LatentSettings = {
  source: 'task',
  imageKey: '',
  imageSize: 32,
  maxEpisodes: 0,
  task: 'point-mass-pixels',
  kind: 'e2c',
  latentDim: 3,
  episodes: 10,
  steps: 50,
  epochs: 10,
  controlEpisodes: 0,
  seed: 0,
};

/**
 * A whole job spec from the view's settings: E2C's planar nets (an MLP on the image) for E2C, a
 * patch-conv encoder for the lecture's models; goal-image iLQR control for E2C, CEM on the learned
 * reward for the others.
 */
export function latentJobSpec(s: LatentSettings, data: ImageDatasetSourceSpec | null = null): LatentJobSpec {
  const e2c = s.kind === 'e2c';
  // A recorded dataset: its frames resized to imageSize², no control (no simulator).
  const source = data
    ? { data, image: { width: s.imageSize, height: s.imageSize } }
    : { collect: { episodes: s.episodes, steps: s.steps, actionRepeat: 2, seed: s.seed } };
  return {
    kind: 'latent',
    task: s.task,
    ...source,
    model: {
      kind: s.kind,
      latentDim: s.latentDim,
      stages: e2c ? [] : [{ patch: 4, channels: 16 }],
      hidden: e2c ? [150, 150] : [128],
      dynamicsHidden: [64, 64],
      rewardHidden: e2c ? [] : [64],
      activation: 'relu',
      seed: s.seed,
    },
    fit: { epochs: s.epochs, batchSize: 64, learningRate: 1e-3, valFraction: 0.1, seed: s.seed },
    ...(s.controlEpisodes > 0 && !data
      ? {
          plan: e2c
            ? { episodes: s.controlEpisodes, mode: 'goal' as const, planner: 'ilqr' as const, horizon: 10, seed: s.seed + 1000 }
            : { episodes: s.controlEpisodes, mode: 'reward' as const, planner: 'cem' as const, horizon: 10, seed: s.seed + 1000 },
        }
      : {}),
    colourBy: 0,
    maxCodes: 1500,
    strip: { frames: 10, ahead: 5 },
  };
}

/**
 * A latent-model run (engine job `latent`): collect frames of an image task, train, and receive what the
 * Latent space view draws — the loss terms per epoch, the codes in 3-D with their true states and frames,
 * the frame strips, and (when controlling) each step's planned latent path and the executed one.
 * Typed arrays stay in shallow refs (never deep-reactive).
 */
export const useLatentStore = defineStore('latent', () => {
  const engine = useEngineStore();
  const settings = ref<LatentSettings>({ ...DEFAULT_LATENT_SETTINGS });
  const job = useJobRun(engine, 'latent');
  const { jobId, phase, progress, running, errorMessage, cancel } = job;
  /** One entry per epoch: each loss term's training and validation value. */
  const curves = shallowRef<Array<{ epoch: number; train: Record<string, number>; val: Record<string, number> }>>([]);
  const codes = shallowRef<LatentCodes | null>(null);
  const strips = shallowRef<LatentStrips | null>(null);
  /** The latest plan's predicted path [(H+1)·3] and the executed path so far [T·3], in the cloud's frame. */
  const plannedPath = shallowRef<Float32Array>(new Float32Array(0));
  const executedPath = shallowRef<Float32Array>(new Float32Array(0));
  /** Control episodes: return, final reward, and the task's success predicate (null: none) with its measures. */
  const episodes = shallowRef<Array<{ episode: number; return: number; finalReward: number; success: boolean | null; measures: Record<string, number> }>>([]);
  /** Names of the true-state dimensions when they come from a recorded dataset (null: the task's). */
  const stateNames = shallowRef<string[] | null>(null);
  let executedEpisode = -1;
  const datasets = useDatasetsStore();
  /** The job's `data` when the source is a dataset file and one with that image array is open. */
  const datasetSource = computed(() => (settings.value.source === 'dataset' && datasets.summary ? imageDatasetSource(datasets.summary, settings.value.imageKey, imageFields(datasets.summary), settings.value.maxEpisodes) : null));
  const canStart = computed(() => !running.value && (settings.value.source === 'task' || datasetSource.value !== null));
  /** The preset chosen in the view's picker (its spec under the edited form fields is what runs), or null. */
  const preset = shallowRef<LatentPresetChoice | null>(null);

  function start(): boolean {
    if (!canStart.value || !job.start(latentPresetSpec(preset.value, settings.value, latentJobSpec(settings.value, datasetSource.value)))) return false;
    stateNames.value = null;
    curves.value = [];
    codes.value = null;
    strips.value = null;
    plannedPath.value = new Float32Array(0);
    executedPath.value = new Float32Array(0);
    episodes.value = [];
    executedEpisode = -1;
    return true;
  }

  function handleEvent(event: EngineEvent): void {
    if (!job.owns(event)) return;
    job.track(event);
    switch (event.type) {
      case 'latent/collected':
        stateNames.value = event.stateNames ?? null;
        break;
      case 'latent/curve':
        curves.value = [...curves.value, { epoch: event.epoch, train: event.train, val: event.val }];
        break;
      case 'latent/codes': {
        const { type: _t, jobId: _j, ...c } = event;
        codes.value = c;
        break;
      }
      case 'latent/frames': {
        const { type: _t, jobId: _j, ...f } = event;
        strips.value = f;
        break;
      }
      case 'latent/plan': {
        plannedPath.value = event.planXyz;
        // The executed path: the current code (the plan's first point) at each step of the episode.
        const prev = event.episode === executedEpisode ? executedPath.value : new Float32Array(0);
        executedEpisode = event.episode;
        const next = new Float32Array(prev.length + 3);
        next.set(prev);
        next.set(event.planXyz.subarray(0, 3), prev.length);
        executedPath.value = next;
        break;
      }
      case 'latent/episode':
        episodes.value = [...episodes.value, { episode: event.episode, return: event.return, finalReward: event.finalReward, success: event.success, measures: event.measures }];
        break;
    }
  }

  engine.onEvent(handleEvent);
  return { settings, preset, jobId, phase, running, progress, curves, codes, strips, plannedPath, executedPath, episodes, stateNames, datasetSource, canStart, errorMessage, start, cancel };
});
