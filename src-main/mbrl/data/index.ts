export { TransitionBuffer, gatherRows, type TransitionBatch } from './transition-buffer';
export * from './formats';
