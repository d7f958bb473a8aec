import { computed, markRaw, ref, shallowRef, watch } from 'vue';
import { defineStore } from 'pinia';
import { RunSpec, type EngineEvent, type EngineEventOf, type RunSpecInput } from '@protocol';
import { useEngineStore } from './engine';
import { useRunsStore } from './runs';
import { useSceneFeed } from './scene-feed';
import { addRecord, emptySeries, type LiveSeries, type PlanIteration } from './experiment-series';
import { findComparison, useComparison } from './comparison';
import { usePresetsStore } from './presets';
import { defaultPreset } from '../presets';
import { draftFromSpec, sameDraft, validateDraft, type SpecDraft } from '../spec-form';

export {
  COMPARISONS, LECTURE_ALGORITHMS, LECTURE_COMPARISON, UNCERTAINTY_COMPARISON,
  type Algorithm, type Comparison, type ComparisonDefinition, type ComparisonEntry, type ComparisonVariant,
} from './comparison';

export type ExperimentPhase = 'idle' | 'starting' | 'running' | 'done' | 'cancelled' | 'error';

/** The model's predicted trajectory for one plan (see `plan/ghost`): one per elite member. */
export type GhostSnapshot = Omit<EngineEventOf<'plan/ghost'>, 'type' | 'jobId'>;

/**
 * The model's uncertainty against the truth after one fit (see `model/diagnostics`): each elite
 * member's held-out predictions and the one-step mean ± std along the newest episode.
 */
export type ModelDiagnostics = Omit<EngineEventOf<'model/diagnostics'>, 'type' | 'jobId'>;

/** Fits whose diagnostics are kept (the oldest go first); a few hundred kB each at most. */
export const MAX_DIAGNOSTICS = 64;

const MAX_LABEL = 80;

function newJobId(): string {
  return `exp-${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 6).toString(36)}`;
}

/**
 * The Experiments view's state: the spec form, one experiment job at a time with its live metrics,
 * real poses and predicted (ghost) poses, and the comparisons that run several variants of the
 * form's spec one after another (the lecture's v0.5/v1.0/v1.5; D vs DE vs PE). Poses are kept in
 * plain fields read with `getPoses` (see `useSceneFeed`) and {@link getGhost}; only their version
 * counters are reactive, so Vue never walks the arrays.
 */
export const useExperimentsStore = defineStore('experiments', () => {
  const engine = useEngineStore();
  const runs = useRunsStore();
  const presets = usePresetsStore();

  // ---- the form -------------------------------------------------------------------------------
  /** The chosen preset's id; '' until the engine's list arrives (or when none was chosen). */
  const presetId = ref('');
  // Until the presets arrive the form holds the defaults; the first list replaces them.
  const initialDraft = draftFromSpec({ task: 'pendulum' });
  const draft = ref<SpecDraft>({ ...initialDraft });
  const label = ref('');
  const validation = computed(() => validateDraft(draft.value, engine.tasks.map((t) => t.id)));
  const fieldErrors = computed(() => {
    const errors = { ...validation.value.errors };
    if (label.value.length > MAX_LABEL) errors.label = `At most ${MAX_LABEL} characters.`;
    return errors;
  });
  const specValid = computed(() => validation.value.spec !== null && !fieldErrors.value.label);
  /** Whether the draft differs from the chosen preset. */
  const presetModified = computed(() => {
    const preset = presets.find(presetId.value);
    if (!preset) return true;
    return !sameDraft(draftFromSpec(preset.spec), draft.value);
  });

  function applyPreset(id: string): void {
    const preset = presets.find(id);
    if (!preset) return;
    presetId.value = id;
    draft.value = draftFromSpec(preset.spec);
  }

  // ---- the running job ------------------------------------------------------------------------
  const jobId = ref<string | null>(null);
  const phase = ref<ExperimentPhase>('idle');
  const running = computed(() => phase.value === 'starting' || phase.value === 'running');
  const cancelling = ref(false);
  const errorMessage = ref<string | null>(null);
  /** The validated spec of the current (or last) job. */
  const jobSpec = shallowRef<RunSpec | null>(null);
  const jobLabel = ref<string | null>(null);
  const runId = ref<string | null>(null);
  const runPath = ref<string | null>(null);
  const progress = ref<{ done: number; total: number; etaSeconds: number | null; message: string }>({ done: 0, total: 0, etaSeconds: null, message: '' });
  const series = shallowRef<LiveSeries>(emptySeries());
  const planIteration = shallowRef<PlanIteration | null>(null);
  /** Diagnostics per fit, in fit order (typed arrays inside; never made deeply reactive). */
  const diagnostics = shallowRef<readonly ModelDiagnostics[]>([]);
  const latestDiagnostics = computed(() => diagnostics.value.at(-1) ?? null);
  const latestCalibration = computed(() => series.value.calibration.at(-1) ?? null);

  const feed = useSceneFeed();
  const { scene, jobTask, poseVersion, getPoses } = feed;
  const frameEpisode = ref(0);
  const frameStep = ref(0);
  const frameReturn = ref(0);
  const framesReceived = ref(0);

  /** plan/ghost events of this job, and how many of them carried poses to draw. */
  const ghostEvents = ref(0);
  const ghostCount = ref(0);
  const ghostVersion = ref(0);
  let latestGhost: GhostSnapshot | null = null;

  const canRun = computed(() => engine.connected && specValid.value && !running.value);
  // A comparison starts its runs through start() below and hears of their events.
  const compare = useComparison((spec, runLabel) => start(spec, runLabel));
  const { comparison, comparing } = compare;

  /** Latest predicted trajectory with poses to draw, or null. */
  function getGhost(): GhostSnapshot | null {
    return latestGhost;
  }

  function clearLive(): void {
    runId.value = null;
    runPath.value = null;
    errorMessage.value = null;
    progress.value = { done: 0, total: 0, etaSeconds: null, message: '' };
    series.value = emptySeries();
    planIteration.value = null;
    diagnostics.value = [];
    frameEpisode.value = 0;
    frameStep.value = 0;
    frameReturn.value = 0;
    framesReceived.value = 0;
    ghostEvents.value = 0;
    ghostCount.value = 0;
    feed.clearPoses(true);
    latestGhost = null;
    ghostVersion.value++;
  }

  /**
   * Starts an experiment job with this spec (validated here too; an invalid spec starts nothing).
   * Returns whether the request was sent.
   */
  function start(input: RunSpecInput, runLabel?: string): boolean {
    if (running.value || !engine.connected) return false;
    const parsed = RunSpec.safeParse(input);
    if (!parsed.success) return false;
    const id = newJobId();
    clearLive();
    jobId.value = id;
    jobSpec.value = parsed.data;
    jobLabel.value = runLabel?.trim() || null;
    phase.value = 'starting';
    cancelling.value = false;
    const spec = { kind: 'experiment' as const, spec: parsed.data, ...(jobLabel.value ? { label: jobLabel.value.slice(0, MAX_LABEL) } : {}) };
    if (engine.send({ type: 'job/start', jobId: id, spec })) return true;
    finish('error', 'Not connected to the engine.');
    return false;
  }

  /** Starts the spec in the form. */
  function run(): boolean {
    const spec = validation.value.spec;
    if (!spec || !specValid.value) return false;
    compare.clear();
    return start(spec, label.value);
  }

  /** Cancels the running job (and the rest of a comparison). */
  function cancel(): void {
    if (!running.value || !jobId.value) return;
    cancelling.value = true;
    compare.stop('cancelled');
    engine.send({ type: 'job/cancel', jobId: jobId.value });
  }

  function finish(end: 'done' | 'cancelled' | 'error', message?: string): void {
    phase.value = end;
    cancelling.value = false;
    errorMessage.value = message ?? null;
    jobId.value = null;
    runs.refresh();
  }

  // ---- comparisons ----------------------------------------------------------------------------

  /**
   * Runs the variants of comparison `id` (see `COMPARISONS`: 'lecture' runs v0.5, v1.0 and v1.5;
   * 'uncertainty' runs D, DE and PE) one after another with the form's task, seed and sizes,
   * collecting each run's returns for one plot. Returns whether the first run started.
   */
  function startComparison(id = 'lecture'): boolean {
    const definition = findComparison(id);
    const base = validation.value.spec;
    if (!definition || !base || running.value || !engine.connected) return false;
    return compare.begin(definition, base);
  }

  /** Share of the whole run (the whole comparison while comparing) done, 0…1, and seconds left. */
  const overall = computed(() => {
    const { done, total, etaSeconds } = progress.value;
    return compare.overall(done, total, etaSeconds) ?? { fraction: total > 0 ? Math.min(1, done / total) : 0, etaSeconds };
  });

  // ---- events ---------------------------------------------------------------------------------
  function onMetric(record: EngineEventOf<'job/metric'>['record']): void {
    series.value = addRecord(series.value, record);
    if (record.kind === 'episode') compare.onEpisode(record.return, record.policy ?? 'random');
  }

  function onFrame(frame: EngineEventOf<'sim/frame'>): void {
    phase.value = 'running';
    framesReceived.value++;
    frameEpisode.value = frame.episode;
    frameStep.value = frame.step;
    frameReturn.value = frame.return;
    feed.setPoses(frame.poses);
  }

  function onGhost(event: EngineEventOf<'plan/ghost'>): void {
    ghostEvents.value++;
    // Tasks that cannot turn observations into poses send none: count it, draw nothing.
    if (event.poses.length === 0) return;
    const { type: _t, jobId: _j, ...snapshot } = event;
    latestGhost = snapshot;
    ghostCount.value++;
    ghostVersion.value++;
  }

  function onDiagnostics(event: EngineEventOf<'model/diagnostics'>): void {
    const { type: _t, jobId: _j, ...snapshot } = event;
    // A repeated fit replaces the earlier one.
    const list = [...diagnostics.value.filter((d) => d.fit !== snapshot.fit), markRaw(snapshot)].sort((a, b) => a.fit - b.fit);
    diagnostics.value = list.slice(-MAX_DIAGNOSTICS);
  }

  /** The diagnostics of fit `fit` (0-based), if kept. */
  function diagnosticsOf(fit: number): ModelDiagnostics | null {
    return diagnostics.value.find((d) => d.fit === fit) ?? null;
  }

  function handleEvent(event: EngineEvent): void {
    if (!('jobId' in event) || event.jobId !== jobId.value) return;
    switch (event.type) {
      case 'job/started':
        phase.value = 'running';
        break;
      case 'job/run-folder':
        runId.value = event.runId;
        runPath.value = event.path;
        compare.onRunFolder(event.runId);
        break;
      case 'sim/scene':
        feed.setScene(event);
        break;
      case 'sim/frame':
        onFrame(event);
        break;
      case 'plan/ghost':
        onGhost(event);
        break;
      case 'plan/iteration': {
        const { type: _t, jobId: _j, ...rest } = event;
        planIteration.value = rest;
        break;
      }
      case 'model/diagnostics':
        onDiagnostics(event);
        break;
      case 'job/metric':
        onMetric(event.record);
        break;
      case 'job/progress':
        progress.value = { done: event.done, total: event.total, etaSeconds: event.etaSeconds ?? null, message: event.message ?? '' };
        break;
      case 'job/done':
        if (progress.value.total > 0) progress.value = { ...progress.value, done: progress.value.total, etaSeconds: 0 };
        finish('done');
        compare.onJobEnd('done');
        break;
      case 'job/cancelled':
        finish('cancelled');
        compare.onJobEnd('cancelled');
        break;
      case 'job/error':
        engine.reportError(`Experiment failed: ${event.message}`);
        finish('error', event.message);
        compare.onJobEnd('error');
        break;
    }
  }

  // When a list arrives and the user has neither picked a preset nor typed anything yet, fill the
  // form with the default one. Once a preset is picked, later lists (a reconnect) leave the form alone.
  watch(
    () => presets.presets,
    (list) => {
      if (presetId.value !== '' || running.value || !sameDraft(draft.value, initialDraft)) return;
      const preset = defaultPreset(list);
      if (preset) applyPreset(preset.id);
    },
    { immediate: true, flush: 'sync' },
  );

  engine.onEvent(handleEvent);
  // A job does not survive its link: after a disconnect or engine restart it is over.
  watch(
    () => engine.connection,
    (state) => {
      if (state === 'open' || !running.value) return;
      finish('error', 'The link to the engine was lost.');
      compare.stop('error');
    },
    { flush: 'sync' },
  );

  return {
    presetId, draft, label, fieldErrors, specValid, presetModified, applyPreset,
    jobId, phase, running, cancelling, errorMessage, jobSpec, jobLabel, runId, runPath, progress, overall,
    series, planIteration, diagnostics, latestDiagnostics, latestCalibration, diagnosticsOf, scene, jobTask, frameEpisode, frameStep, frameReturn, framesReceived, poseVersion,
    ghostEvents, ghostCount, ghostVersion, canRun, comparison, comparing,
    getPoses, getGhost, start, run, cancel, startComparison,
  };
});
