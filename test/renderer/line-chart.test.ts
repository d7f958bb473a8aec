// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import LineChart from '../../src-renderer/src/components/LineChart.vue';
import ProgressBar from '../../src-renderer/src/components/ProgressBar.vue';
import { extent, formatDuration, formatTick, logBounds, logTicks, niceTicks } from '../../src-renderer/src/components/chart';

describe('chart scales', () => {
  it('picks nice linear ticks that cover the range', () => {
    expect(niceTicks(0, 10, 5)).toEqual([0, 2, 4, 6, 8, 10]);
    expect(niceTicks(-1700, -1625, 3)).toEqual([-1700, -1675, -1650, -1625]);
    expect(niceTicks(0.12, 0.5, 4)).toEqual([0.2, 0.3, 0.4, 0.5]);
    expect(niceTicks(3, 3, 4).length).toBeGreaterThan(1);
    expect(niceTicks(NaN, 1)).toEqual([]);
  });

  it('puts log ticks at 1-2-5 steps, widening bounds so there are always two', () => {
    expect(logTicks(0.1, 10)).toEqual([0.1, 0.2, 0.5, 1, 2, 5, 10]);
    expect(logTicks(0.01, 10)).toEqual([0.01, 0.1, 1, 10]);
    expect(logTicks(1e-4, 1e4)).toEqual([1e-4, 1e-2, 1, 100, 1e4]);
    expect(logBounds(0.52, 1.8)).toEqual([0.5, 2]);
    expect(logBounds(1, 1)).toEqual([1, 2]);
    expect(logTicks(...logBounds(0.52, 1.8))).toEqual([0.5, 1, 2]);
  });

  it('formats ticks and durations compactly', () => {
    expect(formatTick(-1625)).toBe('-1625');
    expect(formatTick(25000)).toBe('25k');
    expect(formatTick(0.0001)).toBe('1e-4');
    expect(formatTick(0.00025)).toBe('2.5e-4');
    expect(formatTick(0.25)).toBe('0.25');
    expect(formatDuration(75.4)).toBe('1:15');
    expect(formatDuration(3725)).toBe('1:02:05');
  });

  it('finds the extent of finite points, skipping y ≤ 0 on a log axis', () => {
    const s = [{ id: 'a', label: 'a', color: '#fff', points: [[0, 1], [1, NaN], [2, -3], [3, 0]] as const }];
    expect(extent(s)).toEqual([0, 3, -3, 1]);
    expect(extent(s, true)).toEqual([0, 0, 1, 1]);
    expect(extent([])).toBeNull();
  });
});

describe('LineChart', () => {
  const series = [
    { id: 'random', label: 'random policy', color: '#888', points: [[0, -1700]] as const },
    { id: 'mpc', label: 'MPC', color: '#5ab0ff', points: [[1, -1650], [2, -1600], [3, -1500]] as const },
  ];

  it('plots every point of every series and says how many', () => {
    const wrapper = mount(LineChart, { props: { series, title: 'Return per episode', xInteger: true } });
    expect(wrapper.attributes('data-points')).toBe('4');
    expect(wrapper.findAll('circle')).toHaveLength(4);
    expect(wrapper.findAll('path')).toHaveLength(1);
    expect(wrapper.findAll('.legend li').map((li) => li.text())).toEqual(['random policy', 'MPC']);
    expect(wrapper.find('figcaption').text()).toContain('Return per episode');
    // Whole-number x ticks only.
    const xLabels = wrapper.findAll('.ticks text').map((t) => Number(t.text()));
    expect(xLabels.every((v) => Number.isFinite(v))).toBe(true);
  });

  it('skips points a log axis cannot show and shows an empty message without data', async () => {
    const wrapper = mount(LineChart, {
      props: { series: [{ id: 'loss', label: 'train', color: '#fff', points: [[1, 1], [2, 0.1], [3, 0], [4, 0.01]] as const, dots: true }], title: 'Loss', logY: true },
    });
    expect(wrapper.attributes('data-points')).toBe('3');
    expect(wrapper.find('.note').text()).toBe('log scale');
    const yLabels = wrapper.findAll('.ticks text').map((t) => t.text());
    expect(yLabels).toEqual(expect.arrayContaining(['0.01', '0.1', '1']));
    await wrapper.setProps({ series: [], emptyText: 'nothing yet' });
    expect(wrapper.attributes('data-points')).toBe('0');
    expect(wrapper.find('.empty').text()).toBe('nothing yet');
  });
});

describe('ProgressBar', () => {
  it('shows the share done and the ETA, with the raw units as attributes', () => {
    const wrapper = mount(ProgressBar, { props: { done: 150, total: 600, etaSeconds: 95, state: 'running' } });
    expect(wrapper.attributes('data-done')).toBe('150');
    expect(wrapper.attributes('data-total')).toBe('600');
    expect(wrapper.find('.pct').text()).toBe('25%');
    expect(wrapper.find('.eta').text()).toBe('ETA 1:35');
    expect(wrapper.find('.fill').attributes('style')).toContain('width: 25%');
  });

  it('uses an explicit fraction (several runs) and says when it is over', async () => {
    const wrapper = mount(ProgressBar, { props: { done: 50, total: 100, fraction: 0.5 / 3, etaSeconds: null, state: 'running' } });
    expect(wrapper.find('.pct').text()).toBe('16%');
    expect(wrapper.find('.eta').text()).toBe('ETA …');
    await wrapper.setProps({ state: 'done' });
    expect(wrapper.find('.eta').text()).toBe('done');
  });
});
