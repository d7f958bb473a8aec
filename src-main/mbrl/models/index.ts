export type { DynamicsModel, EpochReport, FitOptions, FitResult, ModelArtifacts } from './dynamics-model';
export { MlpDynamicsModel, type MlpDynamicsConfig } from './mlp-dynamics-model';
export { Mlp, type Activation, type MlpConfig } from './mlp';
export { Normalizer, type NormalizerJson } from './normalizer';
export { featureDim, obsFeatures, obsFeaturesArray, type FeatureSpec } from './features';
export { fitRegression, permutation } from './fit-regression';
export { multiStepError } from './multi-step-error';
