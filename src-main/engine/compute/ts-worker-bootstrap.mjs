// Starts a TypeScript worker from source (vitest, the CLI through tsx): registers tsx in this worker
// thread, then imports the worker file named by the first argument. The built app runs .js workers directly.
import { register } from 'tsx/esm/api';
import { pathToFileURL } from 'node:url';

register();
await import(pathToFileURL(process.argv[2]).href);
