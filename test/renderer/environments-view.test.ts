// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { createPinia, setActivePinia, type Pinia } from 'pinia';
import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import EnvironmentsView from '../../src-renderer/src/views/EnvironmentsView.vue';
import App from '../../src-renderer/src/App.vue';
import { useEngineStore } from '../../src-renderer/src/stores/engine';
import { useSimulationStore } from '../../src-renderer/src/stores/simulation';
import { CARTPOLE, ENGINE_INFO, FakeLabClient, REACHER, frame } from './fake-lab-client';

// WebGL is not available in happy-dom: the 3D viewport is stubbed out.
const stubs = { SceneViewport: { template: '<div data-testid="viewport"><canvas /></div>' } };

describe('EnvironmentsView', () => {
  let pinia: Pinia;
  let client: FakeLabClient;
  beforeEach(() => {
    pinia = createPinia();
    setActivePinia(pinia);
    client = new FakeLabClient();
    useEngineStore().attach(client);
  });

  const mountView = () => mount(EnvironmentsView, { global: { plugins: [pinia], stubs }, attachTo: document.body });

  it('disables Run until connected and lists the tasks', async () => {
    const wrapper = mountView();
    expect(wrapper.find('h1').text()).toBe('Environments');
    const run = wrapper.get('[data-testid="run-button"]');
    expect(run.attributes('disabled')).toBeDefined();

    client.setState('open');
    client.emit({ type: 'task/list', tasks: [CARTPOLE, REACHER] });
    await nextTick();
    const options = wrapper.findAll('[data-testid="task-select"] option');
    expect(options.map((o) => o.text())).toEqual(['Cart-pole', 'Reacher']);
    expect(run.attributes('disabled')).toBeUndefined();
    expect(wrapper.find('[data-testid="viewport"] canvas').exists()).toBe(true);
    wrapper.unmount();
  });

  it('runs the chosen task and shows the live readouts', async () => {
    const wrapper = mountView();
    client.setState('open');
    client.emit({ type: 'task/list', tasks: [CARTPOLE, REACHER] });
    await nextTick();
    await wrapper.get('[data-testid="task-select"]').setValue('reacher');
    await wrapper.get('[data-testid="seed-input"]').setValue('42');
    await wrapper.get('[data-testid="run-button"]').trigger('click');
    const [start] = client.sentOf('job/start');
    expect(start.spec).toMatchObject({ kind: 'sim', task: 'reacher', seed: 42, policy: 'random' });

    client.emit(frame(start.jobId, { step: 17, return: 3.5 }));
    client.emit(frame(start.jobId, { step: 18, return: 4.25 }));
    await nextTick();
    expect(wrapper.get('[data-testid="step-readout"]').text()).toBe('18');
    expect(wrapper.get('[data-testid="return-readout"]').text()).toBe('4.25');
    expect(wrapper.get('[data-testid="frame-count"]').text()).toBe('2');

    await wrapper.get('[data-testid="pause-button"]').trigger('click');
    expect(wrapper.get('[data-testid="pause-button"]').text()).toBe('Resume');
    await wrapper.get('[data-testid="reset-button"]').trigger('click');
    expect(client.sentOf('sim/command').map((c) => c.command)).toEqual(['pause', 'reset']);
    wrapper.unmount();
  });

  it('drives a keyboard job with the arrow keys and shows the key hint', async () => {
    const wrapper = mountView();
    client.setState('open');
    client.emit({ type: 'task/list', tasks: [REACHER] });
    await nextTick();
    await wrapper.get('[data-testid="policy-select"]').setValue('keyboard');
    expect(wrapper.get('[data-testid="keyboard-hint"]').text()).toContain('shoulder');
    expect(wrapper.get('[data-testid="keyboard-hint"]').text()).toContain('elbow');
    await wrapper.get('[data-testid="run-button"]').trigger('click');
    const jobId = useSimulationStore().jobId;

    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'ArrowRight', key: 'ArrowRight' }));
    window.dispatchEvent(new KeyboardEvent('keydown', { code: 'ArrowDown', key: 'ArrowDown' }));
    window.dispatchEvent(new KeyboardEvent('keyup', { code: 'ArrowRight', key: 'ArrowRight' }));
    window.dispatchEvent(new KeyboardEvent('keyup', { code: 'ArrowDown', key: 'ArrowDown' }));
    expect(client.sentOf('sim/action')).toEqual([
      { type: 'sim/action', jobId, action: [1, 0] },
      { type: 'sim/action', jobId, action: [1, -1] },
      { type: 'sim/action', jobId, action: [0, -1] },
      { type: 'sim/action', jobId, action: [0, 0] },
    ]);
    wrapper.unmount();
  });
});

describe('App', () => {
  it('shows the nav, the engine status and a dismissible banner', async () => {
    const pinia = createPinia();
    setActivePinia(pinia);
    const client = new FakeLabClient();
    useEngineStore().attach(client);
    const wrapper = mount(App, { global: { plugins: [pinia], stubs } });
    expect(wrapper.findAll('nav a').map((a) => a.text())).toEqual(['Environments', 'Experiments']);
    expect(wrapper.get('[data-testid="connection-state"]').text()).toContain('Connecting');

    client.setState('open');
    client.emit(ENGINE_INFO);
    client.emit({ type: 'error', message: 'unknown request type' });
    await nextTick();
    expect(wrapper.get('[data-testid="backend-readout"]').text()).toBe('wasm');
    expect(wrapper.get('[data-testid="host-readout"]').text()).toBe('node-child');
    expect(wrapper.get('[data-testid="notice-banner"]').text()).toContain('unknown request type');
    await wrapper.get('[data-testid="notice-banner"] button').trigger('click');
    expect(wrapper.find('[data-testid="notice-banner"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
