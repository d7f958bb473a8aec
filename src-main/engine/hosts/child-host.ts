import type { Connection } from '../../protocol';

/**
 * Envelope on a Node child-process IPC channel. One engine child serves many clients (browser tabs
 * of `mbrl-lab serve`), so every message carries the id of the client connection it belongs to.
 * The channel uses `serialization: 'advanced'` (structured clone), so typed arrays stay binary.
 */
export type ChildEnvelope =
  | { conn: number; kind: 'open' }
  | { conn: number; kind: 'close' }
  | { conn: number; kind: 'message'; data: unknown }
  /** Child → parent once it listens; the parent holds messages until then. */
  | { conn: -1; kind: 'ready' }
  /** Child → parent: a dataset video grant or revoke for the media route (protocol/video-grants.ts). */
  | { conn: -1; kind: 'video'; data: unknown };

/** True when forked by Node's child_process with an IPC channel. */
export function isNodeChild(): boolean {
  return typeof process.send === 'function';
}

/** Serves client connections multiplexed over this process's IPC channel. */
export function serveNodeChild(attach: (conn: Connection) => void): void {
  const handlers = new Map<number, { message?: (d: unknown) => void; close?: () => void }>();
  process.on('message', (raw: unknown) => {
    const env = raw as Partial<ChildEnvelope> | undefined;
    if (!env || typeof env.conn !== 'number') return;
    const id = env.conn;
    if (env.kind === 'open' && !handlers.has(id)) {
      const slot: { message?: (d: unknown) => void; close?: () => void } = {};
      handlers.set(id, slot);
      attach({
        post: (message) => process.send?.({ conn: id, kind: 'message', data: message } satisfies ChildEnvelope),
        onMessage: (h) => (slot.message = h),
        onClose: (h) => (slot.close = h),
      });
    } else if (env.kind === 'message') {
      handlers.get(id)?.message?.(env.data);
    } else if (env.kind === 'close') {
      handlers.get(id)?.close?.();
      handlers.delete(id);
    }
  });
  process.send?.({ conn: -1, kind: 'ready' } satisfies ChildEnvelope);
  // The parent going away means nobody can use our results.
  process.on('disconnect', () => process.exit(0));
}
