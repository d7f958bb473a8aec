// @vitest-environment happy-dom
import { beforeEach, describe, expect, it, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import SceneViewport from '../../src-renderer/src/components/SceneViewport.vue';
import ExperimentViewport from '../../src-renderer/src/components/ExperimentViewport.vue';
import { useSimulationStore } from '../../src-renderer/src/stores/simulation';
import { useExperimentsStore } from '../../src-renderer/src/stores/experiments';
import { CARTPOLE, PENDULUM, attachFakeClient, frame, presetList } from './fake-lab-client';
import { CART, FLOOR, POLE, toyScene } from './scene-fixtures';

/** What the stand-in Viewport records. */
interface Recorded {
  layers: Set<unknown>;
  grid: boolean;
  lookAts: number;
  follows: number;
  disposed: boolean;
}

// No WebGL in happy-dom: a Viewport that only records what it is asked to do.
const { viewports } = vi.hoisted(() => ({ viewports: [] as Recorded[] }));
vi.mock('../../src-renderer/src/scene/viewport', () => ({
  Viewport: class {
    layers = new Set<unknown>();
    grid = true;
    lookAts = 0;
    follows = 0;
    disposed = false;
    constructor() {
      viewports.push(this);
    }
    addLayer(o: unknown) {
      this.layers.add(o);
    }
    removeLayer(o: unknown) {
      this.layers.delete(o);
    }
    setGridVisible(visible: boolean) {
      this.grid = visible;
    }
    lookAt() {
      this.lookAts++;
    }
    follow() {
      this.follows++;
    }
    requestRender() {}
    dispose() {
      this.disposed = true;
    }
  },
}));

const SCENE = toyScene([FLOOR, CART, POLE]);
/** Poses of the toy scene's three bodies. */
const poses = () => new Float32Array([0, 0, 0, 1, 0, 0, 0, 0.3, 0, 0, 1, 0, 0, 0, 0.3, 0, 0, 1, 0, 0, 0]);
const sceneEvent = (jobId: string) => ({ type: 'sim/scene' as const, jobId, scene: structuredClone(SCENE) as never, info: CARTPOLE });

describe('task viewports', () => {
  beforeEach(() => {
    viewports.length = 0;
  });

  it('shows the simulation scene, follows its poses, keeps the camera within a task and frees it all', async () => {
    const { pinia, client } = attachFakeClient();
    client.open([CARTPOLE]);
    const sim = useSimulationStore();
    sim.start();
    const wrapper = mount(SceneViewport, { global: { plugins: [pinia] } });
    const [vp] = viewports;
    expect(vp.layers.size).toBe(0);

    client.emit(sceneEvent(sim.jobId!));
    await nextTick();
    expect(vp.layers.size).toBe(1);
    expect([vp.grid, vp.lookAts]).toEqual([false, 1]);
    client.emit(frame(sim.jobId!, { poses: poses() }));
    await nextTick();
    expect(vp.follows).toBe(1);

    const [first] = vp.layers;
    client.emit(sceneEvent(sim.jobId!));
    await nextTick();
    expect(vp.layers.size).toBe(1);
    expect(vp.layers.has(first)).toBe(false);
    expect(vp.lookAts).toBe(1);
    expect(vp.follows).toBe(2);

    wrapper.unmount();
    expect(vp.layers.size).toBe(0);
    expect(vp.disposed).toBe(true);
  });

  it('adds the ghost and the trail to an experiment\'s scene and draws a plan', async () => {
    const { pinia, client } = attachFakeClient();
    const exp = useExperimentsStore();
    client.open([PENDULUM, CARTPOLE]);
    client.emit(presetList());
    expect(exp.run()).toBe(true);
    const jobId = exp.jobId!;
    const wrapper = mount(ExperimentViewport, { global: { plugins: [pinia] } });
    const [vp] = viewports;

    client.emit(sceneEvent(jobId));
    await nextTick();
    expect(vp.layers.size).toBe(3);
    client.emit(frame(jobId, { episode: 1, step: 5, poses: poses() }));
    await nextTick();
    expect(vp.follows).toBe(1);

    const plan = new Float32Array(3 * 3 * 7).map((_, k) => (k % 7 === 3 ? 1 : 0));
    client.emit({ type: 'plan/ghost', jobId, episode: 1, step: 5, horizon: 2, members: 1, predictedObs: new Float32Array(9), poses: plan });
    await new Promise((resolve) => requestAnimationFrame(resolve));
    await nextTick();
    expect(wrapper.text()).toContain('plan at step 5 · H 2');

    wrapper.unmount();
    expect(vp.layers.size).toBe(0);
    expect(vp.disposed).toBe(true);
  });
});
