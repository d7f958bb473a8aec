import { computed, ref, shallowRef, watch } from 'vue';
import { defineStore } from 'pinia';
import type { DatasetSummaryMessage, EngineEvent, EngineEventOf } from '@protocol';
import type { ChartSeries } from '../components/chart';
import { useEngineStore } from './engine';
import { nativeDialogs } from '../components/datasets/native-dialogs';

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

/** Image fields: uint8 with step shape [H, W] or [H, W, C], C ∈ {1, 3, 4} (robomimic obs/<key>_image). */
export function imageFields(summary: DatasetSummaryMessage): string[] {
  return Object.entries(summary.fields)
    .filter(([, f]) => f.dtype === 'uint8' && (f.shape.length === 2 || (f.shape.length === 3 && [1, 3, 4].includes(f.shape[2]))))
    .map(([name]) => name);
}

/** Video features (LeRobot mp4s), played by the viewer's own decoder. */
export function videoFields(summary: DatasetSummaryMessage): string[] {
  return Object.keys(summary.videos ?? {});
}

/** Width of the state made of `keys` (0 when a key is unknown or not a vector). */
export function stateWidth(summary: DatasetSummaryMessage, keys: readonly string[]): number {
  let n = 0;
  for (const k of keys) {
    const f = summary.fields[k];
    if (!f || f.shape.length > 1 || NON_NUMERIC.has(f.dtype)) return 0;
    n += f.shape[0] ?? 1;
  }
  return n;
}

/** The task the dataset says it was recorded in: env_args.env_name (robomimic, our run folders). */
export function namedTask(summary: DatasetSummaryMessage): string | undefined {
  const args = summary.attributes.env_args as { env_name?: unknown } | undefined;
  return typeof args?.env_name === 'string' ? args.env_name : undefined;
}

/** One frame as RGBA pixels for ImageData: gray, RGB or RGBA bytes [H · W · C] → [H · W · 4]. */
export function frameToRgba(data: Uint8Array, width: number, height: number, channels: number): Uint8ClampedArray<ArrayBuffer> {
  const out = new Uint8ClampedArray(new ArrayBuffer(width * height * 4));
  for (let i = 0; i < width * height; i++) {
    const src = i * channels;
    out[i * 4] = data[src];
    out[i * 4 + 1] = data[channels >= 3 ? src + 1 : src];
    out[i * 4 + 2] = data[channels >= 3 ? src + 2 : src];
    out[i * 4 + 3] = channels === 4 ? data[src + 3] : 255;
  }
  return out;
}

/** Bytes per upload chunk (the serve bridge takes frames of up to 64 MiB). */
export const UPLOAD_CHUNK = 8 * 1024 * 1024;

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

  // Image frames: the one at the scrubbed step, kept out of reactive state (a counter says when).
  const imageField = ref<string | null>(null);
  const frameVersion = ref(0);
  let latestFrame: EngineEventOf<'dataset/frame'> | null = null;
  /** A frame request is out; further scrubbing waits for it, then asks for the newest step. */
  let frameInFlight = false;
  // Video frames (a video feature chosen as the image field): where the episode's video plays from.
  const video = shallowRef<EngineEventOf<'dataset/video'> | null>(null);
  /** Why the chosen video cannot be shown ('' when it can); the state and action stay. */
  const videoError = ref('');
  /** The '<episode>/<key>' of a dataset/video request still unanswered. */
  let videoPending = '';

  // 3D replay: a task's scene and the poses of every step of the episode (not reactive).
  const replayTask = ref<string | null>(null);
  const replayScene = shallowRef<EngineEventOf<'dataset/replay'>['scene'] | null>(null);
  const replayVersion = ref(0);
  const replayLoading = ref(false);
  let replay: EngineEventOf<'dataset/replay'> | null = null;

  // Uploads (browser): progress of the file being sent.
  const upload = ref<{ id: string; name: string; received: number; size: number } | null>(null);

  // Export.
  const exporting = ref(false);
  const exported = shallowRef<EngineEventOf<'dataset/exported'> | null>(null);

  const fields = computed(() => (summary.value ? plotFields(summary.value) : []));
  const stepCount = computed(() => {
    const ep = episode.value;
    if (!ep) return 0;
    return Math.max(0, ...ep.fields.map((f) => f.shape[0] ?? 0));
  });
  const images = computed(() => (summary.value ? [...imageFields(summary.value), ...videoFields(summary.value)] : []));
  /** Whether the chosen image field is a video feature (frames decoded by the browser). */
  const imageIsVideo = computed(() => !!imageField.value && !!summary.value?.videos?.[imageField.value]);
  /** The state width of the observation role (what a replay feeds to a task). */
  const replayStateWidth = computed(() => (summary.value ? stateWidth(summary.value, summary.value.roles.observation ?? []) : 0));
  /** Built-in tasks whose observation has the state's width (the user confirms one). */
  const replayCandidates = computed(() => engine.tasks.filter((t) => replayStateWidth.value > 0 && t.obsDim === replayStateWidth.value));
  /** A task the dataset names itself and whose width matches: replayed without asking. */
  const suggestedTask = computed(() => {
    const named = summary.value ? namedTask(summary.value) : undefined;
    return replayCandidates.value.find((t) => t.id === named)?.id ?? null;
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

  /** Selects an episode and asks for its plotted fields (and its frame and replay, where shown). */
  function selectEpisode(index: number): void {
    if (!summary.value || !datasetId.value || !summary.value.episodes[index]) return;
    selected.value = index;
    step.value = 0;
    episode.value = null;
    latestFrame = null;
    frameVersion.value++;
    clearVideo();
    replay = null;
    replayVersion.value++;
    const wanted = fields.value;
    if (wanted.length && engine.send({ type: 'dataset/episode', datasetId: datasetId.value, episode: index, fields: wanted })) loadingEpisode.value = true;
    requestFrame();
    if (replayTask.value) requestReplay();
  }

  function setStep(value: number): void {
    const n = Math.max(stepCount.value, summary.value && selected.value !== null ? (summary.value.episodes[selected.value]?.length ?? 0) : 0);
    step.value = n ? Math.max(0, Math.min(Math.round(value), n - 1)) : 0;
    requestFrame();
    if (replay) replayVersion.value++;
  }

  /** Shows the frames of an image field (null: none). */
  function setImageField(name: string | null): void {
    imageField.value = name;
    latestFrame = null;
    frameVersion.value++;
    clearVideo();
    requestFrame();
  }

  function clearVideo(): void {
    video.value = null;
    videoError.value = '';
    videoPending = '';
  }

  /** Asks where the selected episode's video of the chosen video feature plays from (once). */
  function requestVideo(): void {
    if (!imageField.value || !datasetId.value || selected.value === null) return;
    const wanted = `${selected.value}/${imageField.value}`;
    if (videoPending === wanted || videoError.value || (video.value && `${video.value.episode}/${video.value.key}` === wanted)) return;
    if (engine.send({ type: 'dataset/video', datasetId: datasetId.value, episode: selected.value, key: imageField.value })) videoPending = wanted;
  }

  /** The video's decoder failed or cannot play its codec: say so (the view keeps state and action). */
  function setVideoError(message: string): void {
    videoError.value = message;
  }

  /** Asks for the frame at the scrubbed step, unless one is on its way (its reply asks again). */
  function requestFrame(): void {
    if (imageIsVideo.value) return requestVideo();
    if (frameInFlight || !imageField.value || !datasetId.value || selected.value === null) return;
    const start = episode.value?.start ?? 0;
    if (engine.send({ type: 'dataset/frame', datasetId: datasetId.value, episode: selected.value, field: imageField.value, step: start + step.value })) frameInFlight = true;
  }

  /** The latest frame (any step; compare `step`), or null. */
  const getFrame = (): EngineEventOf<'dataset/frame'> | null => latestFrame;

  /** Replays the selected episode in a built-in task (null: stop). */
  function setReplayTask(task: string | null): void {
    replayTask.value = task;
    replay = null;
    replayScene.value = null;
    replayVersion.value++;
    if (task) requestReplay();
  }

  function requestReplay(): void {
    if (!replayTask.value || !datasetId.value || selected.value === null) return;
    if (engine.send({ type: 'dataset/replay', datasetId: datasetId.value, episode: selected.value, task: replayTask.value, fields: summary.value?.roles.observation })) replayLoading.value = true;
  }

  /** Body poses at the scrubbed step of the replay, [nbody · 7], or null. */
  function getReplayPoses(): Float32Array | null {
    if (!replay || replay.steps === 0) return null;
    const stride = replay.poses.length / replay.steps;
    const t = Math.max(0, Math.min((episode.value?.start ?? 0) + step.value, replay.steps - 1));
    return replay.poses.subarray(t * stride, (t + 1) * stride);
  }

  /** Electron: the native open dialog; the chosen file or folder is opened. */
  async function browse(kind: 'file' | 'folder'): Promise<void> {
    const dialogs = nativeDialogs();
    if (!dialogs) return;
    const chosen = await dialogs.chooseDatasetPath(kind);
    if (chosen) open(chosen);
  }

  /** Browser: sends a file to the engine in chunks; the engine stores and opens it. */
  async function uploadFile(file: File): Promise<boolean> {
    const id = `up${Date.now().toString(36)}${Math.random().toString(36).slice(2, 8)}`;
    upload.value = { id, name: file.name, received: 0, size: file.size };
    opening.value = file.name;
    let offset = 0;
    do {
      const data = new Uint8Array(await file.slice(offset, offset + UPLOAD_CHUNK).arrayBuffer());
      if (!engine.send({ type: 'dataset/upload', uploadId: id, name: file.name, size: file.size, offset, data })) {
        engine.reportError('Not connected to the engine.');
        upload.value = null;
        opening.value = '';
        return false;
      }
      offset += data.length;
      // Wait for the engine to store this chunk before reading the next (memory stays one chunk).
      const ok = await new Promise<boolean>((resolve) => {
        const stop = engine.onEvent((event) => {
          if (event.type === 'dataset/upload-progress' && event.uploadId === id) {
            stop();
            resolve(true);
          } else if (event.type === 'error' && event.message.startsWith('dataset/upload')) {
            stop();
            resolve(false);
          }
        });
      });
      if (!ok || upload.value?.id !== id) {
        upload.value = null;
        opening.value = '';
        return false;
      }
    } while (offset < file.size);
    return true;
  }

  /** Exports episodes (all, or `episodes`) of the open dataset to `out`. */
  function exportTo(to: 'robomimic' | 'npz', out: string, episodes?: number[]): boolean {
    if (!datasetId.value || !out.trim()) return false;
    exported.value = null;
    if (!engine.send({ type: 'dataset/export', datasetId: datasetId.value, to, out: out.trim(), ...(episodes?.length ? { episodes } : {}) })) return false;
    exporting.value = true;
    return true;
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
    imageField.value = null;
    latestFrame = null;
    frameInFlight = false;
    clearVideo();
    frameVersion.value++;
    replayTask.value = null;
    replay = null;
    replayScene.value = null;
    replayLoading.value = false;
    replayVersion.value++;
    exporting.value = false;
    exported.value = null;
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
    if (upload.value) upload.value = null;
    imageField.value = [...imageFields(event.summary), ...videoFields(event.summary)][0] ?? null;
    if (suggestedTask.value) replayTask.value = suggestedTask.value;
    if (event.summary.episodes.length) selectEpisode(0);
  }

  function onFrame(event: EngineEventOf<'dataset/frame'>): void {
    frameInFlight = false;
    if (event.datasetId !== datasetId.value || event.episode !== selected.value || event.field !== imageField.value) return requestFrame();
    latestFrame = event;
    frameVersion.value++;
    // Scrubbed on while it travelled: ask for the step shown now.
    if (event.step !== (episode.value?.start ?? 0) + step.value) requestFrame();
  }

  function onVideo(event: EngineEventOf<'dataset/video'>): void {
    if (videoPending === `${event.episode}/${event.key}`) videoPending = '';
    if (event.datasetId !== datasetId.value || event.episode !== selected.value || event.key !== imageField.value) return requestFrame();
    video.value = event;
  }

  function onReplay(event: EngineEventOf<'dataset/replay'>): void {
    if (event.datasetId !== datasetId.value || event.episode !== selected.value || event.task !== replayTask.value) return;
    replayLoading.value = false;
    replay = event;
    replayScene.value = event.scene;
    replayVersion.value++;
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
    else if (event.type === 'dataset/frame') onFrame(event);
    else if (event.type === 'dataset/replay') onReplay(event);
    else if (event.type === 'dataset/video') onVideo(event);
    else if (event.type === 'dataset/upload-progress') {
      if (upload.value?.id === event.uploadId) upload.value = { ...upload.value, received: event.received };
    } else if (event.type === 'dataset/exported') {
      if (event.datasetId === datasetId.value) {
        exporting.value = false;
        exported.value = event;
      }
    } else if (event.type === 'error') {
      // The banner shows the message (engine store); here only the waiting stops.
      opening.value = '';
      loadingEpisode.value = false;
      if (event.message.startsWith('dataset/frame')) frameInFlight = false;
      if (event.message.startsWith('dataset/video') && videoPending) {
        videoPending = '';
        videoError.value = event.message.replace(/^dataset\/video:\s*/, '');
      }
      if (event.message.startsWith('dataset/replay')) replayLoading.value = false;
      if (event.message.startsWith('dataset/export')) exporting.value = false;
      if (event.message.startsWith('dataset/upload')) upload.value = null;
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

  return {
    path, opening, datasetId, summary, selected, loadingEpisode, episode, step, fields, stepCount, valuesAtStep, open, selectEpisode, setStep, close,
    images, imageField, frameVersion, getFrame, setImageField, imageIsVideo, video, videoError, setVideoError,
    replayTask, replayScene, replayVersion, replayLoading, replayCandidates, replayStateWidth, suggestedTask, getReplayPoses, setReplayTask,
    upload, uploadFile, browse, exporting, exported, exportTo,
  };
});
