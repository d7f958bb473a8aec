// @vitest-environment happy-dom
import { describe, expect, it, vi } from 'vitest';
import { createPinia, setActivePinia } from 'pinia';
import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import SceneViewport from '../../src-renderer/src/components/SceneViewport.vue';

describe('SceneViewport', () => {
  it('explains instead of failing when WebGL is unavailable', async () => {
    vi.spyOn(console, 'error').mockImplementation(() => undefined);
    const pinia = createPinia();
    setActivePinia(pinia);
    const wrapper = mount(SceneViewport, { global: { plugins: [pinia] } });
    await nextTick();
    expect(wrapper.get('[data-testid="viewport"]').text()).toContain('3D view unavailable');
    expect(() => wrapper.unmount()).not.toThrow();
    vi.restoreAllMocks();
  });
});
