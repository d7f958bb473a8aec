export type { AlgorithmName, ExperimentConfig } from './experiment-config';
export type { CalibrationMetric, EpisodeMetric, ExperimentMetric, PredictionMetric, TrainMetric } from './metrics';
export { runExperiment, type ExperimentHooks, type ExperimentResult, type ExperimentTask, type FitDiagnostics, type StepEvent } from './run-experiment';
