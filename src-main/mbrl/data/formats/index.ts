/**
 * Recorded robot datasets: robomimic, D4RL and Minari HDF5, LeRobot v2/v3 Parquet, NumPy .npy/.npz.
 * Pure parsers over the abstract sources in sources.ts; the engine opens real files
 * (src-main/engine/datasets).
 */
export { checkFinite, type FiniteScanOptions } from './check-finite';
export {
  LayoutReader,
  fieldWidth,
  type DatasetFormat,
  type DatasetLayout,
  type DatasetReader,
  type DatasetSummary,
  type EpisodeInfo,
  type FieldData,
  type FieldInfo,
  type FieldRoles,
  type VideoFeatureInfo,
  type VideoSegment,
} from './dataset-reader';
export { type ArrayInfo, type DType, type NumericArray, allocate, formatShape, isFloat, isNumeric, itemSize, rowSize, toFloat32 } from './dtype';
export { openNpy, parseNpyHeader, type NpyHeader } from './npy';
export { openDataset } from './open-dataset';
export { ParquetTable } from './parquet-table';
export { type ArrayGroup, type ByteSource, type Container, DatasetError, type DatasetLocation, type LazyArray } from './sources';
export { toTransitions, type TransitionOptions } from './to-transitions';
