// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import type { DatasetSummaryMessage, EngineEvent } from '@protocol';
import { fieldSeries, plotFields, rowOf, useDatasetsStore } from '../../src-renderer/src/stores/datasets';
import DatasetsView from '../../src-renderer/src/views/DatasetsView.vue';
import { attachFakeClient } from './fake-lab-client';

const SUMMARY: DatasetSummaryMessage = {
  format: 'robomimic',
  path: '/data/demo.hdf5',
  episodes: [
    { index: 0, name: 'demo_0', length: 3 },
    { index: 1, name: 'demo_1', length: 2 },
  ],
  steps: 5,
  arrays: { 'data/demo_0/actions': { shape: [3, 2], dtype: 'float64' }, 'data/demo_0/obs/agentview_image': { shape: [3, 8, 8, 3], dtype: 'uint8' } },
  fields: {
    actions: { shape: [2], dtype: 'float64', rows: 'steps' },
    'obs/eef_pos': { shape: [3], dtype: 'float64', rows: 'steps' },
    'obs/agentview_image': { shape: [8, 8, 3], dtype: 'uint8', rows: 'steps' },
    rewards: { shape: [], dtype: 'float64', rows: 'steps' },
  },
  roles: { observation: ['obs/eef_pos'], action: 'actions', reward: 'rewards' },
  attributes: {},
  warnings: ['data/demo_1: attribute num_samples = 3, actions has 2 rows'],
};

const summaryEvent = (datasetId = 'ds1', summary = SUMMARY): EngineEvent => ({ type: 'dataset/summary', datasetId, summary });
const episodeEvent = (episode: number, datasetId = 'ds1'): EngineEvent => ({
  type: 'dataset/episode',
  datasetId,
  episode,
  start: 0,
  fields: [
    { name: 'obs/eef_pos', shape: [3, 3], dtype: 'float64', data: Float32Array.from([0, 1, 2, 10, 11, 12, 20, 21, 22]) },
    { name: 'actions', shape: [3, 2], dtype: 'float64', data: Float32Array.from([0.1, -0.1, 0.2, -0.2, 0.3, -0.3]) },
  ],
});

function setup() {
  const { client, engine, pinia } = attachFakeClient();
  const ds = useDatasetsStore();
  client.open();
  client.sent.length = 0;
  return { client, engine, ds, pinia };
}

describe('datasets store', () => {
  it('plots the state and action fields (no images), one series per dimension plus the step marker', () => {
    expect(plotFields(SUMMARY)).toEqual(['obs/eef_pos', 'actions']);
    expect(plotFields({ ...SUMMARY, roles: {} })).toEqual(['actions', 'obs/eef_pos', 'rewards']);
    const field = { name: 'obs/eef_pos', shape: [3, 3], dtype: 'float64', data: Float32Array.from([0, 1, 2, 10, 11, 12, 20, 21, 22]) };
    expect(rowOf(field, 1)).toEqual([10, 11, 12]);
    expect(rowOf(field, 3)).toEqual([]);
    const series = fieldSeries(field, 5, 6);
    expect(series.map((s) => s.id)).toEqual(['obs/eef_pos[0]', 'obs/eef_pos[1]', 'obs/eef_pos[2]', 'marker']);
    expect(series[1].points).toEqual([[5, 1], [6, 11], [7, 21]]);
    expect(series[3]).toMatchObject({ points: [[6, 0], [6, 22]], legend: false });
  });

  it('opens a path, shows the summary, asks for the first episode and scrubs it', () => {
    const { client, ds } = setup();
    ds.path = '  /data/demo.hdf5 ';
    expect(ds.open()).toBe(true);
    expect(client.sentOf('dataset/open')).toEqual([{ type: 'dataset/open', path: '/data/demo.hdf5' }]);
    expect(ds.opening).toBe('/data/demo.hdf5');

    client.emit(summaryEvent());
    expect(ds.opening).toBe('');
    expect(ds.summary?.steps).toBe(5);
    expect(ds.selected).toBe(0);
    expect(client.sentOf('dataset/episode')).toEqual([{ type: 'dataset/episode', datasetId: 'ds1', episode: 0, fields: ['obs/eef_pos', 'actions'] }]);
    expect(ds.loadingEpisode).toBe(true);

    client.emit(episodeEvent(0));
    expect(ds.loadingEpisode).toBe(false);
    expect(ds.stepCount).toBe(3);
    expect(ds.valuesAtStep).toEqual([
      { name: 'obs/eef_pos', values: [0, 1, 2] },
      { name: 'actions', values: [expect.closeTo(0.1, 6), expect.closeTo(-0.1, 6)] },
    ]);
    ds.setStep(2);
    expect(ds.valuesAtStep[0].values).toEqual([20, 21, 22]);
    ds.setStep(99);
    expect(ds.step).toBe(2);

    // Another episode: a stale reply for the old one is ignored.
    ds.selectEpisode(1);
    expect(ds.step).toBe(0);
    expect(client.sentOf('dataset/episode').at(-1)).toMatchObject({ episode: 1 });
    client.emit(episodeEvent(0));
    expect(ds.episode).toBeNull();
    client.emit(episodeEvent(1));
    expect(ds.episode?.episode).toBe(1);
  });

  it('shows an open error in the banner and stops waiting; a later open replaces and closes the previous dataset', () => {
    const { client, ds, engine } = setup();
    ds.open('/data/demo.hdf5');
    client.emit(summaryEvent('ds1'));
    ds.open('/data/broken.hdf5');
    client.emit({ type: 'error', message: 'dataset/open: /data/broken.hdf5: not an HDF5 file' });
    expect(ds.opening).toBe('');
    expect(engine.notice?.message).toMatch(/broken\.hdf5/);
    expect(ds.datasetId).toBe('ds1');

    ds.open('/data/other.hdf5');
    client.emit(summaryEvent('ds2'));
    expect(client.sentOf('dataset/close')).toEqual([{ type: 'dataset/close', datasetId: 'ds1' }]);
    expect(ds.datasetId).toBe('ds2');
    // The successful open clears the earlier open error.
    expect(engine.notice).toBeNull();
  });

  it('forgets the dataset when the link drops, and reports opening while disconnected', () => {
    const { client, ds, engine } = setup();
    ds.open('/data/demo.hdf5');
    client.emit(summaryEvent());
    client.setState('connecting');
    expect(ds.summary).toBeNull();
    expect(ds.datasetId).toBeNull();
    expect(ds.open('/data/demo.hdf5')).toBe(false);
    expect(engine.notice?.message).toMatch(/Not connected/);
  });

  it('renders the summary, episode list, charts and the scrub slider', async () => {
    const { client, ds, pinia } = setup();
    const wrapper = mount(DatasetsView, { global: { plugins: [pinia] }, attachTo: document.body });
    await wrapper.get('[data-testid="dataset-path"]').setValue('/data/demo.hdf5');
    await wrapper.get('form').trigger('submit');
    expect(client.sentOf('dataset/open')).toHaveLength(1);
    client.emit(summaryEvent());
    client.emit(episodeEvent(0));
    await nextTick();
    expect(wrapper.get('[data-testid="dataset-summary"]').text()).toContain('robomimic');
    expect(wrapper.get('[data-testid="dataset-summary"]').text()).toContain('(3, 8, 8, 3)');
    expect(wrapper.get('[data-testid="dataset-warnings"]').text()).toContain('num_samples');
    expect(wrapper.findAll('[data-testid="dataset-episodes"] li').map((li) => li.text())).toEqual(['demo_03 steps', 'demo_12 steps']);
    const chart = wrapper.get('[data-testid="dataset-chart-obs/eef_pos"]');
    expect(Number(chart.attributes('data-points'))).toBe(3 * 3 + 2);
    await wrapper.get('[data-testid="dataset-scrub"]').setValue('2');
    expect(ds.step).toBe(2);
    await nextTick();
    expect(wrapper.get('[data-testid="dataset-values"]').text()).toContain('20  21  22');
    expect(wrapper.get('[data-testid="dataset-step"]').text()).toBe('step 2 / 2');
    await wrapper.findAll('[data-testid="dataset-episodes"] button')[1].trigger('click');
    expect(client.sentOf('dataset/episode').at(-1)).toMatchObject({ episode: 1 });
    wrapper.unmount();
  });
});
