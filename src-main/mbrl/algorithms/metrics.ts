/** Records an experiment emits; each becomes one line of metrics.jsonl. */

/** One finished episode. */
export interface EpisodeMetric {
  kind: 'episode';
  /** 0-based, counting every episode of the run (random ones first). */
  episode: number;
  /** Sum of rewards. */
  return: number;
  steps: number;
  /** Who acted: the random base policy or the planner. */
  policy: 'random' | 'mpc';
  /** Env steps executed in the run so far, this episode included. */
  env_steps_total: number;
  /** Mean wall time per planning call in this episode, ms (0 for random episodes). */
  plan_ms_mean: number;
}

/** One epoch of a model fit. Losses: MSE of normalized state deltas. */
export interface TrainMetric {
  kind: 'train';
  /** Which fit of the run (0 = after the random data). */
  fit: number;
  epoch: number;
  epochs: number;
  train_loss: number;
  /** null when there is no validation split. */
  val_loss: number | null;
  /** Transitions the fit used. */
  transitions: number;
}

/** Open-loop prediction error after a fit (see models/multi-step-error.ts). */
export interface PredictionMetric {
  kind: 'prediction';
  fit: number;
  /** RMSE (observation units) at horizons 1…H: rmse[h − 1]. */
  rmse: number[];
}

/** Held-out calibration after a fit (see models/calibration.ts); null fields: no predicted spread. */
export interface CalibrationMetric {
  kind: 'calibration';
  fit: number;
  /** Gaussian NLL per dimension on the fit's validation rows, nats. */
  nll: number | null;
  /** Share of held-out targets within 1σ / 2σ of the prediction. */
  within_1sigma: number | null;
  within_2sigma: number | null;
  samples: number;
}

export type ExperimentMetric = EpisodeMetric | TrainMetric | PredictionMetric | CalibrationMetric;
