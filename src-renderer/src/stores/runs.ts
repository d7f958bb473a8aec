import { computed, ref, shallowRef, watch } from 'vue';
import { defineStore } from 'pinia';
import type { EngineEvent, MetricRecord, RunSummary } from '@protocol';
import { useEngineStore } from './engine';

/** Everything recorded for one run (from `runs/get`). */
export interface RunDetails {
  spec: Record<string, unknown>;
  records: MetricRecord[];
}

/**
 * The run folders on disk (`runs/list`) and the ones the user picked to compare side by side; the
 * metrics of a picked run are fetched once with `runs/get`.
 */
export const useRunsStore = defineStore('runs', () => {
  const engine = useEngineStore();
  const runs = shallowRef<RunSummary[]>([]);
  /** The runs folder the engine reads and writes. */
  const dir = ref('');
  const loading = ref(false);
  const selectedIds = ref<string[]>([]);
  const details = shallowRef<Record<string, RunDetails>>({});
  const requested = new Set<string>();

  /** The picked runs, newest first, with their details once fetched. */
  const selected = computed(() =>
    runs.value.filter((r) => selectedIds.value.includes(r.id)).map((summary) => ({ summary, details: details.value[summary.id] ?? null })),
  );

  /** Asks the engine for the runs list again. */
  function refresh(): void {
    if (engine.send({ type: 'runs/list' })) loading.value = true;
  }

  function isSelected(id: string): boolean {
    return selectedIds.value.includes(id);
  }

  /** Picks or unpicks a run for the comparison; fetches its metrics the first time. */
  function toggle(id: string): void {
    if (isSelected(id)) {
      selectedIds.value = selectedIds.value.filter((s) => s !== id);
      return;
    }
    selectedIds.value = [...selectedIds.value, id];
    if (!details.value[id] && !requested.has(id) && engine.send({ type: 'runs/get', runId: id })) requested.add(id);
  }

  function clearSelection(): void {
    selectedIds.value = [];
  }

  function handleEvent(event: EngineEvent): void {
    if (event.type === 'runs/list') {
      runs.value = event.runs;
      dir.value = event.dir;
      loading.value = false;
      const known = new Set(event.runs.map((r) => r.id));
      selectedIds.value = selectedIds.value.filter((id) => known.has(id));
    } else if (event.type === 'runs/metrics') {
      requested.delete(event.runId);
      details.value = { ...details.value, [event.runId]: { spec: event.spec, records: event.records } };
    }
  }

  engine.onEvent(handleEvent);
  watch(
    () => engine.connection,
    (state) => {
      if (state === 'open') refresh();
      else {
        loading.value = false;
        requested.clear();
      }
    },
    { immediate: true, flush: 'sync' },
  );

  return { runs, dir, loading, selectedIds, details, selected, refresh, isSelected, toggle, clearSelection };
});
