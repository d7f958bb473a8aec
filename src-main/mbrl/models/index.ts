export type { DynamicsModel, EpochReport, FitOptions, FitResult, ModelArtifacts } from './dynamics-model';
export { EnsembleDynamicsModel, type EnsembleConfig, type EnsembleModel, type MemberPrediction, type RowBlock } from './ensemble-dynamics-model';
export { LogVarBounds, gaussianNll } from './gaussian-head';
export { Mlp, type Activation, type MlpConfig } from './mlp';
export { Normalizer, type NormalizerJson } from './normalizer';
export { featureDim, obsFeatures, obsFeaturesArray, type FeatureSpec } from './features';
export { bootstrapSample, fitMembers, permutation, type MemberSampling, type MembersFitResult } from './fit-regression';
export { multiStepError } from './multi-step-error';
export { AdamStep, type AdamSettings } from './adam-step';
export { memberLossGradients, type MemberLossGradients } from './member-gradients';
export {
  MemberGroupTrainer,
  assignMemberWeights,
  readMemberWeights,
  serialMemberTraining,
  type MemberTrainingCompute,
  type MemberTrainingData,
  type MemberTrainingSession,
  type MemberTrainingSettings,
} from './member-training';
export { BOUNDS_PENALTY, memberForward, memberLoss, memberVariables, targetDim, type Member } from './member';
export { calibrationReport, heldOutPredictions, oneStepBands, predictiveMoments, type CalibrationReport, type HeldOutPredictions } from './calibration';
