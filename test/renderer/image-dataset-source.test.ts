// @vitest-environment happy-dom
/**
 * The "dataset file" source of the Latent space and Visual foresight views: the picker opens a
 * dataset in the Datasets store and chooses its image array; the stores send valid job specs with
 * `data` (no collection, no control; foresight's start frame and recorded-action prediction); a
 * model trained on one source does not plan on another.
 */
import { describe, expect, it } from 'vitest';
import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import { ForesightJobSpec, LatentJobSpec, type DatasetSummaryMessage } from '@protocol';
import { useDatasetsStore } from '../../src-renderer/src/stores/datasets';
import { DEFAULT_LATENT_SETTINGS, latentJobSpec, useLatentStore } from '../../src-renderer/src/stores/latent';
import { DEFAULT_FORESIGHT_SETTINGS, foresightJobSpec, useForesightStore } from '../../src-renderer/src/stores/foresight';
import { imageDatasetSource } from '../../src-renderer/src/stores/image-dataset-source';
import ImageDatasetPicker from '../../src-renderer/src/components/ImageDatasetPicker.vue';
import { attachFakeClient } from './fake-lab-client';

const SUMMARY: DatasetSummaryMessage = {
  format: 'robomimic',
  path: '/data/square.hdf5',
  episodes: [
    { index: 0, name: 'demo_0', length: 8 },
    { index: 1, name: 'demo_1', length: 6 },
  ],
  steps: 14,
  arrays: {},
  fields: {
    actions: { shape: [2], dtype: 'float32', rows: 'steps' },
    'obs/state': { shape: [2], dtype: 'float32', rows: 'steps' },
    'obs/top_image': { shape: [16, 16, 3], dtype: 'uint8', rows: 'steps' },
    'next_obs/top_image': { shape: [16, 16, 3], dtype: 'uint8', rows: 'steps' },
  },
  roles: { observation: ['obs/state'], action: 'actions' },
  attributes: {},
  warnings: [],
};
const data = { dataset: '/data/square.hdf5', imageKey: 'obs/top_image' };

function setup() {
  const { client } = attachFakeClient();
  client.open([]);
  return { client, ds: useDatasetsStore() };
}

describe('image dataset source', () => {
  it('names the open dataset and an image array of it, else nothing', () => {
    expect(imageDatasetSource(SUMMARY, 'obs/top_image', ['obs/top_image'])).toEqual(data);
    expect(imageDatasetSource(SUMMARY, 'obs/state', ['obs/top_image'])).toBeNull();
    expect(imageDatasetSource(null, 'obs/top_image', ['obs/top_image'])).toBeNull();
    // Only the first episodes, when asked (0: all).
    expect(imageDatasetSource(SUMMARY, 'obs/top_image', ['obs/top_image'], 3)).toEqual({ ...data, maxEpisodes: 3 });
    expect(LatentJobSpec.parse(latentJobSpec(DEFAULT_LATENT_SETTINGS, { ...data, maxEpisodes: 3 })).data?.maxEpisodes).toBe(3);
  });

  it('builds latent specs that train on the dataset at the chosen size, without collecting or control', () => {
    const spec = latentJobSpec({ ...DEFAULT_LATENT_SETTINGS, source: 'dataset', imageSize: 16, controlEpisodes: 2 }, data);
    expect(LatentJobSpec.parse(spec)).toMatchObject({ data, image: { width: 16, height: 16 } });
    expect(spec.collect).toBeUndefined();
    expect(spec.plan).toBeUndefined();
  });

  it('builds foresight specs on a dataset: start frame, training without collect, recorded-action prediction, a plan tracked by the model', () => {
    const s = { ...DEFAULT_FORESIGHT_SETTINGS, source: 'dataset' as const, episode: 1, step: 3, tracking: 'simulator' as const };
    const pairs = [{ designated: [3, 4] as [number, number], goal: [9, 9] as [number, number] }, { designated: [5, 5] as [number, number], goal: null }];
    const frame = ForesightJobSpec.parse(foresightJobSpec(s, { kind: 'frame' }, data));
    expect(frame).toMatchObject({ data, start: { episode: 1, step: 3 } });
    const train = ForesightJobSpec.parse(foresightJobSpec(s, { kind: 'train' }, data));
    expect(train.train?.collect).toBeUndefined();
    const predict = ForesightJobSpec.parse(foresightJobSpec(s, { kind: 'predict', runId: 'r', pairs }, data));
    expect(predict.predict).toEqual({ horizon: s.horizon, designated: [{ x: 3, y: 4 }, { x: 5, y: 5 }] });
    const plan = ForesightJobSpec.parse(foresightJobSpec(s, { kind: 'plan', runId: 'r', pairs }, data));
    expect(plan.plan?.tracking).toBe('model');
  });

  it('the picker opens a path and picks the first image array; the stores follow the open dataset', async () => {
    const { client, ds } = setup();
    const wrapper = mount({ components: { ImageDatasetPicker }, data: () => ({ key: '' }), template: '<ImageDatasetPicker v-model:image-key="key" :frame-size="32" />' });
    await wrapper.get('[data-testid="image-dataset-path"]').setValue('/data/square.hdf5');
    await wrapper.get('[data-testid="image-dataset-open"]').trigger('click');
    expect(client.sentOf('dataset/open')[0].path).toBe('/data/square.hdf5');
    client.emit({ type: 'dataset/summary', datasetId: 'd1', summary: SUMMARY });
    await nextTick();
    await nextTick();
    expect(wrapper.get('[data-testid="image-dataset-summary"]').text()).toContain('square.hdf5 · robomimic · 2 episodes');
    const options = wrapper.findAll('[data-testid="image-dataset-key"] option').map((o) => o.attributes('value'));
    expect(options).toEqual(['obs/top_image', 'next_obs/top_image']);
    expect((wrapper.vm as unknown as { key: string }).key).toBe('obs/top_image');

    const latent = useLatentStore();
    latent.settings.source = 'dataset';
    expect(latent.canStart).toBe(false);
    latent.settings.imageKey = 'obs/top_image';
    expect(latent.datasetSource).toEqual(data);
    expect(latent.start()).toBe(true);
    const req = client.sentOf('job/start')[0];
    expect(req.spec).toMatchObject({ kind: 'latent', data });
    client.emit({ type: 'latent/collected', jobId: req.jobId, episodes: 2, transitions: 14, imageShape: [32, 32, 3], stateNames: ['obs/state[0]', 'obs/state[1]'] });
    expect(latent.stateNames).toEqual(['obs/state[0]', 'obs/state[1]']);
    expect(ds.summary?.path).toBe('/data/square.hdf5');
  });

  it('foresight: trains on the dataset, predicts under the recorded actions, and refuses to plan with a model of other frames', () => {
    const { client } = setup();
    client.emit({ type: 'dataset/summary', datasetId: 'd1', summary: SUMMARY });
    const fs = useForesightStore();
    fs.settings.source = 'dataset';
    fs.settings.imageKey = 'obs/top_image';
    fs.settings.imageSize = 16;
    expect(fs.loadFrame()).toBe(true);
    const frameReq = client.sentOf('job/start')[0];
    client.emit({ type: 'foresight/frame', jobId: frameReq.jobId, task: 'recorded-dataset', seed: 1000, size: 16, frame: new Uint8Array(16 * 16 * 3) });
    client.emit({ type: 'job/done', jobId: frameReq.jobId });
    expect(fs.readyToPredict).toBe(false);
    expect(fs.train()).toBe(true);
    const trainReq = client.sentOf('job/start')[1];
    expect(trainReq.spec).toMatchObject({ data, train: {} });
    client.emit({ type: 'job/run-folder', jobId: trainReq.jobId, runId: 'run-d', path: '/runs/run-d' });
    client.emit({ type: 'job/done', jobId: trainReq.jobId });
    expect(fs.trainedOn).toBe('/data/square.hdf5#obs/top_image');
    expect(fs.readyToPredict).toBe(true);
    expect(fs.predict()).toBe(true);
    expect(client.sentOf('job/start')[2].spec).toMatchObject({ from: 'run-d', data, predict: { designated: [] } });
    client.emit({ type: 'job/done', jobId: client.sentOf('job/start')[2].jobId });
    // Back to the task: this model learned other frames.
    fs.settings.source = 'task';
    fs.pairs = [{ designated: [1, 1], goal: [2, 2] }];
    expect(fs.readyToRun).toBe(false);
  });
});
