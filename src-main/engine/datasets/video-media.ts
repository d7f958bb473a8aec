import type { VideoGrantMessage } from '../../protocol/video-grants';
import type { ChildEnvelope } from '../hosts/child-host';

/**
 * The process that serves dataset videos to the viewer, as the engine sees it: which URLs it
 * answers and how grants reach it (see protocol/video-grants.ts).
 */
export interface VideoMedia {
  host: 'electron' | 'serve';
  /** Sends a grant or revoke to the media host over the engine's channel to its parent. */
  post(message: VideoGrantMessage): void;
}

/**
 * The media host of the process the engine runs in: Electron main through the utility process's
 * parentPort, `mbrl-lab serve` through the child's IPC channel (an envelope of kind 'video');
 * undefined elsewhere (the CLI, in-process tests): then videos are not served and the view says so.
 */
export function hostVideoMedia(env: NodeJS.ProcessEnv = process.env): VideoMedia | undefined {
  const parentPort = (process as unknown as { parentPort?: { postMessage(message: unknown): void } }).parentPort;
  if (env.MBRL_LAB_HOST === 'electron-utility' && parentPort) return { host: 'electron', post: (message) => parentPort.postMessage(message) };
  if (env.MBRL_LAB_HOST === 'node-child' && typeof process.send === 'function') {
    return { host: 'serve', post: (message) => void process.send?.({ conn: -1, kind: 'video', data: message } satisfies ChildEnvelope) };
  }
  return undefined;
}
