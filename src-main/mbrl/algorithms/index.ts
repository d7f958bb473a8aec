export type { AlgorithmName, ExperimentConfig } from './experiment-config';
export type { CalibrationMetric, EpisodeMetric, ExperimentMetric, PredictionMetric, TrainMetric } from './metrics';
export { runExperiment, type ExperimentHooks, type ExperimentResult, type EpisodeTrajectory, type ExperimentTask, type FitDiagnostics, type StepEvent } from './run-experiment';
