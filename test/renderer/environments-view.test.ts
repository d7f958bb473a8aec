// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { Pinia } from 'pinia';
import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import EnvironmentsView from '../../src-renderer/src/views/EnvironmentsView.vue';
import App from '../../src-renderer/src/App.vue';
import { useSimulationStore } from '../../src-renderer/src/stores/simulation';
import { CARTPOLE, ENGINE_INFO, FakeLabClient, REACHER, attachFakeClient, frame } from './fake-lab-client';
import { textOf } from './dom';

// WebGL is not available in happy-dom: the 3D viewport is stubbed out.
const stubs = { SceneViewport: { template: '<div data-testid="viewport"><canvas /></div>' } };

describe('EnvironmentsView', () => {
  let pinia: Pinia;
  let client: FakeLabClient;
  beforeEach(() => {
    ({ pinia, client } = attachFakeClient());
  });

  const mountView = () => mount(EnvironmentsView, { global: { plugins: [pinia], stubs }, attachTo: document.body });

  it('disables Run until connected and lists the tasks', async () => {
    const wrapper = mountView();
    expect(wrapper.find('h1').text()).toBe('Environments');
    const run = wrapper.get('[data-testid="run-button"]');
    expect(run.attributes('disabled')).toBeDefined();

    client.open([CARTPOLE, REACHER]);
    await nextTick();
    const options = wrapper.findAll('[data-testid="task-select"] option');
    expect(options.map((o) => o.text())).toEqual(['Cart-pole', 'Reacher']);
    expect(run.attributes('disabled')).toBeUndefined();
    expect(wrapper.find('[data-testid="viewport"] canvas').exists()).toBe(true);
    wrapper.unmount();
  });

  it('runs the chosen task and shows the live readouts', async () => {
    const wrapper = mountView();
    client.open([CARTPOLE, REACHER]);
    await nextTick();
    await wrapper.get('[data-testid="task-select"]').setValue('reacher');
    await wrapper.get('[data-testid="seed-input"]').setValue('42');
    await wrapper.get('[data-testid="run-button"]').trigger('click');
    const [start] = client.sentOf('job/start');
    expect(start.spec).toMatchObject({ kind: 'sim', task: 'reacher', seed: 42, policy: 'random' });

    client.emit(frame(start.jobId, { step: 17, return: 3.5 }));
    client.emit(frame(start.jobId, { step: 18, return: 4.25 }));
    await nextTick();
    expect(textOf(wrapper, 'step-readout')).toBe('18');
    expect(textOf(wrapper, 'return-readout')).toBe('4.25');
    expect(textOf(wrapper, 'frame-count')).toBe('2');

    await wrapper.get('[data-testid="pause-button"]').trigger('click');
    expect(textOf(wrapper, 'pause-button')).toBe('Resume');
    await wrapper.get('[data-testid="reset-button"]').trigger('click');
    expect(client.sentOf('sim/command').map((c) => c.command)).toEqual(['pause', 'reset']);
    wrapper.unmount();
  });

  it('drives a keyboard job with the arrow keys and shows the key hint', async () => {
    const wrapper = mountView();
    client.open([REACHER]);
    await nextTick();
    await wrapper.get('[data-testid="policy-select"]').setValue('keyboard');
    expect(textOf(wrapper, 'keyboard-hint')).toContain('shoulder');
    expect(textOf(wrapper, 'keyboard-hint')).toContain('elbow');
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
    const { pinia, client } = attachFakeClient();
    const wrapper = mount(App, { global: { plugins: [pinia], stubs } });
    expect(wrapper.findAll('nav a').map((a) => a.text())).toEqual(['Environments', 'Experiments', 'Datasets', 'Latent space', 'Visual foresight']);
    expect(textOf(wrapper, 'connection-state')).toContain('Connecting');

    client.setState('open');
    client.emit(ENGINE_INFO);
    client.emit({ type: 'error', message: 'unknown request type' });
    await nextTick();
    expect(textOf(wrapper, 'backend-readout')).toBe('wasm');
    expect(textOf(wrapper, 'host-readout')).toBe('node-child');
    expect(textOf(wrapper, 'notice-banner')).toContain('unknown request type');
    await wrapper.get('[data-testid="notice-banner"] button').trigger('click');
    expect(wrapper.find('[data-testid="notice-banner"]').exists()).toBe(false);
    wrapper.unmount();
  });
});
