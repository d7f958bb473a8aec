/**
 * The engine's one entry point. It runs as an Electron utility process (forked by the app) or as a
 * Node child process (forked by `mbrl-lab serve`), and serves every client connection it is handed.
 */
import { Engine } from './engine';
import { isNodeChild, serveNodeChild } from './hosts/child-host';
import { isUtilityProcess, serveUtilityProcess } from './hosts/utility-host';
import { createEngineServices } from './services';
import { BACKEND_PREFERENCE, type BackendChoice } from './tf-backend';

async function main(): Promise<void> {
  const requested = process.env.MBRL_LAB_BACKEND as BackendChoice | undefined;
  if (requested && !BACKEND_PREFERENCE.includes(requested)) {
    throw new Error(`MBRL_LAB_BACKEND=${requested}: expected one of ${BACKEND_PREFERENCE.join(', ')}`);
  }
  const utility = isUtilityProcess();
  if (!utility && !isNodeChild()) throw new Error('the engine must be started by the app or by mbrl-lab serve');
  const engine = new Engine(await createEngineServices(utility ? 'electron-utility' : 'node-child', requested));
  if (utility) serveUtilityProcess((conn) => engine.attach(conn));
  else serveNodeChild((conn) => engine.attach(conn));
  // A bug in one job must not take the engine down with every other client's work.
  process.on('uncaughtException', (error) => console.error('[engine] uncaught:', error));
  process.on('unhandledRejection', (error) => console.error('[engine] unhandled rejection:', error));
}

main().catch((error: unknown) => {
  console.error(`[engine] could not start: ${(error as Error).message}`);
  process.exit(1);
});
