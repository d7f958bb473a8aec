import { ref, shallowRef, watch } from 'vue';
import { defineStore } from 'pinia';
import type { EngineEvent } from '@protocol';
import { useEngineStore } from './engine';
import { buildPresets, type Preset } from '../presets';

/**
 * The experiment presets, as the engine lists them from resources/presets (`presets/list`), with
 * the renderer's titles and extras (see presets.ts). Asked for whenever the link opens; preset files
 * the engine could not read are shown in the banner.
 */
export const usePresetsStore = defineStore('presets', () => {
  const engine = useEngineStore();
  const presets = shallowRef<Preset[]>([]);
  /** Whether a list has arrived since the app started (it is kept across reconnects). */
  const loaded = ref(false);
  const loading = ref(false);
  /** The engine's messages about preset files that did not validate. */
  const errors = shallowRef<string[]>([]);

  /** Asks the engine for the presets again. */
  function refresh(): void {
    if (engine.send({ type: 'presets/list' })) loading.value = true;
  }

  /** The preset with this id, if any. */
  function find(id: string): Preset | undefined {
    return presets.value.find((p) => p.id === id);
  }

  function handleEvent(event: EngineEvent): void {
    if (event.type !== 'presets/list') return;
    errors.value = event.errors;
    presets.value = buildPresets(event.presets);
    loading.value = false;
    loaded.value = true;
    if (event.errors.length > 0) {
      const n = event.errors.length;
      engine.reportError(`${n} preset file${n === 1 ? '' : 's'} could not be loaded: ${event.errors.join(' · ')}`);
    }
  }

  engine.onEvent(handleEvent);
  watch(
    () => engine.connection,
    (state) => {
      if (state === 'open') refresh();
      else loading.value = false;
    },
    { immediate: true, flush: 'sync' },
  );

  return { presets, loaded, loading, errors, refresh, find };
});
