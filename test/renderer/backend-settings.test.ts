// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { Pinia } from 'pinia';
import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import type { EngineEvent } from '@protocol';
import StatusBar from '../../src-renderer/src/components/StatusBar.vue';
import { useEngineStore } from '../../src-renderer/src/stores/engine';
import { ENGINE_INFO, FakeLabClient, attachFakeClient } from './fake-lab-client';

/** engine/info as an engine that measured its backends sends it. */
const MEASURED: EngineEvent = {
  ...(ENGINE_INFO as Extract<EngineEvent, { type: 'engine/info' }>),
  provider: 'wasm',
  device: 'wasm (SIMD, 1 thread)',
  backendSource: 'benchmark',
  backendSetting: 'auto',
  backendOptions: [
    { provider: 'tfjs-node-gpu', note: 'not installed' },
    { provider: 'webgpu', note: 'only a software adapter (SwiftShader driver 5.0.0); used only when asked for by name' },
    { provider: 'tfjs-node', note: 'installed without its native library' },
    { provider: 'wasm', ms: 16.8 },
    { provider: 'cpu', ms: 280 },
  ],
};

describe('status bar backend and its settings', () => {
  let pinia: Pinia;
  let client: FakeLabClient;
  beforeEach(() => {
    ({ pinia, client } = attachFakeClient());
    document.body.innerHTML = '';
  });
  const mountBar = () => mount(StatusBar, { global: { plugins: [pinia] }, attachTo: document.body });
  const byTestId = (id: string) => document.querySelector<HTMLElement>(`[data-testid="${id}"]`);

  it('shows the backend with its device', async () => {
    const wrapper = mountBar();
    client.open();
    client.emit(MEASURED);
    await nextTick();
    expect(wrapper.get('[data-testid="backend-readout"]').text()).toBe('wasm');
    expect(wrapper.get('[data-testid="backend-device"]').text()).toBe('wasm (SIMD, 1 thread)');
    wrapper.unmount();
  });

  it('lists every backend with its time or reason, and asks the engine to switch', async () => {
    const wrapper = mountBar();
    client.open();
    client.emit(MEASURED);
    await nextTick();
    await wrapper.get('[data-testid="backend-button"]').trigger('click');
    const panel = byTestId('backend-settings')!;
    expect(panel).not.toBeNull();
    expect(byTestId('backend-now')!.textContent).toMatch(/In use: wasm on wasm \(SIMD, 1 thread\)\s+\(measured fastest at start\)/);
    const rows = [...panel.querySelectorAll('.option')].map((r) => [...r.querySelectorAll('.name, .ms, .note')].map((e) => e.textContent!.trim()).join(' '));
    expect(rows).toEqual([
      'Automatic',
      'CUDA (tfjs-node-gpu) not installed',
      'WebGPU (Dawn) only a software adapter (SwiftShader driver 5.0.0); used only when asked for by name',
      'TensorFlow CPU (tfjs-node) installed without its native library',
      'WebAssembly 16.8 ms',
      'JavaScript 280.0 ms',
    ]);
    // The bars compare speeds: the fastest is full width.
    const bars = [...panel.querySelectorAll<HTMLElement>('.bar')].map((b) => b.style.width);
    expect(bars).toEqual(['100.0%', '6.0%']);
    const apply = byTestId('backend-apply') as HTMLButtonElement;
    expect(apply.disabled).toBe(true);

    (byTestId('backend-option-webgpu') as HTMLInputElement).click();
    await nextTick();
    expect(apply.disabled).toBe(false);
    apply.click();
    await nextTick();
    expect(client.sentOf('engine/set-backend')).toEqual([{ type: 'engine/set-backend', backend: 'webgpu' }]);
    expect(byTestId('backend-pending')).not.toBeNull();
    expect(useEngineStore().backendPending).toBe(true);

    // The engine refuses (a job runs): the banner says why and the panel is usable again.
    client.emit({ type: 'error', message: 'engine/set-backend: 1 job(s) running; stop them first (the backend was not changed)' });
    await nextTick();
    expect(useEngineStore().notice?.message).toMatch(/stop them first/);
    expect(byTestId('backend-pending')).toBeNull();

    // Back to automatic, measuring again; the engine answers with new info.
    (byTestId('backend-option-auto') as HTMLInputElement).click();
    await nextTick();
    (byTestId('backend-remeasure') as HTMLButtonElement).click();
    expect(client.sentOf('engine/set-backend').at(-1)).toEqual({ type: 'engine/set-backend', backend: 'auto', remeasure: true });
    client.emit({ ...MEASURED, provider: 'cpu', backend: 'cpu', device: 'JavaScript (1 thread)', backendSource: 'setting', backendSetting: 'cpu' } as EngineEvent);
    await nextTick();
    expect(wrapper.get('[data-testid="backend-device"]').text()).toBe('JavaScript (1 thread)');
    expect((byTestId('backend-option-cpu') as HTMLInputElement).checked).toBe(true);
    byTestId('backend-settings-close')!.click();
    await nextTick();
    expect(byTestId('backend-settings')).toBeNull();
    wrapper.unmount();
  });
});
