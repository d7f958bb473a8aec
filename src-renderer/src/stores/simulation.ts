import { computed, ref, shallowRef, watch } from 'vue';
import { defineStore } from 'pinia';
import type { EngineEvent, EngineEventOf } from '@protocol';
import { useEngineStore } from './engine';
import { useSceneFeed } from './scene-feed';

export type Policy = 'random' | 'keyboard';
export type { SceneDescription } from './scene-feed';
type Frame = EngineEventOf<'sim/frame'>;

const MAX_SEED = 2 ** 31 - 1;
/** Points kept in the reward-over-episode trace and the per-episode return history. */
const TRACE_LENGTH = 600;
const RETURNS_LENGTH = 200;

/** A job id unique enough for one engine: time plus randomness, well under the 64-char limit. */
function newJobId(): string {
  return `sim-${Date.now().toString(36)}-${Math.floor(Math.random() * 36 ** 6).toString(36)}`;
}

function clampSeed(value: number): number {
  return Number.isFinite(value) ? Math.min(MAX_SEED, Math.max(0, Math.floor(value))) : 0;
}

/**
 * One live simulation job: what to run (task, seed, policy), its readouts and its commands.
 * Its scene and poses are kept as `useSceneFeed` describes (only `poseVersion` is reactive).
 */
export const useSimulationStore = defineStore('simulation', () => {
  const engine = useEngineStore();

  const taskId = ref('');
  const seed = ref(0);
  const policy = ref<Policy>('random');
  /** Playback speed relative to real time. */
  const speed = ref(1);

  const jobId = ref<string | null>(null);
  /** Policy of the running job (the selector may have changed since Run). */
  const jobPolicy = ref<Policy>('random');
  const phase = ref<'idle' | 'starting' | 'running'>('idle');
  const running = computed(() => jobId.value !== null && phase.value !== 'idle');
  const paused = ref(false);

  const step = ref(0);
  /** Simulated seconds since the episode's reset. */
  const time = ref(0);
  const reward = ref(0);
  const episodeReturn = ref(0);
  const episode = ref(0);
  const episodeSeed = ref<number | null>(null);
  /** sim/frame messages received for the current job since Run. */
  const framesReceived = ref(0);
  const feed = useSceneFeed();
  const { scene, jobTask, poseVersion, getPoses } = feed;
  const rewardTrace = shallowRef<number[]>([]);
  /** The newest frame an image-based agent would see (tasks with an image variant), else null. */
  const observationImage = shallowRef<NonNullable<Frame['observationImage']> | null>(null);
  const episodeReturns = shallowRef<number[]>([]);
  let traceEpisode = -1;
  const finishedEpisodes = new Set<number>();
  let lastActionKey = '';

  const selectedTask = computed(() => engine.tasks.find((t) => t.id === taskId.value) ?? null);
  /** The task whose numbers are on screen: the running one, else the selected one. */
  const activeTask = computed(() => (running.value ? jobTask.value : null) ?? selectedTask.value);
  const canRun = computed(() => engine.connected && selectedTask.value !== null);

  function clearReadouts(): void {
    step.value = 0;
    time.value = 0;
    reward.value = 0;
    episodeReturn.value = 0;
    episode.value = 0;
    episodeSeed.value = null;
    framesReceived.value = 0;
    observationImage.value = null;
    rewardTrace.value = [];
    episodeReturns.value = [];
    traceEpisode = -1;
    finishedEpisodes.clear();
    feed.clearPoses();
  }

  /** Starts a new job with the chosen task, seed and policy (cancelling a running one). */
  function start(): void {
    if (!canRun.value) return;
    if (jobId.value) engine.send({ type: 'job/cancel', jobId: jobId.value });
    seed.value = clampSeed(seed.value);
    const id = newJobId();
    clearReadouts();
    jobId.value = id;
    jobPolicy.value = policy.value;
    jobTask.value = selectedTask.value;
    phase.value = 'starting';
    paused.value = false;
    lastActionKey = '';
    const spec = { kind: 'sim' as const, task: taskId.value, seed: seed.value, policy: policy.value, speed: speed.value };
    if (!engine.send({ type: 'job/start', jobId: id, spec })) endJob();
  }

  /** Cancels the running job. */
  function stop(): void {
    if (jobId.value) engine.send({ type: 'job/cancel', jobId: jobId.value });
    endJob();
  }

  function endJob(): void {
    jobId.value = null;
    phase.value = 'idle';
    paused.value = false;
  }

  function command(name: 'pause' | 'resume' | 'step'): void {
    if (jobId.value && running.value) engine.send({ type: 'sim/command', jobId: jobId.value, command: name });
  }

  function pause(): void {
    if (!running.value || paused.value) return;
    command('pause');
    paused.value = true;
  }

  function resume(): void {
    if (!running.value || !paused.value) return;
    command('resume');
    paused.value = false;
  }

  function togglePause(): void {
    if (paused.value) resume();
    else pause();
  }

  /** Advances one step; pauses first, since a single step only makes sense while paused. */
  function stepOnce(): void {
    if (!running.value) return;
    pause();
    command('step');
  }

  /** Resets the episode, optionally with a new seed (which also becomes the selected seed). */
  function reset(newSeed?: number): void {
    if (newSeed !== undefined) seed.value = clampSeed(newSeed);
    if (!jobId.value || !running.value) return;
    const request = { type: 'sim/command' as const, jobId: jobId.value, command: 'reset' as const };
    engine.send(newSeed === undefined ? request : { ...request, seed: seed.value });
  }

  /** Picks a random seed; a running job resets with it. */
  function newSeed(): void {
    const next = Math.floor(Math.random() * 1_000_000);
    if (running.value) reset(next);
    else seed.value = next;
  }

  /** Sets the action a keyboard-driven job holds: [actDim]. Repeats of the same action are not resent. */
  function setKeyboardAction(action: readonly number[]): void {
    if (!jobId.value || !running.value || jobPolicy.value !== 'keyboard') return;
    const key = action.join(',');
    if (key === lastActionKey) return;
    lastActionKey = key;
    engine.send({ type: 'sim/action', jobId: jobId.value, action: Array.from(action) });
  }

  function onFrame(frame: Frame): void {
    phase.value = 'running';
    framesReceived.value++;
    step.value = frame.step;
    time.value = frame.time;
    reward.value = frame.reward;
    episodeReturn.value = frame.return;
    episode.value = frame.episode;
    episodeSeed.value = frame.seed;
    paused.value = frame.paused;
    if (frame.episode !== traceEpisode) {
      traceEpisode = frame.episode;
      rewardTrace.value = [];
    }
    rewardTrace.value = [...rewardTrace.value.slice(1 - TRACE_LENGTH), frame.reward];
    if (frame.terminated || frame.truncated) recordEpisodeReturn(frame.episode, frame.return);
    feed.setPoses(frame.poses);
    observationImage.value = frame.observationImage ?? null;
  }

  function recordEpisodeReturn(ep: number, value: number): void {
    if (finishedEpisodes.has(ep)) return;
    finishedEpisodes.add(ep);
    episodeReturns.value = [...episodeReturns.value.slice(1 - RETURNS_LENGTH), value];
  }

  function handleEvent(event: EngineEvent): void {
    if (!('jobId' in event) || event.jobId !== jobId.value) return;
    switch (event.type) {
      case 'sim/frame':
        onFrame(event);
        break;
      case 'sim/scene':
        feed.setScene(event);
        break;
      case 'job/started':
        phase.value = 'running';
        break;
      case 'job/metric':
        if (event.record.kind === 'episode') recordEpisodeReturn(event.record.episode, event.record.return);
        break;
      case 'job/error':
        engine.reportError(`Simulation failed: ${event.message}`);
        endJob();
        break;
      case 'job/done':
      case 'job/cancelled':
        endJob();
        break;
    }
  }

  engine.onEvent(handleEvent);
  // A job does not survive its link: after a disconnect or engine restart, the UI shows it stopped.
  watch(
    () => engine.connection,
    (state) => {
      if (state !== 'open') endJob();
    },
    { flush: 'sync' },
  );
  // Keep a valid selection when the task list arrives or changes (sync: a Run right after must see it).
  watch(
    () => engine.tasks,
    (tasks) => {
      if (!tasks.some((t) => t.id === taskId.value)) taskId.value = tasks[0]?.id ?? '';
    },
    { immediate: true, flush: 'sync' },
  );

  return {
    taskId, seed, policy, speed, jobId, jobPolicy, phase, running, paused,
    step, time, reward, episodeReturn, episode, episodeSeed, framesReceived, poseVersion,
    scene, jobTask, rewardTrace, episodeReturns, observationImage, selectedTask, activeTask, canRun,
    getPoses, start, stop, pause, resume, togglePause, stepOnce, reset, newSeed, setKeyboardAction,
  };
});
