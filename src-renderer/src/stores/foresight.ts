import { computed, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { EngineEvent, EngineEventOf, ForesightJobSpec } from '@protocol';
import { heatToRgba, type RgbFrame } from '../components/frames';
import { useEngineStore } from './engine';
import { useJobRun } from './job-run';
import { imageFields, useDatasetsStore } from './datasets';
import { imageDatasetSource, type ImageDatasetSourceSpec, type ImageSourceKind } from './image-dataset-source';
import { foresightPresetSpec, type ForesightPresetChoice } from './foresight-preset';

/** The protocol's tracking choices ('model' | 'registration' | 'simulator'), so the two cannot drift apart. */
type ForesightPlanTracking = NonNullable<ForesightJobSpec['plan']>['tracking'];

/** A designated pixel and its goal as (column, row) — the Pixel goal picker's v-model entries. */
export interface PixelPair {
  designated: [number, number];
  goal: [number, number] | null;
}

/** What the Visual foresight view lets a user choose; defaults are tiny so a run takes seconds on a 2-core CPU. */
export interface ForesightSettings {
  /** Random pushes in the pushing task, or a recorded dataset's image array `imageKey` (its frame `episode`/`step` is the start). */
  source: ImageSourceKind;
  imageKey: string;
  episode: number;
  step: number;
  /** Dataset episodes to train on (0: all). */
  maxEpisodes: number;
  /** Frame size S (S×S; the pushing task renders 64 by default, 32 keeps training and planning fast). */
  imageSize: number;
  /** Random-push episodes collected for training, and steps in each. */
  episodes: number;
  steps: number;
  /** Adam steps of the video model. */
  trainSteps: number;
  /** CEM population, iterations and horizon (the papers: 200, 3, 10). */
  population: number;
  iterations: number;
  horizon: number;
  /** Actions executed toward the goal. */
  planSteps: number;
  /** Where the designated pixels are between plans: found in each camera frame (registration against the first), the model's predicted motion (the papers), or the simulated block. */
  tracking: ForesightPlanTracking;
  /** Plan toward the placed goal pixels, or toward the task's goal image (pixel-wise distance, the baseline cost). */
  target: 'pixels' | 'image';
  /** Seed of the collection and of the planning episode's start. */
  seed: number;
}

/** The pushing task: a planar pusher and a block under a top-down camera (issue 7). */
export const FORESIGHT_TASK = 'planar-push-pixels';

export const DEFAULT_FORESIGHT_SETTINGS: ForesightSettings = {
  source: 'task',
  imageKey: '',
  episode: 0,
  step: 0,
  maxEpisodes: 0,
  imageSize: 32,
  episodes: 8,
  steps: 20,
  trainSteps: 20,
  population: 24,
  iterations: 2,
  horizon: 4,
  planSteps: 6,
  tracking: 'registration',
  target: 'pixels',
  seed: 0,
};

/** A plan as `foresight/plan` carries it. */
export type ForesightPlan = Omit<EngineEventOf<'foresight/plan'>, 'type' | 'jobId'>;
/** One executed step: the real frame after it and each designated point's distance to its goal, px. */
export type ForesightStep = Omit<EngineEventOf<'foresight/executed'>, 'type' | 'jobId'>;

/** The designated/goal pairs that are complete, as the engine's pixels. */
export function completePairs(pairs: readonly PixelPair[]): { designated: { x: number; y: number }[]; goals: { x: number; y: number }[] } {
  const done = pairs.filter((p): p is PixelPair & { goal: [number, number] } => p.goal !== null);
  return { designated: done.map((p) => ({ x: p.designated[0], y: p.designated[1] })), goals: done.map((p) => ({ x: p.goal[0], y: p.goal[1] })) };
}

/**
 * The job spec for one of the view's jobs: the start frame only, collect + train, plan from a trained
 * run, or (on a recorded dataset, `data`) predict under the recorded actions. With `data` the start
 * frame is the dataset's (episode, step), training reads the dataset, and a plan is shown, not
 * executed (no simulator, so the designated pixels follow the model).
 */
export function foresightJobSpec(
  s: ForesightSettings,
  what: { kind: 'frame' } | { kind: 'train' } | { kind: 'plan'; runId: string; pairs: readonly PixelPair[] } | { kind: 'predict'; runId: string; pairs: readonly PixelPair[] },
  data: ImageDatasetSourceSpec | null = null,
): ForesightJobSpec {
  const base = {
    kind: 'foresight' as const,
    task: data ? 'recorded-dataset' : FORESIGHT_TASK,
    imageSize: s.imageSize,
    episodeSeed: s.seed + 1000,
    ...(data ? { data, start: { episode: s.episode, step: s.step } } : {}),
  };
  if (what.kind === 'frame') return base;
  if (what.kind === 'predict') {
    return { ...base, from: what.runId, predict: { horizon: s.horizon, designated: what.pairs.map((p) => ({ x: p.designated[0], y: p.designated[1] })) } };
  }
  if (what.kind === 'train') {
    return {
      ...base,
      train: {
        ...(data ? {} : { collect: { episodes: s.episodes, steps: s.steps, actionRepeat: 3, seed: s.seed } }),
        model: { widths: [8, 16, 16], kernels: 4 },
        fit: { steps: s.trainSteps, batchSize: 4, horizon: 4, samplingRampSteps: Math.ceil(s.trainSteps / 2), reportEvery: Math.max(1, Math.floor(s.trainSteps / 20)) },
      },
    };
  }
  return {
    ...base,
    from: what.runId,
    plan: {
      target: s.target === 'image' ? { kind: 'image' } : { kind: 'pixels', ...completePairs(what.pairs) },
      horizon: s.horizon,
      population: s.population,
      iterations: s.iterations,
      steps: s.planSteps,
      // Nothing is designated toward a goal image, so nothing to track in the simulator; a dataset has no simulator.
      tracking: s.target === 'image' || data ? 'model' : s.tracking,
      seed: s.seed,
    },
  };
}

/** Designated pixel d's probability map at plan step k (0-based) from maps [H · S · S · D]: [S · S]. */
export function pixelMapAt(plan: ForesightPlan, k: number, d: number): Float32Array {
  const { size: S, designated: D, horizon: H } = plan;
  const out = new Float32Array(S * S);
  if (D === 0 || k < 0 || k >= H || d < 0 || d >= D) return out;
  const base = k * S * S * D;
  for (let i = 0; i < S * S; i++) out[i] = plan.pixelMaps[base + i * D + d];
  return out;
}

/** The frame with a probability map [h · w] painted over it (the overlay's colours and alpha), for filmstrips. */
export function blendHeat(frame: RgbFrame, p: Float32Array): RgbFrame {
  const { width, height } = frame;
  const heat = heatToRgba(p, width, height);
  const rgb = new Uint8Array(frame.rgb.length);
  for (let i = 0; i < width * height; i++) {
    const a = heat[4 * i + 3] / 255;
    for (let c = 0; c < 3; c++) rgb[3 * i + c] = Math.round(frame.rgb[3 * i + c] * (1 - a) + heat[4 * i + c] * a);
  }
  return { width, height, rgb };
}

/**
 * Visual foresight (engine job `foresight`, issue 7), in three jobs so the user designates pixels
 * on the real start frame before planning: `loadFrame` (the planning episode's start frame),
 * `train` (collect random pushes and train the video model into a run folder; the frame comes first,
 * so pixels can be placed while it trains), and `run` (plan from that run's model toward the
 * designated/goal pairs, streaming the best plan's predicted frames, the designated pixels'
 * probability maps, the executed frames and the distances). Typed arrays stay in shallow refs.
 */
export const useForesightStore = defineStore('foresight', () => {
  const engine = useEngineStore();
  const settings = ref<ForesightSettings>({ ...DEFAULT_FORESIGHT_SETTINGS });
  const job = useJobRun(engine, 'foresight');
  const { jobId, phase, progress, running, errorMessage, cancel } = job;
  const jobKind = ref<'frame' | 'train' | 'plan' | 'predict' | null>(null);
  const message = ref('');
  /** The planning episode's start frame (what the user designates on). */
  const startFrame = shallowRef<RgbFrame | null>(null);
  /** The run folder of the newest finished training, whose model plans. */
  const trainedRunId = ref<string | null>(null);
  /** Settings the trained model was made with (image size must match at planning). */
  const trainedSize = ref<number | null>(null);
  const trainCurve = shallowRef<Array<{ step: number; trainLoss: number; valLoss: number | null }>>([]);
  /** Designated/goal pairs placed on the start frame. */
  const pairs = ref<PixelPair[]>([]);
  const plans = shallowRef<ForesightPlan[]>([]);
  const executed = shallowRef<ForesightStep[]>([]);
  const latestPlan = computed(() => plans.value[plans.value.length - 1] ?? null);
  const datasets = useDatasetsStore();
  /** The job's `data` when the source is a dataset file and one with that image array is open (else null). */
  const datasetSource = computed(() => (settings.value.source === 'dataset' && datasets.summary ? imageDatasetSource(datasets.summary, settings.value.imageKey, imageFields(datasets.summary), settings.value.maxEpisodes) : null));
  /** What the frames come from now ('task', or the dataset and image array): a model plans only on what it was trained on. */
  const sourceKey = computed(() => (settings.value.source === 'task' ? 'task' : datasetSource.value ? `${datasetSource.value.dataset}#${datasetSource.value.imageKey}` : null));
  /** The source the newest trained model learned from. */
  const trainedOn = ref<string | null>(null);
  const sourceReady = computed(() => sourceKey.value !== null);
  const modelReady = computed(() => !running.value && trainedRunId.value !== null && trainedSize.value === settings.value.imageSize && trainedOn.value === sourceKey.value);
  const readyToRun = computed(() => modelReady.value && (settings.value.target === 'image' || completePairs(pairs.value).designated.length > 0));
  /** Predicting under a dataset's recorded actions needs only a model (designated pixels are optional). */
  const readyToPredict = computed(() => modelReady.value && settings.value.source === 'dataset');
  /** The preset chosen in the view's picker (Train and Run use its spec under the edited form fields), or null. */
  const preset = shallowRef<ForesightPresetChoice | null>(null);
  let runFolder: string | null = null;
  let trainingOn: string | null = null;

  function startJob(kind: 'frame' | 'train' | 'plan' | 'predict', spec: ForesightJobSpec): boolean {
    if (!job.start(spec, 0, kind)) return false;
    message.value = '';
    jobKind.value = kind;
    return true;
  }

  /** Asks for the start frame of the current seed and size (drops placed pairs when the frame changes size). */
  function loadFrame(): boolean {
    if (!sourceReady.value) return false;
    return startJob('frame', foresightJobSpec(settings.value, { kind: 'frame' }, datasetSource.value));
  }

  function train(): boolean {
    if (!sourceReady.value || !startJob('train', foresightPresetSpec(preset.value, settings.value, foresightJobSpec(settings.value, { kind: 'train' }, datasetSource.value)))) return false;
    trainingOn = sourceKey.value;
    trainCurve.value = [];
    trainedRunId.value = null;
    trainedSize.value = null;
    runFolder = null;
    clearRun();
    return true;
  }

  function run(): boolean {
    if (!readyToRun.value || !trainedRunId.value) return false;
    if (!startJob('plan', foresightPresetSpec(preset.value, settings.value, foresightJobSpec(settings.value, { kind: 'plan', runId: trainedRunId.value, pairs: pairs.value }, datasetSource.value)))) return false;
    clearRun();
    return true;
  }

  /** On a dataset: the model's frames from the start frame under the recorded actions (and the recorded frames beside them). */
  function predict(): boolean {
    if (!readyToPredict.value || !trainedRunId.value) return false;
    if (!startJob('predict', foresightJobSpec(settings.value, { kind: 'predict', runId: trainedRunId.value, pairs: pairs.value }, datasetSource.value))) return false;
    clearRun();
    return true;
  }

  /** Forgets the plans and executed frames (back to designating on the start frame). */
  function clearRun(): void {
    plans.value = [];
    executed.value = [];
  }

  function handleEvent(event: EngineEvent): void {
    if (!job.owns(event)) return;
    job.track(event);
    switch (event.type) {
      case 'job/run-folder':
        runFolder = event.runId;
        break;
      case 'foresight/frame': {
        const size = startFrame.value?.width;
        startFrame.value = { width: event.size, height: event.size, rgb: event.frame };
        if (size !== event.size) pairs.value = [];
        break;
      }
      case 'foresight/phase':
        message.value = event.message;
        break;
      case 'foresight/train':
        trainCurve.value = [...trainCurve.value, { step: event.step, trainLoss: event.trainLoss, valLoss: event.valLoss }];
        break;
      case 'foresight/plan': {
        const { type: _t, jobId: _j, ...plan } = event;
        plans.value = [...plans.value, plan];
        break;
      }
      case 'foresight/executed': {
        const { type: _t, jobId: _j, ...step } = event;
        executed.value = [...executed.value, step];
        break;
      }
      case 'job/done':
        if (jobKind.value === 'train' && runFolder) {
          trainedRunId.value = runFolder;
          trainedSize.value = startFrame.value?.width ?? null;
          trainedOn.value = trainingOn;
        }
        break;
    }
  }

  engine.onEvent(handleEvent);
  return {
    settings, preset, jobId, jobKind, phase, running, progress, message, startFrame, trainedRunId, trainedSize, trainedOn, trainCurve, pairs, plans, latestPlan, executed,
    errorMessage, readyToRun, readyToPredict, datasetSource, sourceKey, loadFrame, train, run, predict, clearRun, cancel,
  };
});
