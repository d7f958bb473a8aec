export { RandomPolicy } from './random-policy';
export * from './optimizer';
export { CemOptimizer, type CemConfig } from './cem-optimizer';
export { RandomShootingOptimizer, type RandomShootingConfig } from './random-shooting-optimizer';
export { MppiOptimizer, type MppiConfig } from './mppi-optimizer';
export { createOptimizer, type OptimizerSettings } from './create-optimizer';
export { modelReturnObjective, predictMemberTrajectories, predictTrajectory, type BatchedTaskFunctions } from './model-rollout';
export { MpcAgent, type MpcDecision } from './mpc-agent';
export { dealParticles, particleReturnObjective, scoreParticles, type ParticleSettings, type Propagation, type RiskObjective } from './particle-objective';
