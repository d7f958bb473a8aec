import type { EngineEventOf, MetricRecord } from '@protocol';

/**
 * The live series of one experiment job, built from its `job/metric` records. Plain data and pure
 * functions (no Vue), so the store stays small and the shapes are tested on their own.
 */

type Policy = 'random' | 'mpc';

/** One finished episode. */
export interface EpisodePoint {
  episode: number;
  return: number;
  steps: number;
  policy: Policy;
  /** Mean planning time per step in this episode, ms; null for random episodes. */
  planMs: number | null;
}

/** One epoch of one model fit. */
export interface TrainPoint {
  fit: number;
  epoch: number;
  epochs: number;
  train: number;
  val: number | null;
  transitions: number;
}

/** The model's open-loop prediction error after one fit: rmse[k] for k = 1…H steps ahead. */
export interface PredictionCurve {
  fit: number;
  rmse: number[];
}

/**
 * How well the model's predicted uncertainty matched held-out transitions after one fit: the mean
 * Gaussian NLL per dimension and the shares within 1σ and 2σ (0.683 and 0.954 when calibrated).
 * Null for a single deterministic model, which predicts no spread.
 */
export interface CalibrationPoint {
  fit: number;
  nll: number | null;
  within1: number | null;
  within2: number | null;
  samples: number;
}

export type PlanIteration = Omit<EngineEventOf<'plan/iteration'>, 'type' | 'jobId'>;

export interface LiveSeries {
  episodes: EpisodePoint[];
  train: TrainPoint[];
  predictions: PredictionCurve[];
  /** One point per fit, in fit order. */
  calibration: CalibrationPoint[];
}

export const emptySeries = (): LiveSeries => ({ episodes: [], train: [], predictions: [], calibration: [] });

/** The series with one more record; returns new arrays for what changed (for shallow refs). */
export function addRecord(series: LiveSeries, record: MetricRecord): LiveSeries {
  switch (record.kind) {
    case 'episode': {
      const point: EpisodePoint = {
        episode: record.episode,
        return: record.return,
        steps: record.steps,
        policy: record.policy ?? 'random',
        planMs: record.plan_ms_mean ?? null,
      };
      // A repeated episode (a record sent twice) replaces the earlier one.
      const episodes = series.episodes.filter((e) => e.episode !== record.episode);
      episodes.push(point);
      episodes.sort((a, b) => a.episode - b.episode);
      return { ...series, episodes };
    }
    case 'train':
      return {
        ...series,
        train: [
          ...series.train,
          { fit: record.fit, epoch: record.epoch, epochs: record.epochs, train: record.train_loss, val: record.val_loss, transitions: record.transitions },
        ],
      };
    case 'prediction':
      return { ...series, predictions: [...series.predictions.filter((p) => p.fit !== record.fit), { fit: record.fit, rmse: record.rmse }] };
    case 'calibration': {
      const point: CalibrationPoint = { fit: record.fit, nll: record.nll, within1: record.within_1sigma, within2: record.within_2sigma, samples: record.samples };
      const calibration = [...series.calibration.filter((c) => c.fit !== record.fit), point].sort((a, b) => a.fit - b.fit);
      return { ...series, calibration };
    }
    default:
      // A record kind this renderer does not know yet (a newer engine) changes nothing.
      return series;
  }
}

/** Builds the series of a whole run from its records (e.g. from `runs/metrics`). */
export function seriesFromRecords(records: readonly MetricRecord[]): LiveSeries {
  return records.reduce(addRecord, emptySeries());
}

/** The training points grouped by fit, in fit order. */
export function fits(train: readonly TrainPoint[]): Array<{ fit: number; points: TrainPoint[] }> {
  const byFit = new Map<number, TrainPoint[]>();
  for (const p of train) {
    const list = byFit.get(p.fit) ?? [];
    list.push(p);
    byFit.set(p.fit, list);
  }
  return [...byFit.entries()].sort((a, b) => a[0] - b[0]).map(([fit, points]) => ({ fit, points }));
}
