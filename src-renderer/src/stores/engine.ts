import { computed, ref, shallowRef } from 'vue';
import { defineStore } from 'pinia';
import type { EngineEvent, EngineEventOf, RequestInput, TaskInfoMessage } from '@protocol';
import type { ConnectionState, LabClient } from '../bridge/lab-client';

/** What the engine said about itself (`engine/info` less its type tag). */
export type EngineInfo = Omit<EngineEventOf<'engine/info'>, 'type'>;

/** A dismissible banner: an error from the engine or a notice that it was restarted. */
export interface Notice {
  kind: 'error' | 'restart';
  message: string;
  /** Increases per notice so the view can tell two equal messages apart. */
  id: number;
}

/**
 * The link to the engine: connection state, engine info, the task list and the banner.
 * The client is injected with {@link attach} (main.ts passes the real one, tests a fake), and other
 * stores reach the engine only through {@link send} and {@link onEvent}.
 */
export const useEngineStore = defineStore('engine', () => {
  const connection = ref<ConnectionState>('closed');
  const info = ref<EngineInfo | null>(null);
  const tasks = shallowRef<TaskInfoMessage[]>([]);
  const notice = ref<Notice | null>(null);
  const connected = computed(() => connection.value === 'open');
  /** A backend switch was asked for and the engine has not answered yet. */
  const backendPending = ref(false);

  // Not state: the client and the listeners are plumbing, kept out of Pinia's reactive tree.
  let client: LabClient | null = null;
  let unhook: Array<() => void> = [];
  const listeners = new Set<(event: EngineEvent) => void>();
  let noticeCount = 0;

  /** Connects the store to a client (replacing any previous one) and asks for info and tasks once open. */
  function attach(next: LabClient): void {
    detach();
    client = next;
    unhook = [next.subscribe(handleEvent), next.onState(setConnection)];
    setConnection(next.state);
  }

  /** Disconnects from the current client without closing it. */
  function detach(): void {
    for (const off of unhook) off();
    unhook = [];
    client = null;
    connection.value = 'closed';
  }

  function setConnection(state: ConnectionState): void {
    connection.value = state;
    if (state === 'open') refresh();
  }

  /** Sends a request; returns false when there is no open link (the request is dropped). */
  function send(request: RequestInput): boolean {
    if (!client || connection.value !== 'open') return false;
    client.send(request);
    return true;
  }

  /** Asks the engine for its info and task list. */
  function refresh(): void {
    send({ type: 'engine/info' });
    send({ type: 'task/list' });
  }

  /**
   * Asks the engine to use a compute backend from now on ('auto': the measured fastest; `remeasure`:
   * measure again). The engine answers with new info, or an error (e.g. while a job runs).
   */
  function setBackend(backend: Extract<RequestInput, { type: 'engine/set-backend' }>['backend'], remeasure = false): boolean {
    const sent = send({ type: 'engine/set-backend', backend, ...(remeasure ? { remeasure } : {}) });
    backendPending.value = sent;
    return sent;
  }

  /** Registers a listener for every validated event (after this store has handled it). */
  function onEvent(handler: (event: EngineEvent) => void): () => void {
    listeners.add(handler);
    return () => listeners.delete(handler);
  }

  function handleEvent(event: EngineEvent): void {
    switch (event.type) {
      case 'engine/info': {
        const { type: _type, ...rest } = event;
        info.value = rest;
        backendPending.value = false;
        break;
      }
      case 'task/list':
        tasks.value = event.tasks;
        break;
      case 'error':
        if (event.message.startsWith('engine/set-backend')) backendPending.value = false;
        reportError(event.message);
        break;
      case 'engine/restarted':
        info.value = null;
        showNotice('restart', event.message || 'The engine was restarted.');
        break;
    }
    for (const h of [...listeners]) h(event);
  }

  function showNotice(kind: Notice['kind'], message: string): void {
    notice.value = { kind, message, id: ++noticeCount };
  }

  /** Shows an error in the banner. */
  function reportError(message: string): void {
    showNotice('error', message);
  }

  function dismissNotice(): void {
    notice.value = null;
  }

  return { connection, connected, info, tasks, notice, backendPending, attach, detach, send, refresh, setBackend, onEvent, reportError, dismissNotice };
});
