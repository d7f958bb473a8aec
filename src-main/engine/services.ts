import { homedir } from 'node:os';
import { join } from 'node:path';
import { listTasks, makeEnv, taskFunctions } from '../mbrl/env';
import type { EngineServices } from './engine';
import { readModelXml } from './resources';
import type { BackendChoice } from './tf-backend';
import { chooseBackend, describeBackend } from './tf-backend';
import { engineVersions } from './versions';

/** Where this engine runs, as shown to the user. */
export type EngineHost = 'electron-utility' | 'node-child' | 'in-process';

/**
 * Prepares what the engine needs: picks the tfjs backend (logging which and why) and binds the
 * task registry to the resources folder.
 */
export async function createEngineServices(host: EngineHost, backend?: BackendChoice, log = (line: string) => console.error(line)): Promise<EngineServices> {
  const report = await chooseBackend(backend);
  const backendDetail = describeBackend(report);
  log(`[engine] tfjs backend: ${report.backend} via ${backendDetail}`);
  return {
    info: {
      type: 'engine/info',
      backend: report.backend,
      backendDetail,
      host,
      versions: engineVersions(),
      pid: process.pid,
    },
    listTasks,
    makeEnv: (task) => makeEnv(task, readModelXml),
    taskFunctions,
    // Hosts may point this elsewhere (the desktop app: its user-data folder).
    runsDir: process.env.MBRL_LAB_RUNS_DIR ?? join(homedir(), 'mbrl-lab-runs'),
    log,
  };
}
