import type { IpcRendererEvent } from 'electron';
import { ENGINE_PORT_WINDOW_MESSAGE, IpcChannel } from '../protocol/ipc-channels';
import type { LabIpc } from './lab-api';

/** The window the port is posted to; `window` in the preload, a fake in tests. */
export interface PortTarget {
  location: { origin: string };
  postMessage(message: unknown, targetOrigin: string, transfer?: Transferable[]): void;
}

/**
 * Passes engine ports from main on to the page.
 *
 * contextBridge cannot carry a MessagePort (it copies values between the preload's world and the
 * page's), so the port travels as a transferable of `window.postMessage`, which both worlds share.
 * The page listens for {@link ENGINE_PORT_WINDOW_MESSAGE} and takes `event.ports[0]`.
 *
 * Pages from file:// have the origin 'null', which postMessage does not accept as a target, so
 * those use '*'. That is safe: the message goes to this same window, and main keeps the window on
 * our page (navigation elsewhere is blocked).
 */
export function relayEnginePorts(ipc: Pick<LabIpc, 'on'>, target: () => PortTarget): void {
  ipc.on(IpcChannel.enginePort, (event: IpcRendererEvent) => {
    const page = target();
    const origin = page.location.origin === 'null' ? '*' : page.location.origin;
    page.postMessage(ENGINE_PORT_WINDOW_MESSAGE, origin, event.ports);
  });
}
