import type { EngineEvent, RequestInput } from '@protocol';

/** State of the link to the engine. `connecting` covers both the first attempt and reconnects. */
export type ConnectionState = 'connecting' | 'open' | 'closed';

/**
 * The renderer's one view of the engine, whatever carries it (Electron MessagePort or WebSocket).
 * Incoming events are validated before handlers see them; invalid ones are dropped.
 */
export interface LabClient {
  /** Sends a request. Dropped (with a warning) while the link is not open. */
  send(request: RequestInput): void;
  /** Registers a handler for validated engine events; returns the unsubscribe function. */
  subscribe(handler: (event: EngineEvent) => void): () => void;
  /** Current state of the link. */
  readonly state: ConnectionState;
  /** Registers a handler for state changes; returns the unsubscribe function. */
  onState(handler: (state: ConnectionState) => void): () => void;
  /** Closes the link for good (no reconnect). */
  close(): void;
}
