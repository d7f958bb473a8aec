import { computed, ref } from 'vue';
import { defineStore } from 'pinia';
import type { EngineEvent, EngineEventOf, RequestInput } from '@protocol';
import { frameTime } from '@protocol/video-grants';
import { useEngineStore } from './engine';
import { useDatasetsStore } from './datasets';
import { baseName } from './image-dataset-source';
import { decodedReplayArrays, npzBytes, type DecodedEpisode } from './decoded-video-npz';

/** Decodes the frames at `times` (s) of the video at `url` into S×S RGB bytes (the browser's decoder; see video-frame-decoder.ts). */
export type FrameDecoder = (url: string, times: readonly number[], size: number, signal: AbortSignal) => Promise<Uint8Array[]>;

const safe = (s: string) => s.replace(/[^A-Za-z0-9._-]+/g, '_');

/**
 * LeRobot video features for the image models: the engine reads datasets but cannot decode video,
 * the browser can. For each episode this asks the engine where its video plays from
 * (`dataset/video`) and for its actions and state (`dataset/episode`), decodes every frame at the
 * model's size, and finally uploads the frames as an .npz replay buffer (obs/next_obs images,
 * action, state) through the Datasets store's upload, which opens it: the image models then train on
 * it like any image dataset. The upload lives as long as it stays the open dataset.
 */
export const useVideoDecodeStore = defineStore('video-decode', () => {
  const engine = useEngineStore();
  const datasets = useDatasetsStore();
  const progress = ref<{ done: number; total: number } | null>(null);
  const error = ref('');
  const decoding = computed(() => progress.value !== null);
  let controller: AbortController | null = null;

  /** Sends `request` and resolves with the first event that `match`es, or rejects on an error line about this request type. */
  function ask<T extends EngineEvent['type']>(request: RequestInput, type: T, match: (e: EngineEventOf<T>) => boolean): Promise<EngineEventOf<T>> {
    return new Promise((resolve, reject) => {
      const stop = engine.onEvent((event) => {
        if (event.type === type && match(event as EngineEventOf<T>)) {
          stop();
          resolve(event as EngineEventOf<T>);
        } else if (event.type === 'error' && event.message.startsWith(request.type)) {
          stop();
          reject(new Error(event.message));
        }
      });
      if (!engine.send(request)) {
        stop();
        reject(new Error('Not connected to the engine.'));
      }
    });
  }

  /**
   * Decodes video feature `key` of the open dataset's first `maxEpisodes` episodes at size² and
   * uploads the result; false (with `error`) when it cannot.
   */
  async function decode(key: string, size: number, maxEpisodes: number, decodeFrames: FrameDecoder): Promise<boolean> {
    const summary = datasets.summary;
    const datasetId = datasets.datasetId;
    if (!summary || !datasetId || decoding.value) return false;
    error.value = '';
    const actionKey = summary.roles.action;
    if (!actionKey) {
      error.value = `${summary.path}: no action field, so its frames cannot train an action-conditioned model`;
      return false;
    }
    const stateKeys = (summary.roles.observation ?? []).filter((k) => (summary.fields[k]?.shape.length ?? 2) <= 1 && !['string', 'video', 'other'].includes(summary.fields[k].dtype));
    const episodes = summary.episodes.slice(0, Math.max(1, maxEpisodes));
    controller = new AbortController();
    const { signal } = controller;
    progress.value = { done: 0, total: episodes.length };
    try {
      const decoded: DecodedEpisode[] = [];
      let actDim = 0;
      let stateDim = 0;
      for (const ep of episodes) {
        const video = await ask({ type: 'dataset/video', datasetId, episode: ep.index, key }, 'dataset/video', (e) => e.datasetId === datasetId && e.episode === ep.index && e.key === key);
        const wanted = [actionKey, ...stateKeys];
        const fields = await ask({ type: 'dataset/episode', datasetId, episode: ep.index, fields: wanted }, 'dataset/episode', (e) => e.datasetId === datasetId && e.episode === ep.index && e.fields.map((f) => f.name).join() === wanted.join());
        const width = (name: string) => fields.fields.find((f) => f.name === name)!.shape.slice(1).reduce((a, b) => a * b, 1);
        actDim = width(actionKey);
        stateDim = stateKeys.reduce((n, k) => n + width(k), 0);
        const rows = fields.fields[0].shape[0];
        const states = new Float32Array(rows * stateDim);
        let col = 0;
        for (const k of stateKeys) {
          const f = fields.fields.find((x) => x.name === k)!;
          const w = width(k);
          for (let t = 0; t < rows; t++) states.set(f.data.subarray(t * w, (t + 1) * w), t * stateDim + col);
          col += w;
        }
        const times = Array.from({ length: video.frames }, (_, k) => frameTime(video, k));
        const frames = await decodeFrames(video.url, times, size, signal);
        decoded.push({ frames, actions: fields.fields[0].data, states });
        progress.value = { done: decoded.length, total: episodes.length };
      }
      const bytes = npzBytes(decodedReplayArrays(decoded, size, actDim, stateDim));
      const file = new File([bytes.slice().buffer], `${safe(baseName(summary.path))}-${safe(key)}-${size}px.npz`);
      progress.value = null;
      return await datasets.uploadFile(file);
    } catch (e) {
      error.value = (e as Error).name === 'AbortError' ? 'decoding cancelled' : String((e as Error).message ?? e);
      return false;
    } finally {
      progress.value = null;
      controller = null;
    }
  }

  function cancel(): void {
    controller?.abort();
  }

  return { progress, error, decoding, decode, cancel };
});
