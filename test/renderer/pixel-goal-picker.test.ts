// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import PixelGoalPicker, { type PixelGoal } from '../../src-renderer/src/components/PixelGoalPicker.vue';

const FRAME = { width: 64, height: 64, rgb: new Uint8Array(64 * 64 * 3) };

function mountPicker(modelValue: PixelGoal[] = []) {
  const wrapper = mount(PixelGoalPicker, { props: { frame: FRAME, modelValue, size: 320 } });
  const box = wrapper.get('[data-testid="pixel-picker"]');
  (box.element as HTMLElement).getBoundingClientRect = () => ({ left: 0, top: 0, width: 320, height: 320, right: 320, bottom: 320, x: 0, y: 0, toJSON: () => ({}) });
  return { wrapper, box };
}

describe('PixelGoalPicker', () => {
  it('places a designated pixel, then its goal, then a new pair', async () => {
    const { wrapper, box } = mountPicker();
    await box.trigger('click', { clientX: 50, clientY: 100 });
    const first = wrapper.emitted('update:modelValue')![0][0] as PixelGoal[];
    expect(first).toEqual([{ designated: [10, 20], goal: null }]);
    await wrapper.setProps({ modelValue: first });
    expect(wrapper.text()).toContain('Click where that pixel should go.');
    await box.trigger('click', { clientX: 150, clientY: 100 });
    const second = wrapper.emitted('update:modelValue')![1][0] as PixelGoal[];
    expect(second).toEqual([{ designated: [10, 20], goal: [30, 20] }]);
    await wrapper.setProps({ modelValue: second });
    expect(wrapper.find('[data-testid="goal-0"]').exists()).toBe(true);
    await box.trigger('click', { clientX: 5, clientY: 5 });
    expect(wrapper.emitted('update:modelValue')![2][0]).toEqual([...second, { designated: [1, 1], goal: null }]);
  });

  it('drags a goal marker to a new pixel', async () => {
    const { wrapper, box } = mountPicker([{ designated: [10, 20], goal: [30, 20] }]);
    await wrapper.get('[data-testid="goal-0"]').trigger('pointerdown', { clientX: 150, clientY: 100, pointerId: 1 });
    await box.trigger('pointermove', { clientX: 200, clientY: 250, pointerId: 1 });
    await box.trigger('pointerup', { pointerId: 1 });
    expect(wrapper.emitted('update:modelValue')![0][0]).toEqual([{ designated: [10, 20], goal: [40, 50] }]);
  });

  it('places nothing without a frame or when disabled, and clears', async () => {
    const { wrapper, box } = mountPicker([{ designated: [1, 1], goal: [2, 2] }]);
    await wrapper.setProps({ disabled: true });
    await box.trigger('click', { clientX: 50, clientY: 50 });
    expect(wrapper.emitted('update:modelValue')).toBeUndefined();
    await wrapper.setProps({ disabled: false });
    await wrapper.get('button').trigger('click');
    expect(wrapper.emitted('update:modelValue')![0][0]).toEqual([]);
  });
});
