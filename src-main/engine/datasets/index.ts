/** Recorded datasets on the local disk: the file access behind src-main/mbrl/data/formats. */
export { openFileSource } from './file-source';
export { openHdf5 } from './hdf5-container';
export { localLocation } from './local-location';
export { openNpz } from './npz-container';
export { inspectDataset, openLocalDataset } from './open-local-dataset';
