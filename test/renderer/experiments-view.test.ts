// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import type { Pinia } from 'pinia';
import { mount } from '@vue/test-utils';
import { nextTick } from 'vue';
import App from '../../src-renderer/src/App.vue';
import ExperimentsView from '../../src-renderer/src/views/ExperimentsView.vue';
import { usePresetsStore } from '../../src-renderer/src/stores/presets';
import { useExperimentsStore } from '../../src-renderer/src/stores/experiments';
import { buildPresets } from '../../src-renderer/src/presets';
import { CARTPOLE, FakeLabClient, PENDULUM, SHIPPED_PRESETS, attachFakeClient, frame, presetList } from './fake-lab-client';
import { attrOf, textOf } from './dom';

describe('ExperimentsView', () => {
  let pinia: Pinia;
  let client: FakeLabClient;
  beforeEach(() => {
    ({ pinia, client } = attachFakeClient());
    client.open([PENDULUM, CARTPOLE]);
    // The presets store asks when it is created (with the experiments store); answer it.
    usePresetsStore();
    client.emit(presetList());
  });

  // No WebGL in happy-dom: the 3D view is stubbed, except where a test checks that it degrades.
  const mountView = (with3d = false) =>
    mount(ExperimentsView, { global: { plugins: [pinia], stubs: with3d ? {} : { ExperimentViewport: true } }, attachTo: document.body });

  it('is reached from the nav', async () => {
    location.hash = '';
    const wrapper = mount(App, { global: { plugins: [pinia], stubs: { SceneViewport: true, ExperimentViewport: true } } });
    expect(wrapper.find('h1').text()).toBe('Environments');
    await wrapper.get('[data-testid="nav-experiments"]').trigger('click');
    expect(wrapper.find('h1').text()).toBe('Experiments');
    expect(wrapper.get('[data-testid="nav-experiments"]').classes()).toContain('active');
    expect(location.hash).toBe('#experiments');
    wrapper.unmount();
  });

  it('shows a field error as a value is typed, and will not run until it is fixed', async () => {
    const wrapper = mountView();
    const run = wrapper.get('[data-testid="experiment-run"]');
    expect(run.attributes('disabled')).toBeUndefined();
    await wrapper.get('[data-testid="spec-optimizer-population"]').setValue('0');
    expect(textOf(wrapper, 'error-optimizer.population')).toBe('Must be at least 2.');
    // The section holding the error opens and says so.
    const details = wrapper.findAll('details').find((d) => d.text().includes('Optimizer'))!;
    expect(details.attributes('open')).toBeDefined();
    expect(details.get('summary').text()).toContain('1 to fix');
    expect(run.attributes('disabled')).toBeDefined();
    expect(wrapper.text()).toContain('Fix 1 field to run.');
    await wrapper.get('[data-testid="spec-optimizer-population"]').setValue('64');
    expect(wrapper.find('[data-testid="error-optimizer.population"]').exists()).toBe(false);
    expect(run.attributes('disabled')).toBeUndefined();
    wrapper.unmount();
  });

  it('offers the engine\'s presets, says while they load, and shows broken files in the banner', async () => {
    ({ pinia, client } = attachFakeClient());
    client.open();
    const wrapper = mount(App, { global: { plugins: [pinia], stubs: { SceneViewport: true, ExperimentViewport: true } } });
    await wrapper.get('[data-testid="nav-experiments"]').trigger('click');
    const select = wrapper.get('[data-testid="preset-select"]');
    expect(select.text()).toBe('Loading presets…');
    expect(client.sentOf('presets/list')).toHaveLength(1);
    client.emit(presetList(['/p/bad.json: task: Required']));
    await nextTick();
    const options = select.findAll('option:not([disabled])');
    expect(options).toHaveLength(buildPresets(SHIPPED_PRESETS).length);
    expect(options[0].text()).toBe('Tiny (smoke test)');
    expect(options.map((o) => o.text())).toEqual(expect.arrayContaining(['PETS · cart-pole', 'PETS · reacher', 'PETS · pusher', 'PETS · half-cheetah']));
    expect((select.element as HTMLSelectElement).value).toBe('tiny-pendulum');
    expect(textOf(wrapper, 'notice-banner')).toContain('/p/bad.json: task: Required');
    wrapper.unmount();
  });

  it('fills the form from a preset', async () => {
    const wrapper = mountView();
    await wrapper.get('[data-testid="preset-select"]').setValue('v10-cartpole');
    expect((wrapper.get('[data-testid="spec-task"]').element as HTMLSelectElement).value).toBe('cartpole');
    expect((wrapper.get('[data-testid="spec-algorithm"]').element as HTMLSelectElement).value).toBe('v1.0');
    expect((wrapper.get('[data-testid="spec-episodes"]').element as HTMLInputElement).value).toBe('10');
    wrapper.unmount();
  });

  it('runs, plots the live metrics, counts ghosts, and cancels', async () => {
    const wrapper = mountView(true);
    await wrapper.get('[data-testid="experiment-run"]').trigger('click');
    const [start] = client.sentOf('job/start');
    expect(start.spec).toMatchObject({ kind: 'experiment', spec: { task: 'pendulum', algorithm: 'v1.5' } });
    const jobId = start.jobId;
    expect(wrapper.text()).toContain('3D view unavailable');

    client.emit({ type: 'job/started', jobId, kind: 'experiment' });
    client.emit({ type: 'job/progress', jobId, done: 200, total: 600, etaSeconds: 20, message: 'episode 2' });
    client.emit({ type: 'job/metric', jobId, record: { kind: 'episode', episode: 0, return: -1700, steps: 200, policy: 'random' } });
    client.emit({ type: 'job/metric', jobId, record: { kind: 'train', fit: 0, epoch: 0, epochs: 5, train_loss: 1.2, val_loss: 1.4, transitions: 200 } });
    client.emit({ type: 'job/metric', jobId, record: { kind: 'train', fit: 0, epoch: 1, epochs: 5, train_loss: 0.9, val_loss: 1.1, transitions: 200 } });
    client.emit({ type: 'job/metric', jobId, record: { kind: 'episode', episode: 1, return: -1600, steps: 200, policy: 'mpc', plan_ms_mean: 6 } });
    client.emit({ type: 'job/metric', jobId, record: { kind: 'prediction', fit: 0, rmse: [0.1, 0.3, 0.6] } });
    client.emit(frame(jobId, { episode: 1, step: 12, return: -80 }));
    const plan = { type: 'plan/ghost' as const, jobId, episode: 1, step: 12, horizon: 2, members: 1, predictedObs: new Float32Array(9) };
    client.emit({ ...plan, poses: new Float32Array(0) });
    client.emit({ ...plan, poses: new Float32Array(3 * 2 * 7) });
    await nextTick();

    expect(attrOf(wrapper, 'returns-chart', 'data-points')).toBe('2');
    expect(attrOf(wrapper, 'loss-chart', 'data-points')).toBe('4');
    expect(attrOf(wrapper, 'plan-chart', 'data-points')).toBe('1');
    expect(attrOf(wrapper, 'rmse-chart', 'data-points')).toBe('3');
    expect(attrOf(wrapper, 'experiment-progress', 'data-done')).toBe('200');
    expect(attrOf(wrapper, 'experiment-progress', 'data-total')).toBe('600');
    expect(textOf(wrapper, 'progress-eta')).toBe('ETA 0:20');
    expect(textOf(wrapper, 'ghost-events')).toBe('2');
    expect(textOf(wrapper, 'ghost-count')).toBe('1');
    expect(textOf(wrapper, 'exp-step')).toBe('12');

    await wrapper.get('[data-testid="experiment-cancel"]').trigger('click');
    expect(client.sentOf('job/cancel')).toEqual([{ type: 'job/cancel', jobId }]);
    client.emit({ type: 'job/cancelled', jobId });
    await nextTick();
    expect(textOf(wrapper, 'experiment-state')).toBe('cancelled');
    wrapper.unmount();
  });

  it('shows the ensemble and uncertainty fields, and errors on elites > members', async () => {
    const wrapper = mountView();
    const unc = wrapper.get('[data-testid="section-uncertainty"]');
    expect(unc.classes()).toContain('unused');
    expect(unc.get('summary').text()).toContain('unused: one deterministic model');
    await wrapper.get('[data-testid="spec-model-members"]').setValue('3');
    await wrapper.get('[data-testid="spec-model-probabilistic"]').setValue(true);
    expect(useExperimentsStore().draft['model.probabilistic']).toBe('true');
    expect(unc.classes()).not.toContain('unused');
    expect(unc.get('summary').text()).toContain('P 20 · TS∞ · expected');
    expect(wrapper.get('[data-testid="section-model"]').get('summary').text()).toContain('PE ×3');
    // Risk k appears with a risk objective; the note says what plans are scored by.
    expect(wrapper.find('[data-testid="spec-uncertainty-riskK"]').exists()).toBe(false);
    await wrapper.get('[data-testid="spec-uncertainty-objective"]').setValue('pessimistic');
    expect(wrapper.find('[data-testid="spec-uncertainty-riskK"]').exists()).toBe(true);
    expect(textOf(wrapper, 'objective-note')).toContain('pessimistic (mean − k·std)');

    await wrapper.get('[data-testid="spec-model-elites"]').setValue('4');
    expect(textOf(wrapper, 'error-model.elites')).toBe('Elites must not exceed members.');
    expect(attrOf(wrapper, 'section-model', 'open')).toBeDefined();
    expect(attrOf(wrapper, 'experiment-run', 'disabled')).toBeDefined();
    await wrapper.get('[data-testid="spec-model-elites"]').setValue('');
    expect(wrapper.find('[data-testid="error-model.elites"]').exists()).toBe(false);

    await wrapper.get('[data-testid="experiment-run"]').trigger('click');
    const [start] = client.sentOf('job/start');
    expect(start.spec).toMatchObject({ spec: { model: { members: 3, probabilistic: true }, uncertainty: { objective: 'pessimistic', riskK: 1 } } });
    expect((start.spec as { spec: { model: object } }).spec.model).not.toHaveProperty('elites');
    wrapper.unmount();
  });

  it('fills the form from a PETS preset unchanged', async () => {
    const wrapper = mountView();
    await wrapper.get('[data-testid="preset-select"]').setValue('pets-cartpole');
    const exp = useExperimentsStore();
    expect(exp.presetModified).toBe(false);
    expect(exp.fieldErrors).toEqual({});
    expect((wrapper.get('[data-testid="spec-model-probabilistic"]').element as HTMLInputElement).checked).toBe(true);
    expect((wrapper.get('[data-testid="spec-uncertainty-propagation"]').element as HTMLSelectElement).value).toBe('tsinf');
    await wrapper.get('[data-testid="experiment-run"]').trigger('click');
    const pets = SHIPPED_PRESETS.find((p) => p.id === 'pets-cartpole')!.spec;
    expect(client.sentOf('job/start')[0].spec).toEqual({ kind: 'experiment', spec: pets });
    wrapper.unmount();
  });

  it('shows planning progress and the model uncertainty panel as a run reports them', async () => {
    const wrapper = mountView();
    await wrapper.get('[data-testid="preset-select"]').setValue('pets-cartpole');
    await wrapper.get('[data-testid="experiment-run"]').trigger('click');
    const { jobId } = client.sentOf('job/start')[0];
    const panel = () => wrapper.get('[data-testid="uncertainty-panel"]');
    expect(panel().text()).toContain('appears after the first model fit');

    client.emit({ type: 'plan/iteration', jobId, iteration: 3, iterations: 4, bestReturn: 12.345, meanReturn: 9.5 });
    await nextTick();
    const bar = wrapper.get('[data-testid="plan-progress"]');
    expect(bar.text()).toContain('CEM 3/4');
    expect(bar.text()).toContain('elite return 9.50 · best 12.35');
    expect(bar.attributes('data-fraction')).toBe('0.750');

    const D = 4;
    const n = 6;
    const members = 5;
    const T = 10;
    const diag = (fit: number) => ({
      type: 'model/diagnostics' as const, jobId, fit, obsDim: D, members, samples: n,
      heldOutTruth: Float32Array.from({ length: n * D }, (_, k) => k / 10),
      heldOutPredicted: Float32Array.from({ length: members * n * D }, (_, k) => (k % (n * D)) / 10 + 0.01 * Math.floor(k / (n * D))),
      trajectoryTruth: new Float32Array(T * D), trajectoryMean: new Float32Array(T * D), trajectoryStd: new Float32Array(T * D).fill(0.1),
    });
    const calibration = (fit: number, w1: number) => ({ type: 'job/metric' as const, jobId, record: { kind: 'calibration' as const, fit, nll: 1 - fit, within_1sigma: w1, within_2sigma: 0.9, samples: n } });
    client.emit(calibration(0, 0.4));
    client.emit(diag(0));
    client.emit(calibration(1, 0.7));
    client.emit(diag(1));
    await nextTick();

    expect(attrOf(wrapper, 'scatter-chart', 'data-points')).toBe(String(n * members));
    expect(attrOf(wrapper, 'calibration-chart', 'data-points')).toBe('4');
    expect(attrOf(wrapper, 'nll-chart', 'data-points')).toBe('2');
    expect(panel().findAll('[data-testid^="band-chart-"]')).toHaveLength(D);
    // Named by the task's observation dimensions.
    expect(textOf(wrapper, 'band-chart-1')).toContain('θ');
    expect(textOf(wrapper, 'uncertainty-model')).toContain('fit 2 · probabilistic ensemble, 5 elite members');
    expect(textOf(wrapper, 'calibration-summary')).toContain('within 1σ 0.700');
    expect(textOf(wrapper, 'calibration-summary')).toContain('about calibrated');

    // Another dimension, and an earlier fit.
    await wrapper.get('[data-testid="scatter-dim"]').setValue('2');
    expect(textOf(wrapper, 'scatter-chart')).toContain('ẋ');
    await wrapper.get('[data-testid="diag-fit"]').setValue('0');
    expect(textOf(wrapper, 'uncertainty-model')).toContain('fit 1');
    expect(textOf(wrapper, 'calibration-summary')).toContain('overconfident');
    wrapper.unmount();
  });

  it('says a single deterministic model has no spread to calibrate', async () => {
    const wrapper = mountView();
    await wrapper.get('[data-testid="experiment-run"]').trigger('click');
    const { jobId } = client.sentOf('job/start')[0];
    client.emit({ type: 'job/metric', jobId, record: { kind: 'calibration', fit: 0, nll: null, within_1sigma: null, within_2sigma: null, samples: 20 } });
    await nextTick();
    expect(textOf(wrapper, 'calibration-summary')).toContain('One deterministic model predicts no spread');
    expect(attrOf(wrapper, 'calibration-chart', 'data-points')).toBe('0');
    wrapper.unmount();
  });

  it('starts the lecture comparison and plots it', async () => {
    const wrapper = mountView();
    await wrapper.get('[data-testid="compare-lecture"]').trigger('click');
    const [start] = client.sentOf('job/start');
    expect(start.spec).toMatchObject({ spec: { algorithm: 'v0.5' }, label: 'lecture: v0.5' });
    client.emit({ type: 'job/metric', jobId: start.jobId, record: { kind: 'episode', episode: 0, return: -10, steps: 200, policy: 'random' } });
    await nextTick();
    expect(attrOf(wrapper, 'comparison-chart', 'data-points')).toBe('1');
    expect(textOf(wrapper, 'comparison')).toContain('v1.5');
    wrapper.unmount();
  });

  it('starts the uncertainty comparison and plots D, DE and PE together', async () => {
    const wrapper = mountView();
    const button = wrapper.get('[data-testid="compare-uncertainty"]');
    expect(button.text()).toBe('Uncertainty: D vs DE vs PE');
    await button.trigger('click');
    for (const [i, id] of ['D', 'DE', 'PE'].entries()) {
      const start = client.sentOf('job/start')[i];
      expect(start.spec).toMatchObject({ spec: { algorithm: 'v1.5', seed: 0 }, label: `uncertainty: ${id}` });
      client.emit({ type: 'job/metric', jobId: start.jobId, record: { kind: 'episode', episode: 0, return: -10 * (i + 1), steps: 200, policy: 'random' } });
      client.emit({ type: 'job/metric', jobId: start.jobId, record: { kind: 'episode', episode: 1, return: -5 * (i + 1), steps: 200, policy: 'mpc' } });
      if (i === 1) {
        await nextTick();
        expect(wrapper.text()).toContain('Uncertainty run 2/3');
      }
      client.emit({ type: 'job/done', jobId: start.jobId });
    }
    await nextTick();
    const chart = wrapper.get('[data-testid="comparison-chart"]');
    expect(chart.attributes('data-points')).toBe('6');
    expect(chart.findAll('[data-series]').map((g) => g.attributes('data-series'))).toEqual(['D', 'DE', 'PE']);
    expect(chart.text()).toContain('Uncertainty: D vs DE vs PE');
    const chips = wrapper.get('[data-testid="comparison"]').findAll('li').map((li) => li.text());
    expect(chips).toEqual(['✓ D (single model)', '✓ DE (deterministic ensemble)', '✓ PE (probabilistic ensemble, PETS)']);
    wrapper.unmount();
  });

  it('lists runs from disk and overlays the ticked ones', async () => {
    const wrapper = mountView();
    expect(client.sentOf('runs/list').length).toBeGreaterThan(0);
    const run = (id: string, label: string) => ({ id, label, task: 'cartpole', algorithm: 'v1.5', seed: 0, startedAt: '2026-01-01T10:00:00Z', finishedAt: '2026-01-01T10:05:00Z', returns: [1, 5, 9], policies: ['random', 'mpc', 'mpc'] });
    client.emit({ type: 'runs/list', runs: [run('a', 'first'), run('b', 'second')], dir: '/tmp/runs' });
    await nextTick();
    const list = wrapper.get('[data-testid="runs-list"]');
    expect(list.findAll('li')).toHaveLength(2);
    expect(list.text()).toContain('first');
    await wrapper.get('[data-testid="run-check-a"]').setValue(true);
    await wrapper.get('[data-testid="run-check-b"]').setValue(true);
    expect(client.sentOf('runs/get').map((r) => r.runId)).toEqual(['a', 'b']);
    expect(attrOf(wrapper, 'runs-returns-chart', 'data-points')).toBe('6');
    client.emit({ type: 'runs/metrics', runId: 'a', spec: {}, records: [{ kind: 'train', fit: 0, epoch: 0, epochs: 1, train_loss: 1, val_loss: 0.5, transitions: 10 }] });
    await nextTick();
    expect(attrOf(wrapper, 'runs-loss-chart', 'data-points')).toBe('1');
    wrapper.unmount();
  });
});
