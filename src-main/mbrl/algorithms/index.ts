export type { AlgorithmName, ExperimentConfig } from './experiment-config';
export type { EpisodeMetric, ExperimentMetric, PredictionMetric, TrainMetric } from './metrics';
export { runExperiment, type ExperimentHooks, type ExperimentResult, type ExperimentTask, type StepEvent } from './run-experiment';
