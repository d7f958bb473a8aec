import { createPinia, setActivePinia } from 'pinia';
import { RunSpec, type EngineEvent, type RequestInput, type TaskInfoMessage } from '@protocol';
import { ClientBase } from '../../src-renderer/src/bridge/client-base';
import type { ConnectionState } from '../../src-renderer/src/bridge/lab-client';
import { useEngineStore } from '../../src-renderer/src/stores/engine';

/**
 * A LabClient that records requests and lets a test push events and state changes. The handler
 * bookkeeping is the real transports' (ClientBase), except that a handler that throws fails the test.
 */
export class FakeLabClient extends ClientBase {
  readonly sent: RequestInput[] = [];

  send(request: RequestInput): void {
    this.sent.push(request);
  }
  close(): void {
    this.setState('closed');
  }

  override setState(state: ConnectionState): void {
    super.setState(state);
  }
  override emit(event: EngineEvent): void {
    super.emit(event);
  }
  /** Opens the link and, if given, lists these tasks (as the engine does once connected). */
  open(tasks?: TaskInfoMessage[]): void {
    this.setState('open');
    if (tasks) this.emit({ type: 'task/list', tasks });
  }
  /** Requests of one type, in order. */
  sentOf<T extends RequestInput['type']>(type: T): Array<Extract<RequestInput, { type: T }>> {
    return this.sent.filter((r): r is Extract<RequestInput, { type: T }> => r.type === type);
  }

  protected override handlerFailed(err: unknown): void {
    throw err;
  }
}

/** A fresh active Pinia whose engine store is attached to a new FakeLabClient (link still connecting). */
export function attachFakeClient() {
  const pinia = createPinia();
  setActivePinia(pinia);
  const client = new FakeLabClient();
  const engine = useEngineStore();
  engine.attach(client);
  return { pinia, client, engine };
}

export const CARTPOLE: TaskInfoMessage = {
  id: 'cartpole',
  title: 'Cart-pole',
  description: 'Balance a pole on a cart.',
  obsDim: 4,
  actDim: 1,
  dt: 0.02,
  maxEpisodeSteps: 500,
  actionLow: [-1],
  actionHigh: [1],
  actionNames: ['cart force'],
  angleDims: [1],
};

/** A pendulum as the Experiments view lists it first (its tiny preset is the default). */
export const PENDULUM: TaskInfoMessage = { ...CARTPOLE, id: 'pendulum', title: 'Pendulum swing-up', obsDim: 3 };

export const REACHER: TaskInfoMessage = {
  ...CARTPOLE,
  id: 'reacher',
  title: 'Reacher',
  description: 'Reach a target.',
  obsDim: 10,
  actDim: 2,
  actionLow: [-1, -1],
  actionHigh: [1, 1],
  actionNames: ['shoulder', 'elbow'],
};

/** A sim/frame event for a job with n bodies; fields can be overridden. */
export function frame(jobId: string, over: Partial<Extract<EngineEvent, { type: 'sim/frame' }>> = {}): EngineEvent {
  return {
    type: 'sim/frame',
    jobId,
    episode: 0,
    seed: 1,
    step: 1,
    time: 0.02,
    reward: 1,
    return: 1,
    terminated: false,
    truncated: false,
    paused: false,
    action: new Float32Array([0.5]),
    obs: new Float32Array([0, 0.1, 0, 0]),
    poses: new Float32Array([0, 0, 0, 1, 0, 0, 0, 0.3, 0, 0.5, 1, 0, 0, 0]),
    ...over,
  };
}

export const ENGINE_INFO: EngineEvent = {
  type: 'engine/info',
  backend: 'wasm',
  backendDetail: '@tensorflow/tfjs-backend-wasm (SIMD); tfjs-node not installed',
  host: 'node-child',
  versions: { node: '20.19.0' },
  pid: 4242,
};

// The presets shipped in resources/presets, as the engine lists them (validated, defaults filled in).
const presetFiles = import.meta.glob<Record<string, unknown>>('../../resources/presets/*.json', { eager: true, import: 'default' });
export const SHIPPED_PRESETS: Array<{ id: string; spec: RunSpec }> = Object.entries(presetFiles)
  .map(([path, json]) => ({ id: path.replace(/^.*\/(.+)\.json$/, '$1'), spec: RunSpec.parse(json) }))
  .sort((a, b) => a.id.localeCompare(b.id));

/** The engine's `presets/list` reply for the shipped presets (plus any errors given). */
export function presetList(errors: string[] = [], presets = SHIPPED_PRESETS): EngineEvent {
  return { type: 'presets/list', presets, errors };
}
