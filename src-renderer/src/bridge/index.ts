import { z } from 'zod';
import type { LabPreloadApi } from '@protocol';
import { ElectronLabClient } from './electron-client';
import { WebSocketLabClient } from './websocket-client';
import type { LabClient } from './lab-client';

export type { LabClient, ConnectionState } from './lab-client';

// The page's CSP forbids eval; without this, zod probes `new Function` and Chromium reports a
// CSP violation even though zod catches it.
z.config({ jitless: true });

/**
 * Picks the transport: the Electron preload's port when `window.lab` exists, else the WebSocket
 * bridge of `mbrl-lab serve` on the page's own host.
 */
export function createLabClient(): LabClient {
  const lab = (window as Window & { lab?: LabPreloadApi }).lab;
  if (lab) return new ElectronLabClient(lab, window);
  return new WebSocketLabClient(`ws://${location.host}/engine`);
}
