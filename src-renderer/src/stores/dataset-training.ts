import { ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { EngineEvent, EngineEventOf } from '@protocol';
import type { ChartSeries } from '../components/chart';
import { useEngineStore } from './engine';
import { useJobRun } from './job-run';

/** A held-out episode's open-loop prediction as `dataset/prediction` carries it. */
export type DatasetPrediction = Omit<EngineEventOf<'dataset/prediction'>, 'type' | 'jobId'>;

/** Settings of a training run from the Datasets view. */
export interface DatasetTrainSettings {
  state: string[];
  action: string;
  members: number;
  probabilistic: boolean;
  epochs: number;
  hidden: number[];
  holdout: number;
  seed: number;
}

const MEMBER_COLORS = ['#9fd8ff', '#ffc36b', '#b5d36b', '#e58fb6', '#d0a0ff', '#6be0d0', '#f06a6a', '#8d98a8'];

/**
 * One dimension of a prediction as chart series: the recorded episode (truth), the ensemble mean
 * with a ± std band, and each member's own open-loop trajectory (thin, faded) when there are several.
 * An open-loop prediction can run off by orders of magnitude, which would flatten the recording to
 * a line at zero; so the plot keeps to the recording's range widened by 1.5× its span on each side:
 * a predicted line stops where it leaves that window (`leavesAt`: the first step it does, or null)
 * and the band is cut at its edges.
 */
export function predictionSeries(p: DatasetPrediction, dim: number): ChartSeries[] & { leavesAt?: number | null } {
  const D = p.obsDim;
  const N = p.steps + 1;
  let lo = Infinity;
  let hi = -Infinity;
  for (let t = 0; t < N; t++) {
    lo = Math.min(lo, p.truth[t * D + dim]);
    hi = Math.max(hi, p.truth[t * D + dim]);
  }
  const pad = 1.5 * Math.max(hi - lo, 1e-3 * Math.max(1, Math.abs(hi)));
  const [top, bottom] = [hi + pad, lo - pad];
  let leavesAt: number | null = null;
  const inside = (v: number, t: number) => {
    if (v >= bottom && v <= top) return v;
    leavesAt = leavesAt === null ? t : Math.min(leavesAt, t);
    return NaN;
  };
  const line = (data: Float32Array, offset: number, clip: boolean) =>
    Array.from({ length: N }, (_, t) => [t, clip ? inside(data[offset + t * D + dim], t) : data[offset + t * D + dim]] as const);
  const out: ChartSeries[] & { leavesAt?: number | null } = [];
  if (p.memberCount > 1) {
    for (let k = 0; k < p.memberCount; k++) {
      out.push({ id: `member${k}`, label: `member ${k}`, color: MEMBER_COLORS[k % MEMBER_COLORS.length], points: line(p.members, k * N * D, true), dots: false, width: 1, opacity: 0.45, legend: k === 0 });
    }
  }
  const clamp = (v: number) => Math.min(top, Math.max(bottom, v));
  const band = Array.from({ length: N }, (_, t) => [clamp(p.mean[t * D + dim] - p.std[t * D + dim]), clamp(p.mean[t * D + dim] + p.std[t * D + dim])] as const);
  out.push({ id: 'mean', label: p.memberCount > 1 ? 'ensemble mean ± std' : 'prediction ± std', color: '#5ab0ff', points: line(p.mean, 0, true), band, dots: false });
  out.push({ id: 'truth', label: 'recorded', color: '#3ecf8e', points: line(p.truth, 0, false), dots: false, dashed: true });
  out.leavesAt = leavesAt;
  return out;
}

/**
 * Training a dynamics model or ensemble on the open dataset, as an engine job (`dataset-train`):
 * settings, progress and cancel, the loss per epoch, and the held-out episodes' open-loop predictions.
 */
export const useDatasetTrainingStore = defineStore('dataset-training', () => {
  const engine = useEngineStore();
  const job = useJobRun(engine, 'dstrain');
  const { jobId, phase, progress, running, errorMessage, cancel } = job;
  const losses = shallowRef<Array<{ epoch: number; train: number; val: number | null }>>([]);
  const predictions = shallowRef<DatasetPrediction[]>([]);
  const runPath = ref<string | null>(null);

  /** Starts training on the dataset at `path` (the summary's path). */
  function start(path: string, settings: DatasetTrainSettings): boolean {
    const started = job.start(
      {
        kind: 'dataset-train',
        path,
        ...(settings.state.length ? { state: settings.state } : {}),
        ...(settings.action ? { action: settings.action } : {}),
        members: settings.members,
        probabilistic: settings.probabilistic,
        epochs: settings.epochs,
        hidden: settings.hidden,
        holdout: settings.holdout,
        seed: settings.seed,
        horizon: 20,
      },
      settings.epochs,
    );
    if (!started) return false;
    losses.value = [];
    predictions.value = [];
    runPath.value = null;
    return true;
  }

  function handleEvent(event: EngineEvent): void {
    if (!job.owns(event)) return;
    job.track(event);
    switch (event.type) {
      case 'job/metric':
        if (event.record.kind === 'train') losses.value = [...losses.value, { epoch: event.record.epoch, train: event.record.train_loss, val: event.record.val_loss }];
        break;
      case 'job/run-folder':
        runPath.value = event.path;
        break;
      case 'dataset/prediction': {
        const { type: _t, jobId: _j, ...p } = event;
        predictions.value = [...predictions.value, p];
        break;
      }
    }
  }

  engine.onEvent(handleEvent);
  return { jobId, phase, running, progress, losses, predictions, runPath, errorMessage, start, cancel };
});
