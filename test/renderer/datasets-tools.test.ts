// @vitest-environment happy-dom
/**
 * The Datasets view's tools in the store and components: image frames (requests that follow the
 * scrub, RGBA conversion), 3D replay (a named task replayed at once, a width match confirmed),
 * chunked uploads, export, and training with the open-loop prediction charts.
 */
import { afterEach, describe, expect, it, vi } from 'vitest';
import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import type { DatasetSummaryMessage, EngineEvent } from '@protocol';
import { frameToRgba, imageFields, UPLOAD_CHUNK, useDatasetsStore } from '../../src-renderer/src/stores/datasets';
import { predictionSeries, useDatasetTrainingStore, type DatasetPrediction } from '../../src-renderer/src/stores/dataset-training';
import DatasetTrainPanel from '../../src-renderer/src/components/datasets/DatasetTrainPanel.vue';
import DatasetReplayPanel from '../../src-renderer/src/components/datasets/DatasetReplayPanel.vue';
import DatasetExportPanel from '../../src-renderer/src/components/datasets/DatasetExportPanel.vue';
import DatasetsView from '../../src-renderer/src/views/DatasetsView.vue';
import { attachFakeClient, CARTPOLE, PENDULUM } from './fake-lab-client';

const SUMMARY: DatasetSummaryMessage = {
  format: 'robomimic',
  path: '/data/run.hdf5',
  episodes: [{ index: 0, name: 'demo_0', length: 4 }],
  steps: 4,
  arrays: {},
  fields: {
    actions: { shape: [1], dtype: 'float32', rows: 'steps' },
    'obs/state': { shape: [3], dtype: 'float32', rows: 'steps' },
    'obs/agentview_image': { shape: [2, 2, 3], dtype: 'uint8', rows: 'steps' },
  },
  roles: { observation: ['obs/state'], action: 'actions' },
  attributes: { env_args: { env_name: 'pendulum' } },
  warnings: [],
};

function setup(summary = SUMMARY) {
  const { client, engine, pinia } = attachFakeClient();
  client.open([CARTPOLE, PENDULUM]);
  const ds = useDatasetsStore();
  ds.open('/data/run.hdf5');
  client.emit({ type: 'dataset/summary', datasetId: 'ds1', summary });
  return { client, engine, pinia, ds };
}

const frame = (step: number): EngineEvent => ({ type: 'dataset/frame', datasetId: 'ds1', episode: 0, field: 'obs/agentview_image', step, height: 2, width: 2, channels: 3, data: Uint8Array.from({ length: 12 }, (_, i) => i + step) });

describe('image frames', () => {
  it('finds image fields and converts gray, RGB and RGBA bytes to RGBA', () => {
    expect(imageFields(SUMMARY)).toEqual(['obs/agentview_image']);
    expect(Array.from(frameToRgba(Uint8Array.from([1, 2, 3, 4, 5, 6]), 2, 1, 3))).toEqual([1, 2, 3, 255, 4, 5, 6, 255]);
    expect(Array.from(frameToRgba(Uint8Array.from([7, 9]), 2, 1, 1))).toEqual([7, 7, 7, 255, 9, 9, 9, 255]);
    expect(Array.from(frameToRgba(Uint8Array.from([1, 2, 3, 4]), 1, 1, 4))).toEqual([1, 2, 3, 4]);
  });

  it('asks for the frame at the scrubbed step, one request at a time, catching up with the newest step', () => {
    const { client, ds } = setup();
    expect(ds.imageField).toBe('obs/agentview_image');
    expect(client.sentOf('dataset/frame')).toEqual([{ type: 'dataset/frame', datasetId: 'ds1', episode: 0, field: 'obs/agentview_image', step: 0 }]);
    ds.setStep(1);
    ds.setStep(3);
    expect(client.sentOf('dataset/frame')).toHaveLength(1);
    client.emit(frame(0));
    expect(ds.getFrame()?.step).toBe(0);
    expect(client.sentOf('dataset/frame').at(-1)).toMatchObject({ step: 3 });
    client.emit(frame(3));
    expect(client.sentOf('dataset/frame')).toHaveLength(2);
    expect(ds.getFrame()?.data[0]).toBe(3);
  });
});

describe('3D replay', () => {
  it('replays at once in the task the dataset names, and slices the poses at the scrubbed step', () => {
    const { client, ds } = setup();
    expect(ds.replayStateWidth).toBe(3);
    expect(ds.suggestedTask).toBe('pendulum');
    expect(client.sentOf('dataset/replay')).toEqual([{ type: 'dataset/replay', datasetId: 'ds1', episode: 0, task: 'pendulum', fields: ['obs/state'] }]);
    const poses = Float32Array.from({ length: 4 * 14 }, (_, i) => i);
    client.emit({ type: 'dataset/replay', datasetId: 'ds1', episode: 0, task: 'pendulum', scene: { task: 'pendulum', bodies: [{ name: 'world' }, { name: 'pole' }], geoms: [], camera: { eye: [0, -2, 1], target: [0, 0, 0] } }, info: PENDULUM, steps: 4, poses });
    expect(ds.replayScene?.task).toBe('pendulum');
    expect(Array.from(ds.getReplayPoses()!)).toEqual(Array.from(poses.subarray(0, 14)));
    const version = ds.replayVersion;
    ds.setStep(2);
    expect(ds.replayVersion).toBeGreaterThan(version);
    expect(ds.getReplayPoses()![0]).toBe(28);
  });

  it('asks the user to confirm a task matched by width only', async () => {
    const { client, ds, pinia } = setup({ ...SUMMARY, attributes: {}, fields: { ...SUMMARY.fields, 'obs/state': { shape: [4], dtype: 'float32', rows: 'steps' } } });
    expect(ds.suggestedTask).toBeNull();
    expect(client.sentOf('dataset/replay')).toEqual([]);
    const wrapper = mount(DatasetReplayPanel, { global: { plugins: [pinia] } });
    expect(wrapper.text()).toContain('4 dimensions');
    await wrapper.get('[data-testid="dataset-replay-confirm"]').trigger('click');
    expect(client.sentOf('dataset/replay')).toEqual([{ type: 'dataset/replay', datasetId: 'ds1', episode: 0, task: 'cartpole', fields: ['obs/state'] }]);
    wrapper.unmount();
  });
});

describe('native dialogs (desktop app)', () => {
  afterEach(() => {
    delete (globalThis as { lab?: unknown }).lab;
  });

  it('offers Choose file/folder instead of the upload, opens the chosen path; the export dialog fills the path', async () => {
    const lab = { chooseDatasetPath: vi.fn(async () => '/data/chosen.hdf5'), chooseExportPath: vi.fn(async () => '/data/out.npz') };
    (globalThis as { lab?: unknown }).lab = lab;
    const { client, pinia } = setup();
    const wrapper = mount(DatasetsView, { global: { plugins: [pinia] } });
    expect(wrapper.find('[data-testid="dataset-upload"]').exists()).toBe(false);
    await wrapper.get('[data-testid="dataset-browse-folder"]').trigger('click');
    await vi.waitFor(() => expect(client.sentOf('dataset/open').at(-1)).toEqual({ type: 'dataset/open', path: '/data/chosen.hdf5' }));
    expect(lab.chooseDatasetPath).toHaveBeenCalledWith('folder');
    wrapper.unmount();

    const exportPanel = mount(DatasetExportPanel, { global: { plugins: [pinia] } });
    await exportPanel.get('[data-testid="export-format"]').setValue('npz');
    await exportPanel.get('[data-testid="export-browse"]').trigger('click');
    await vi.waitFor(() => expect((exportPanel.get('[data-testid="export-path"]').element as HTMLInputElement).value).toBe('/data/out.npz'));
    expect(lab.chooseExportPath).toHaveBeenCalledWith('npz');
    await exportPanel.get('form').trigger('submit');
    expect(client.sentOf('dataset/export').at(-1)).toMatchObject({ to: 'npz', out: '/data/out.npz' });
    exportPanel.unmount();
  });

  it('in a browser, offers the upload and no dialogs', () => {
    const { pinia } = setup();
    const wrapper = mount(DatasetsView, { global: { plugins: [pinia] } });
    expect(wrapper.find('[data-testid="dataset-upload"]').exists()).toBe(true);
    expect(wrapper.find('[data-testid="dataset-browse-file"]').exists()).toBe(false);
    wrapper.unmount();
  });
});

describe('upload and export', () => {
  it('sends a file in chunks, each after the engine stored the last', async () => {
    const { client, ds } = setup();
    const size = UPLOAD_CHUNK + 100;
    const file = new File([new Uint8Array(size).fill(7)], 'big.hdf5');
    const done = ds.uploadFile(file);
    await expect.poll(() => client.sentOf('dataset/upload').length).toBe(1);
    const first = client.sentOf('dataset/upload')[0];
    expect(first).toMatchObject({ name: 'big.hdf5', size, offset: 0 });
    expect((first.data as Uint8Array).length).toBe(UPLOAD_CHUNK);
    client.emit({ type: 'dataset/upload-progress', uploadId: first.uploadId, received: UPLOAD_CHUNK, size });
    await expect.poll(() => client.sentOf('dataset/upload').length).toBe(2);
    expect(client.sentOf('dataset/upload')[1]).toMatchObject({ offset: UPLOAD_CHUNK });
    expect(ds.upload?.received).toBe(UPLOAD_CHUNK);
    client.emit({ type: 'dataset/upload-progress', uploadId: first.uploadId, received: size, size, path: '/tmp/u/big.hdf5' });
    await expect(done).resolves.toBe(true);
  });

  it('stops an upload on an engine error', async () => {
    const { client, ds } = setup();
    const done = ds.uploadFile(new File([new Uint8Array(10)], 'junk.hdf5'));
    await expect.poll(() => client.sentOf('dataset/upload').length).toBe(1);
    client.emit({ type: 'error', message: 'dataset/upload: junk.hdf5: not an HDF5 file' });
    await expect(done).resolves.toBe(false);
    expect(ds.upload).toBeNull();
  });

  it('exports and shows what was written', () => {
    const { client, ds } = setup();
    expect(ds.exportTo('npz', ' /tmp/out.npz ', [0])).toBe(true);
    expect(client.sentOf('dataset/export')).toEqual([{ type: 'dataset/export', datasetId: 'ds1', to: 'npz', out: '/tmp/out.npz', episodes: [0] }]);
    expect(ds.exporting).toBe(true);
    client.emit({ type: 'dataset/exported', datasetId: 'ds1', to: 'npz', out: '/tmp/out.npz', episodes: 1, steps: 4, obsDim: 3, actDim: 1, skipped: [] });
    expect(ds.exporting).toBe(false);
    expect(ds.exported?.steps).toBe(4);
  });
});

const PREDICTION: DatasetPrediction = {
  episode: 0,
  name: 'demo_0',
  obsDim: 2,
  steps: 2,
  memberCount: 2,
  dimNames: ['obs/state[0]', 'obs/state[1]'],
  truth: Float32Array.from([0, 10, 1, 11, 2, 12]),
  members: Float32Array.from([0, 10, 1.1, 11, 2.2, 12, 0, 10, 0.9, 11, 1.8, 12]),
  mean: Float32Array.from([0, 10, 1, 11, 2, 12]),
  std: Float32Array.from([0, 0, 0.1, 0, 0.2, 0]),
  rmse: [0.1, 0.2],
};

describe('training from the view', () => {
  it('plots each dimension: members, mean ± std band, the recording', () => {
    const s = predictionSeries(PREDICTION, 0);
    expect(s.map((x) => x.id)).toEqual(['member0', 'member1', 'mean', 'truth']);
    expect(s[1].points).toEqual([[0, 0], [1, expect.closeTo(0.9, 5)], [2, expect.closeTo(1.8, 5)]]);
    expect(s[2].band?.[2]).toEqual([expect.closeTo(1.8, 5), expect.closeTo(2.2, 5)]);
    expect(s[3].points).toEqual([[0, 0], [1, 1], [2, 2]]);
    expect(predictionSeries({ ...PREDICTION, memberCount: 1, members: PREDICTION.mean }, 1).map((x) => x.id)).toEqual(['mean', 'truth']);
    expect(s.leavesAt).toBeNull();
  });

  it('keeps the plot to the recording: a prediction that runs off stops at the edge, the band is cut', () => {
    // Truth spans 0…2, so the window is [−3, 5]; member 1 runs off to 1e6 at step 2.
    const members = PREDICTION.members.slice();
    members[3 * 2 + 2 * 2] = 1e6;
    const mean = Float32Array.from([0, 10, 1, 11, 5e5, 12]);
    const std = Float32Array.from([0, 0, 0.1, 0, 6e5, 0]);
    const s = predictionSeries({ ...PREDICTION, members, mean, std }, 0);
    expect(s.leavesAt).toBe(2);
    expect(Number.isNaN(s[1].points[2][1])).toBe(true);
    expect(s[0].points[2][1]).toBeCloseTo(2.2, 5);
    expect(s[2].band?.[2]).toEqual([-3, 5]);
    expect(s[3].points[2]).toEqual([2, 2]);
  });

  it('starts a dataset-train job with the chosen keys, follows its progress, plots the predictions, cancels', async () => {
    const { client, pinia } = setup();
    const train = useDatasetTrainingStore();
    const wrapper = mount(DatasetTrainPanel, { global: { plugins: [pinia] } });
    await wrapper.get('[data-testid="train-members"]').setValue('3');
    await wrapper.get('[data-testid="train-probabilistic"]').setValue(true);
    await wrapper.get('[data-testid="train-epochs"]').setValue('5');
    await wrapper.get('form').trigger('submit');
    const start = client.sentOf('job/start')[0];
    expect(start.spec).toMatchObject({ kind: 'dataset-train', path: '/data/run.hdf5', state: ['obs/state'], action: 'actions', members: 3, probabilistic: true, epochs: 5, hidden: [64, 64], holdout: 0.2 });
    const jobId = start.jobId;
    client.emit({ type: 'job/started', jobId, kind: 'dataset-train' });
    client.emit({ type: 'job/progress', jobId, done: 1, total: 5, etaSeconds: 4, message: 'epoch 1/5' });
    client.emit({ type: 'job/metric', jobId, record: { kind: 'train', fit: 0, epoch: 0, epochs: 5, train_loss: 0.5, val_loss: 0.6, transitions: 100 } });
    await nextTick();
    expect(wrapper.find('[data-testid="train-loss"]').exists()).toBe(true);
    await wrapper.get('[data-testid="train-cancel"]').trigger('click');
    expect(client.sentOf('job/cancel')).toEqual([{ type: 'job/cancel', jobId }]);
    client.emit({ type: 'dataset/prediction', jobId, ...PREDICTION });
    client.emit({ type: 'job/done', jobId });
    await nextTick();
    expect(train.phase).toBe('done');
    expect(wrapper.findAll('[data-testid^="prediction-chart-"]')).toHaveLength(2);
    expect(wrapper.text()).toContain('Open-loop prediction of held-out demo_0');
    wrapper.unmount();
  });
});
