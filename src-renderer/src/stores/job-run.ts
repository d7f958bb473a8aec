import { computed, ref } from 'vue';
import type { EngineEvent, RequestInput } from '@protocol';
import type { useEngineStore } from './engine';

/** Where an engine job stands, as a view shows it. */
export type JobPhase = 'idle' | 'starting' | 'running' | 'done' | 'cancelled' | 'error';

/** A job spec as a sender writes it (defaults may be left out). */
export type JobSpecInput = Extract<RequestInput, { type: 'job/start' }>['spec'];

export interface JobProgress {
  done: number;
  total: number;
  etaSeconds: number | null;
  message: string;
}

/**
 * The life of one engine job at a time, shared by the stores that run jobs (dataset training, latent
 * models, visual foresight): start it with a fresh id, follow job/started, job/progress and the end
 * events, cancel it. The store keeps its own events; `track` handles only the lifecycle ones.
 */
export function useJobRun(engine: ReturnType<typeof useEngineStore>, prefix: string) {
  const jobId = ref<string | null>(null);
  const phase = ref<JobPhase>('idle');
  const progress = ref<JobProgress>({ done: 0, total: 0, etaSeconds: null, message: '' });
  const errorMessage = ref('');
  const running = computed(() => phase.value === 'starting' || phase.value === 'running');
  let counter = 0;

  /** Sends job/start for `spec` unless a job runs; false (and a notice) when not connected. */
  function start(spec: JobSpecInput, total = 0, tag = ''): boolean {
    if (running.value) return false;
    const id = `${prefix}${tag ? `-${tag}` : ''}-${Date.now().toString(36)}-${++counter}`;
    progress.value = { done: 0, total, etaSeconds: null, message: '' };
    errorMessage.value = '';
    if (!engine.send({ type: 'job/start', jobId: id, spec })) {
      engine.reportError('Not connected to the engine.');
      return false;
    }
    jobId.value = id;
    phase.value = 'starting';
    return true;
  }

  function cancel(): void {
    if (running.value && jobId.value) engine.send({ type: 'job/cancel', jobId: jobId.value });
  }

  /** Whether the event belongs to this store's current job. */
  function owns(event: EngineEvent): boolean {
    return 'jobId' in event && event.jobId === jobId.value;
  }

  /** Applies a lifecycle event of the current job (started, progress, done, cancelled, error). */
  function track(event: EngineEvent): void {
    if (!owns(event)) return;
    switch (event.type) {
      case 'job/started':
        phase.value = 'running';
        break;
      case 'job/progress':
        progress.value = { done: event.done, total: event.total, etaSeconds: event.etaSeconds ?? null, message: event.message ?? '' };
        break;
      case 'job/done':
        phase.value = 'done';
        break;
      case 'job/cancelled':
        phase.value = 'cancelled';
        break;
      case 'job/error':
        phase.value = 'error';
        errorMessage.value = event.message;
        engine.reportError(event.message);
        break;
    }
  }

  return { jobId, phase, progress, errorMessage, running, start, cancel, owns, track };
}
