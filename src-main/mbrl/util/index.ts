/** Small shared utilities of the mbrl library. */
export { Rng } from './rng';
