/**
 * The engine's tfjs backend choice (the code lives in ./backend): which backends exist, how each
 * loads, the self-benchmark that picks the fastest, and the machine's cached choice.
 */
export { BACKEND_PREFERENCE, isBackendChoice, type BackendChoice, type BackendReport, type BackendTiming, type LoadedBackend, type LoaderTable } from './backend/choices';
export { chooseBackend, describeBackend, type ChooseOptions } from './backend/choose';
export { backendFilePath, engineConfigDir } from './backend/choice-cache';
