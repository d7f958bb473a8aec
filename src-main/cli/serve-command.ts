import { startBridgeServer } from './serve/bridge-server';
import { ensureRendererBuilt } from './serve/renderer-build';

/** `mbrl-lab serve [--port N]`: the workbench in a browser, engine in a child process. */
export async function serveCommand(port: number, engineEnv: NodeJS.ProcessEnv = {}): Promise<void> {
  const rendererDir = ensureRendererBuilt((line) => console.error(line));
  const server = await startBridgeServer({ port, rendererDir, engineEnv });
  console.log(`MBRL Lab is running at ${server.url}`);
  const stop = () => {
    server.close().finally(() => process.exit(0));
  };
  process.once('SIGINT', stop);
  process.once('SIGTERM', stop);
}
