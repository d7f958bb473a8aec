import { computed, ref, shallowRef, watch } from 'vue';
import { defineStore } from 'pinia';
import type { DatasetSummaryMessage, EngineEvent, EngineEventOf } from '@protocol';
import type { ChartSeries } from '../components/chart';
import { useEngineStore } from './engine';

/** One plotted field of the selected episode: data [rows · width], rows from `start`. */
export interface EpisodeField {
  name: string;
  /** [rows, ...step shape] */
  shape: number[];
  dtype: string;
  data: Float32Array;
}

export interface EpisodeData {
  episode: number;
  start: number;
  fields: EpisodeField[];
}

/** Most dimensions drawn per field (a 64-joint state would make an unreadable chart). */
export const MAX_DIMS = 12;
const NON_NUMERIC = new Set(['string', 'video', 'other']);
const DIM_COLORS = ['#5ab0ff', '#f0b454', '#3ecf8e', '#c792ea', '#f06a6a', '#9fd8ff', '#ffc36b', '#8d98a8', '#6be0d0', '#e58fb6', '#b5d36b', '#d0a0ff'];

/**
 * The per-step fields worth plotting against time: the state (observation role) and the action,
 * scalars or vectors only (images stay out); without roles, every numeric vector field.
 */
export function plotFields(summary: DatasetSummaryMessage): string[] {
  const ok = (name: string) => {
    const f = summary.fields[name];
    return !!f && f.shape.length <= 1 && !NON_NUMERIC.has(f.dtype);
  };
  const roles = [...(summary.roles.observation ?? []), ...(summary.roles.action ? [summary.roles.action] : [])].filter(ok);
  if (roles.length) return [...new Set(roles)];
  return Object.keys(summary.fields).filter(ok).slice(0, 8);
}

/** Elements per row of a field. */
export const widthOf = (field: EpisodeField): number => field.shape.slice(1).reduce((a, b) => a * b, 1);

/** Row i of a field (its dimensions at one step). */
export function rowOf(field: EpisodeField, i: number): number[] {
  const w = widthOf(field);
  const rows = field.shape[0] ?? 0;
  if (i < 0 || i >= rows) return [];
  return Array.from(field.data.subarray(i * w, (i + 1) * w));
}

/**
 * One line per dimension (x = step), plus, where `marker` is given, a vertical dashed line at that
 * step spanning the data (not in the legend).
 */
export function fieldSeries(field: EpisodeField, start: number, marker?: number): ChartSeries[] {
  const w = widthOf(field);
  const rows = field.shape[0] ?? 0;
  const out: ChartSeries[] = [];
  let lo = Infinity;
  let hi = -Infinity;
  for (let d = 0; d < Math.min(w, MAX_DIMS); d++) {
    const points: Array<readonly [number, number]> = [];
    for (let t = 0; t < rows; t++) {
      const y = field.data[t * w + d];
      points.push([start + t, y]);
      if (Number.isFinite(y)) {
        lo = Math.min(lo, y);
        hi = Math.max(hi, y);
      }
    }
    out.push({ id: `${field.name}[${d}]`, label: w === 1 ? field.name : `[${d}]`, color: DIM_COLORS[d % DIM_COLORS.length], points, dots: false });
  }
  if (marker !== undefined && lo <= hi) {
    const pad = lo === hi ? 0.5 : 0;
    out.push({ id: 'marker', label: 'step', color: 'var(--text)', points: [[marker, lo - pad], [marker, hi + pad]], dashed: true, dots: false, legend: false, width: 1, opacity: 0.7 });
  }
  return out;
}

/**
 * The Datasets view: open a file or folder by path (the engine reads it), its summary, its episode
 * list, and the selected episode's state and action fields, scrubbed one step at a time.
 */
export const useDatasetsStore = defineStore('datasets', () => {
  const engine = useEngineStore();
  const path = ref('');
  /** The path of an open request still unanswered ('' when none). */
  const opening = ref('');
  const datasetId = ref<string | null>(null);
  const summary = shallowRef<DatasetSummaryMessage | null>(null);
  const selected = ref<number | null>(null);
  const loadingEpisode = ref(false);
  const episode = shallowRef<EpisodeData | null>(null);
  /** The scrubbed step within the selected episode (0-based, in rows of the episode). */
  const step = ref(0);

  const fields = computed(() => (summary.value ? plotFields(summary.value) : []));
  const stepCount = computed(() => {
    const ep = episode.value;
    if (!ep) return 0;
    return Math.max(0, ...ep.fields.map((f) => f.shape[0] ?? 0));
  });
  /** The values of each plotted field at the scrubbed step. */
  const valuesAtStep = computed(() => (episode.value?.fields ?? []).map((f) => ({ name: f.name, values: rowOf(f, step.value) })));

  /** Asks the engine to open `target` (default: the typed path). */
  function open(target = path.value): boolean {
    const p = target.trim();
    if (!p) return false;
    path.value = p;
    if (!engine.send({ type: 'dataset/open', path: p })) {
      engine.reportError('Not connected to the engine.');
      return false;
    }
    opening.value = p;
    return true;
  }

  /** Selects an episode and asks for its plotted fields. */
  function selectEpisode(index: number): void {
    if (!summary.value || !datasetId.value || !summary.value.episodes[index]) return;
    selected.value = index;
    step.value = 0;
    episode.value = null;
    const wanted = fields.value;
    if (!wanted.length) return;
    if (engine.send({ type: 'dataset/episode', datasetId: datasetId.value, episode: index, fields: wanted })) loadingEpisode.value = true;
  }

  function setStep(value: number): void {
    const n = stepCount.value;
    step.value = n ? Math.max(0, Math.min(Math.round(value), n - 1)) : 0;
  }

  /** Closes the open dataset in the engine and forgets it. */
  function close(): void {
    if (datasetId.value) engine.send({ type: 'dataset/close', datasetId: datasetId.value });
    reset();
  }

  function reset(): void {
    datasetId.value = null;
    summary.value = null;
    selected.value = null;
    episode.value = null;
    loadingEpisode.value = false;
    step.value = 0;
  }

  function onSummary(event: EngineEventOf<'dataset/summary'>): void {
    const previous = datasetId.value;
    opening.value = '';
    if (previous && previous !== event.datasetId) engine.send({ type: 'dataset/close', datasetId: previous });
    reset();
    datasetId.value = event.datasetId;
    summary.value = event.summary;
    // A dataset opened: an earlier failure to open one is no longer news.
    if (engine.notice?.kind === 'error' && engine.notice.message.startsWith('dataset/open:')) engine.dismissNotice();
    if (event.summary.episodes.length) selectEpisode(0);
  }

  function onEpisode(event: EngineEventOf<'dataset/episode'>): void {
    if (event.datasetId !== datasetId.value || event.episode !== selected.value) return;
    loadingEpisode.value = false;
    episode.value = { episode: event.episode, start: event.start ?? 0, fields: event.fields };
    setStep(step.value);
  }

  function handleEvent(event: EngineEvent): void {
    if (event.type === 'dataset/summary') onSummary(event);
    else if (event.type === 'dataset/episode') onEpisode(event);
    else if (event.type === 'error') {
      // The banner shows the message (engine store); here only the waiting stops.
      opening.value = '';
      loadingEpisode.value = false;
    }
  }

  engine.onEvent(handleEvent);
  watch(
    () => engine.connection,
    (state) => {
      // A new link is a new engine connection: the old dataset ids mean nothing there.
      if (state !== 'open') {
        opening.value = '';
        reset();
      }
    },
    { flush: 'sync' },
  );

  return { path, opening, datasetId, summary, selected, loadingEpisode, episode, step, fields, stepCount, valuesAtStep, open, selectEpisode, setStep, close };
});
