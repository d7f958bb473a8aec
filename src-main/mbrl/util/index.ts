/** Small shared utilities of the mbrl library. */
export { Rng } from './rng';
export { fitPca, projectPca, codesTo3d, type PcaProjection } from './pca';
export { parseIndexList } from './index-list';
export { quantile } from './quantile';
export { ranks, spearman } from './rank-correlation';
