import type { RunSpec } from '../../protocol';
import type { EngineServices } from '../engine';
import { ProgressClock } from '../jobs/progress-clock';
import { runToFolder, type RunOutcome } from './run-to-folder';

/** What a headless run reports while it works. */
export interface RunProgress {
  done: number;
  total: number;
  etaSeconds?: number;
  message?: string;
}

/**
 * `mbrl-lab run`: a spec run to completion in this process, into `outDir`. Progress is reported at
 * most ten times a second (random-policy runs step a hundred thousand times a second).
 */
export async function runHeadless(spec: RunSpec, outDir: string, services: EngineServices, onProgress: (p: RunProgress) => void = () => {}, signal?: AbortSignal): Promise<RunOutcome> {
  const clock = new ProgressClock();
  let last = 0;
  return runToFolder(spec, outDir, services, {
    signal,
    hooks: {
      onProgress: (done, total, message) => {
        const now = performance.now();
        if (done < total && now - last < 100) return;
        last = now;
        onProgress({ done, total, message, etaSeconds: clock.eta(done, total) });
      },
    },
  });
}
