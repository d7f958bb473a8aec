import { ref, shallowRef, watch } from 'vue';
import { defineStore } from 'pinia';
import type { EngineEvent } from '@protocol';
import { useEngineStore } from './engine';
import { buildPresets, type Preset } from '../presets';
import { buildForesightPresets, buildLatentPresets, type ForesightPresetItem, type LatentPresetItem } from '../pixel-presets';

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

/**
 * The presets of the pixel methods (resources/presets/latent and resources/presets/foresight, listed
 * by the engine's `presets/latent` and `presets/foresight`) for the Latent space and Visual foresight
 * views' pickers. Asked for whenever the link opens, once a view uses the store; files the engine
 * could not validate are listed in `latentErrors` / `foresightErrors` and shown in the banner.
 */
export const usePixelPresetsStore = defineStore('pixel-presets', () => {
  const engine = useEngineStore();
  const latent = shallowRef<LatentPresetItem[]>([]);
  const foresight = shallowRef<ForesightPresetItem[]>([]);
  const latentErrors = shallowRef<string[]>([]);
  const foresightErrors = shallowRef<string[]>([]);
  /** Whether each list has arrived since the app started (kept across reconnects). */
  const latentLoaded = ref(false);
  const foresightLoaded = ref(false);

  /** Asks the engine for both lists again. */
  function refresh(): void {
    engine.send({ type: 'presets/latent' });
    engine.send({ type: 'presets/foresight' });
  }

  function report(errors: string[]): void {
    if (errors.length === 0) return;
    const n = errors.length;
    engine.reportError(`${n} pixel preset file${n === 1 ? '' : 's'} could not be loaded: ${errors.join(' · ')}`);
  }

  function handleEvent(event: EngineEvent): void {
    if (event.type === 'presets/latent') {
      latent.value = buildLatentPresets(event.presets);
      latentErrors.value = event.errors;
      latentLoaded.value = true;
      report(event.errors);
    } else if (event.type === 'presets/foresight') {
      foresight.value = buildForesightPresets(event.presets);
      foresightErrors.value = event.errors;
      foresightLoaded.value = true;
      report(event.errors);
    }
  }

  engine.onEvent(handleEvent);
  watch(
    () => engine.connection,
    (state) => state === 'open' && refresh(),
    { immediate: true, flush: 'sync' },
  );

  return { latent, foresight, latentErrors, foresightErrors, latentLoaded, foresightLoaded, refresh };
});
