import { ENGINE_PORT_WINDOW_MESSAGE, type LabPreloadApi, type RequestInput } from '@protocol';
import { ClientBase } from './client-base';

/** The window features this client needs (a test passes a fake). */
export interface PortWindow {
  addEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
  removeEventListener(type: 'message', listener: (ev: MessageEvent) => void): void;
}

/**
 * LabClient over the Electron preload: asks main for a MessagePort straight to the engine, which the
 * preload relays to the page as a window message carrying the port. Requests go over the port as
 * plain objects (structured clone keeps typed arrays binary). After an engine restart it surfaces an
 * `engine/restarted` event and asks for a fresh port.
 */
export class ElectronLabClient extends ClientBase {
  private port: MessagePort | null = null;
  private closedForGood = false;
  private readonly unsubscribeRestart: () => void;

  constructor(
    private readonly lab: LabPreloadApi,
    private readonly win: PortWindow = window,
  ) {
    super();
    this.win.addEventListener('message', this.onWindowMessage);
    this.unsubscribeRestart = lab.onEngineRestarted((message) => {
      this.emit({ type: 'engine/restarted', message });
      this.requestPort();
    });
    this.requestPort();
  }

  send(request: RequestInput): void {
    if (!this.port || this.state !== 'open') {
      console.warn(`[lab] not connected; dropped request ${request.type}`);
      return;
    }
    this.port.postMessage(request);
  }

  close(): void {
    this.closedForGood = true;
    this.win.removeEventListener('message', this.onWindowMessage);
    this.unsubscribeRestart();
    this.port?.close();
    this.port = null;
    this.setState('closed');
  }

  private requestPort(): void {
    if (this.closedForGood) return;
    this.setState('connecting');
    this.lab.requestEnginePort().catch((err: unknown) => {
      console.warn('[lab] engine port request failed:', err);
      this.setState('closed');
    });
  }

  private readonly onWindowMessage = (ev: MessageEvent): void => {
    if (ev.data !== ENGINE_PORT_WINDOW_MESSAGE || this.closedForGood) return;
    const port = ev.ports?.[0];
    if (!port) return;
    // A newer port replaces the old one (e.g. after a restart).
    this.port?.close();
    this.port = port;
    port.onmessage = (msg) => this.receive(msg.data);
    port.addEventListener('close', () => {
      if (this.port !== port) return;
      this.port = null;
      this.setState('closed');
    });
    // Messages queue on a port until start() is called: start it so they flow.
    port.start();
    this.setState('open');
  };
}
