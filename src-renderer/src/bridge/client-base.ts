import { EngineEvent, describeIssues, type RequestInput } from '@protocol';
import type { ConnectionState, LabClient } from './lab-client';

/**
 * Validates untrusted data from the transport as an {@link EngineEvent}.
 * Returns null (and warns) when it is not one, so one bad message never breaks the page.
 */
export function parseEngineEvent(data: unknown): EngineEvent | null {
  const result = EngineEvent.safeParse(data);
  if (result.success) return result.data;
  const type = data && typeof data === 'object' && 'type' in data ? String((data as { type: unknown }).type) : '?';
  console.warn(`[lab] dropped invalid engine event (${type}): ${describeIssues(result.error)}`);
  return null;
}

/** Handler bookkeeping shared by the transports: subscribers, state and its listeners. */
export abstract class ClientBase implements LabClient {
  private readonly handlers = new Set<(event: EngineEvent) => void>();
  private readonly stateHandlers = new Set<(state: ConnectionState) => void>();
  private current: ConnectionState = 'connecting';

  abstract send(request: RequestInput): void;
  abstract close(): void;

  get state(): ConnectionState {
    return this.current;
  }

  subscribe(handler: (event: EngineEvent) => void): () => void {
    this.handlers.add(handler);
    return () => this.handlers.delete(handler);
  }

  onState(handler: (state: ConnectionState) => void): () => void {
    this.stateHandlers.add(handler);
    return () => this.stateHandlers.delete(handler);
  }

  protected setState(state: ConnectionState): void {
    if (state === this.current) return;
    this.current = state;
    for (const h of [...this.stateHandlers]) h(state);
  }

  /** Validates and hands an incoming message to every subscriber. */
  protected receive(data: unknown): void {
    const event = parseEngineEvent(data);
    if (event) this.emit(event);
  }

  protected emit(event: EngineEvent): void {
    for (const h of [...this.handlers]) {
      try {
        h(event);
      } catch (err) {
        this.handlerFailed(err);
      }
    }
  }

  /** A subscriber threw: by default logged, as a failing view must not stop the others seeing the event. */
  protected handlerFailed(err: unknown): void {
    console.error('[lab] event handler failed', err);
  }
}
