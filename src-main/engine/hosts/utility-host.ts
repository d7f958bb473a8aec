import type { Connection } from '../../protocol';

/** The slice of Electron's MessagePortMain the engine uses (typed here: the engine never imports electron). */
interface PortMainLike {
  on(event: 'message', listener: (e: { data: unknown }) => void): void;
  on(event: 'close', listener: () => void): void;
  postMessage(message: unknown): void;
  start(): void;
}

interface ParentPortLike {
  on(event: 'message', listener: (e: { data: unknown; ports: PortMainLike[] }) => void): void;
}

/** True when running as an Electron utility process (`utilityProcess.fork`). */
export function isUtilityProcess(): boolean {
  return Boolean((process as unknown as { parentPort?: unknown }).parentPort);
}

/**
 * Under Electron's utility process, main hands us one MessagePortMain per renderer with a
 * `{type: 'engine/connect'}` message; each port becomes a connection straight to that renderer,
 * so streamed frames never pass through main.
 */
export function serveUtilityProcess(attach: (conn: Connection) => void): void {
  const parentPort = (process as unknown as { parentPort: ParentPortLike }).parentPort;
  parentPort.on('message', (event) => {
    const data = event.data as { type?: string } | undefined;
    if (data?.type !== 'engine/connect' || !event.ports?.[0]) return;
    const port = event.ports[0];
    attach({
      // MessagePortMain only transfers ports; typed arrays are structured-cloned (copied).
      post: (message) => port.postMessage(message),
      onMessage: (handler) => port.on('message', (e) => handler(e.data)),
      onClose: (handler) => port.on('close', handler),
    });
    // Messages queue on the port until start() is called.
    port.start();
  });
}
