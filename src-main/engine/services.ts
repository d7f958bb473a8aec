import { homedir } from 'node:os';
import { join } from 'node:path';
import { listTasks, makeEnv, taskFunctions } from '../mbrl/env';
import type { EngineServices } from './engine';
import { readModelXml } from './resources';
import { BackendService } from './backend/backend-service';
import { backendFilePath } from './backend/choice-cache';
import type { BackendChoice } from './tf-backend';
import { engineVersions } from './versions';

/** Where this engine runs, as shown to the user. */
export type EngineHost = 'electron-utility' | 'node-child' | 'in-process';

/**
 * Prepares what the engine needs: picks the tfjs backend (logging which and why) and binds the
 * task registry to the resources folder.
 */
export async function createEngineServices(host: EngineHost, backend?: BackendChoice, log = (line: string) => console.error(line)): Promise<EngineServices> {
  // Hosts may point this elsewhere (the desktop app: its user-data folder).
  const runsDir = process.env.MBRL_LAB_RUNS_DIR ?? join(homedir(), 'mbrl-lab-runs');
  const backends = await BackendService.start(backendFilePath(runsDir), backend, log);
  const backendInfo = await backends.info();
  log(`[engine] tfjs backend: ${backendInfo.backend} via ${backendInfo.backendDetail}`);
  const info: EngineServices['info'] = { type: 'engine/info', ...backendInfo, host, versions: engineVersions(), pid: process.pid };
  return {
    info,
    setBackend: async (setting, remeasure) => {
      await backends.switchTo(setting, remeasure);
      return { ...info, ...(await backends.info()) };
    },
    listTasks,
    makeEnv: (task) => makeEnv(task, readModelXml),
    taskFunctions,
    runsDir,
    log,
  };
}
