// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import type { EngineEvent } from '@protocol';
import { MAX_DIAGNOSTICS, useExperimentsStore } from '../../src-renderer/src/stores/experiments';
import { useRunsStore } from '../../src-renderer/src/stores/runs';
import { CARTPOLE, PENDULUM, attachFakeClient, frame, presetList } from './fake-lab-client';

function setup() {
  const { client, engine } = attachFakeClient();
  const exp = useExperimentsStore();
  client.open([PENDULUM, CARTPOLE]);
  client.emit(presetList());
  client.sent.length = 0;
  return { client, engine, exp };
}

const episode = (jobId: string, ep: number, ret: number, policy: 'random' | 'mpc', planMs?: number): EngineEvent => ({
  type: 'job/metric',
  jobId,
  record: { kind: 'episode', episode: ep, return: ret, steps: 200, policy, env_steps_total: 200 * (ep + 1), ...(planMs === undefined ? {} : { plan_ms_mean: planMs }) },
});
const train = (jobId: string, fit: number, epoch: number, loss: number, val: number | null): EngineEvent => ({
  type: 'job/metric',
  jobId,
  record: { kind: 'train', fit, epoch, epochs: 5, train_loss: loss, val_loss: val, transitions: 200 * (fit + 1) },
});
const ghost = (jobId: string, step: number, poses: Float32Array): EngineEvent => ({
  type: 'plan/ghost', jobId, episode: 1, step, horizon: 2, members: 1, predictedObs: new Float32Array(9), poses,
});

describe('experiments store', () => {
  let ctx: ReturnType<typeof setup>;
  beforeEach(() => {
    ctx = setup();
  });

  it('starts with the tiny preset in the form and runs it as an experiment job', () => {
    const { client, exp } = ctx;
    expect(exp.presetId).toBe('tiny-pendulum');
    expect(exp.canRun).toBe(true);
    exp.label = 'smoke';
    expect(exp.run()).toBe(true);
    const [req] = client.sentOf('job/start');
    expect(req.jobId).toBe(exp.jobId);
    expect(req.spec).toMatchObject({
      kind: 'experiment',
      label: 'smoke',
      spec: { task: 'pendulum', algorithm: 'v1.5', episodes: 2, seed: 0, model: { hidden: [32, 32], epochs: 5 }, optimizer: { population: 50, iterations: 2 }, mpc: { horizon: 8 } },
    });
    expect(exp.running).toBe(true);
    expect(exp.canRun).toBe(false);
    // One job at a time.
    expect(exp.run()).toBe(false);
    expect(client.sentOf('job/start')).toHaveLength(1);
  });

  it('does not run an invalid form', () => {
    const { client, exp } = ctx;
    exp.draft['optimizer.population'] = '0';
    expect(exp.fieldErrors['optimizer.population']).toBe('Must be at least 2.');
    expect(exp.canRun).toBe(false);
    expect(exp.run()).toBe(false);
    expect(client.sentOf('job/start')).toEqual([]);
    exp.applyPreset('mpc-cartpole');
    expect(exp.fieldErrors).toEqual({});
    expect(exp.draft.task).toBe('cartpole');
    expect(exp.presetModified).toBe(false);
    exp.draft.episodes = 3;
    expect(exp.presetModified).toBe(true);
  });

  it('turns the event stream into series, progress, poses and ghosts', () => {
    const { client, exp } = ctx;
    exp.run();
    const jobId = exp.jobId!;
    client.emit({ type: 'job/started', jobId, kind: 'experiment' });
    client.emit({ type: 'job/run-folder', jobId, runId: 'r1', path: '/runs/r1' });
    client.emit({ type: 'job/progress', jobId, done: 200, total: 600, etaSeconds: 12, message: 'episode 1' });
    client.emit(episode(jobId, 0, -1700, 'random', 0));
    client.emit(train(jobId, 0, 0, 2, 2.5));
    client.emit(train(jobId, 0, 1, 1, 1.5));
    client.emit(train(jobId, 1, 0, 0.8, null));
    client.emit({ type: 'job/metric', jobId, record: { kind: 'prediction', fit: 0, rmse: [0.1, 0.2] } });
    client.emit(episode(jobId, 1, -1600, 'mpc', 7.5));
    client.emit({ type: 'plan/iteration', jobId, iteration: 1, iterations: 2, bestReturn: -5, meanReturn: -9 });
    client.emit(frame(jobId, { episode: 1, step: 40, return: -300 }));
    client.emit(frame('other-job', { step: 99 }));

    expect(exp.phase).toBe('running');
    expect(exp.runId).toBe('r1');
    expect(exp.progress).toEqual({ done: 200, total: 600, etaSeconds: 12, message: 'episode 1' });
    expect(exp.overall.fraction).toBeCloseTo(1 / 3);
    expect(exp.series.episodes.map((e) => [e.episode, e.return, e.policy, e.planMs])).toEqual([
      [0, -1700, 'random', 0],
      [1, -1600, 'mpc', 7.5],
    ]);
    expect(exp.series.train.map((t) => [t.fit, t.epoch, t.train, t.val])).toEqual([
      [0, 0, 2, 2.5],
      [0, 1, 1, 1.5],
      [1, 0, 0.8, null],
    ]);
    expect(exp.series.predictions).toEqual([{ fit: 0, rmse: [0.1, 0.2] }]);
    expect(exp.planIteration).toEqual({ iteration: 1, iterations: 2, bestReturn: -5, meanReturn: -9 });
    expect(exp.framesReceived).toBe(1);
    expect([exp.frameEpisode, exp.frameStep, exp.frameReturn]).toEqual([1, 40, -300]);
    expect(exp.getPoses()).toBeInstanceOf(Float32Array);

    // Ghosts: every event is counted; only ones with poses bump the version and are kept.
    const version = exp.ghostVersion;
    client.emit(ghost(jobId, 10, new Float32Array(0)));
    expect([exp.ghostEvents, exp.ghostCount, exp.ghostVersion]).toEqual([1, 0, version]);
    expect(exp.getGhost()).toBeNull();
    const poses = new Float32Array(3 * 2 * 7);
    client.emit(ghost(jobId, 11, poses));
    expect([exp.ghostEvents, exp.ghostCount, exp.ghostVersion]).toEqual([2, 1, version + 1]);
    expect(exp.getGhost()).toMatchObject({ step: 11, horizon: 2, episode: 1 });
    expect(exp.getGhost()!.poses).toBe(poses);

    client.emit({ type: 'job/done', jobId });
    expect(exp.phase).toBe('done');
    expect(exp.running).toBe(false);
    expect(exp.progress.done).toBe(600);
    // The finished run shows up in the runs list.
    expect(client.sentOf('runs/list').length).toBeGreaterThan(0);
  });

  it('keeps calibration and model diagnostics per fit, and clears them for a new run', () => {
    const { client, exp } = ctx;
    exp.run();
    const jobId = exp.jobId!;
    const calibration = (fit: number, within1: number | null, within2: number | null, nll: number | null): EngineEvent => ({
      type: 'job/metric', jobId, record: { kind: 'calibration', fit, nll, within_1sigma: within1, within_2sigma: within2, samples: 40 },
    });
    client.emit(calibration(0, 0.5, 0.7, 2.5));
    client.emit(calibration(1, 0.7, 0.9, 1.2));
    // A repeated fit replaces its point.
    client.emit(calibration(1, 0.66, 0.86, 1.1));
    expect(exp.series.calibration).toEqual([
      { fit: 0, nll: 2.5, within1: 0.5, within2: 0.7, samples: 40 },
      { fit: 1, nll: 1.1, within1: 0.66, within2: 0.86, samples: 40 },
    ]);
    expect(exp.latestCalibration?.fit).toBe(1);

    const diag = (fit: number, members = 2): EngineEvent => ({
      type: 'model/diagnostics', jobId, fit, obsDim: 3, members, samples: 4,
      heldOutTruth: new Float32Array(4 * 3).fill(fit), heldOutPredicted: new Float32Array(members * 4 * 3),
      trajectoryTruth: new Float32Array(5 * 3), trajectoryMean: new Float32Array(5 * 3), trajectoryStd: new Float32Array(5 * 3).fill(0.1),
    });
    client.emit(diag(1));
    client.emit(diag(0));
    client.emit({ ...diag(2), jobId: 'other-job' } as EngineEvent);
    expect(exp.diagnostics.map((d) => d.fit)).toEqual([0, 1]);
    expect(exp.latestDiagnostics?.fit).toBe(1);
    expect(exp.diagnosticsOf(0)?.heldOutTruth[0]).toBe(0);
    expect(exp.diagnosticsOf(1)).toMatchObject({ obsDim: 3, members: 2, samples: 4 });
    expect(exp.diagnosticsOf(1)!.heldOutPredicted).toBeInstanceOf(Float32Array);
    expect(exp.diagnosticsOf(5)).toBeNull();
    // The typed arrays are kept as they came, not wrapped in reactive proxies.
    const event = diag(3);
    client.emit(event);
    expect(exp.diagnosticsOf(3)!.trajectoryStd).toBe((event as Extract<EngineEvent, { type: 'model/diagnostics' }>).trajectoryStd);

    client.emit({ type: 'job/done', jobId });
    expect(exp.diagnostics).toHaveLength(3);
    exp.run();
    expect(exp.diagnostics).toEqual([]);
    expect(exp.series.calibration).toEqual([]);
    expect(exp.latestDiagnostics).toBeNull();
  });

  it('keeps at most MAX_DIAGNOSTICS fits, dropping the oldest', () => {
    const { client, exp } = ctx;
    exp.run();
    const jobId = exp.jobId!;
    const empty = new Float32Array(0);
    for (let fit = 0; fit < MAX_DIAGNOSTICS + 3; fit++) {
      client.emit({ type: 'model/diagnostics', jobId, fit, obsDim: 1, members: 1, samples: 0, heldOutTruth: empty, heldOutPredicted: empty, trajectoryTruth: empty, trajectoryMean: empty, trajectoryStd: empty });
    }
    expect(exp.diagnostics).toHaveLength(MAX_DIAGNOSTICS);
    expect(exp.diagnostics[0].fit).toBe(3);
  });

  it('cancels its job and ends on job/cancelled; errors go to the banner', () => {
    const { client, engine, exp } = ctx;
    exp.run();
    const jobId = exp.jobId!;
    exp.cancel();
    expect(client.sentOf('job/cancel')).toEqual([{ type: 'job/cancel', jobId }]);
    expect(exp.cancelling).toBe(true);
    expect(exp.running).toBe(true);
    client.emit({ type: 'job/cancelled', jobId });
    expect(exp.phase).toBe('cancelled');
    expect(exp.cancelling).toBe(false);

    exp.run();
    client.emit({ type: 'job/error', jobId: exp.jobId!, message: 'model diverged' });
    expect(exp.phase).toBe('error');
    expect(exp.errorMessage).toBe('model diverged');
    expect(engine.notice?.message).toContain('model diverged');
  });

  it('a new run clears the previous one and ignores its late events', () => {
    const { client, exp } = ctx;
    exp.run();
    const first = exp.jobId!;
    client.emit(episode(first, 0, 5, 'random'));
    client.emit({ type: 'job/done', jobId: first });
    exp.run();
    expect(exp.series.episodes).toEqual([]);
    expect(exp.ghostEvents).toBe(0);
    client.emit(episode(first, 1, 6, 'mpc'));
    expect(exp.series.episodes).toEqual([]);
  });

  it('ends the job when the link drops', async () => {
    const { client, exp } = ctx;
    exp.run();
    client.setState('closed');
    await nextTick();
    expect(exp.running).toBe(false);
    expect(exp.phase).toBe('error');
  });

  it('the lecture comparison runs v0.5, v1.0 and v1.5 in order with the same task, seed and sizes', () => {
    const { client, exp } = ctx;
    exp.draft.seed = '7';
    expect(exp.startComparison()).toBe(true);
    expect(exp.comparing).toBe(true);
    for (const [i, algorithm] of ['v0.5', 'v1.0', 'v1.5'].entries()) {
      const starts = client.sentOf('job/start');
      expect(starts).toHaveLength(i + 1);
      const { jobId, spec } = starts[i];
      expect(spec).toMatchObject({ kind: 'experiment', label: `lecture: ${algorithm}`, spec: { task: 'pendulum', algorithm, seed: 7, episodes: 2, optimizer: { population: 50 }, mpc: { horizon: 8 } } });
      client.emit({ type: 'job/run-folder', jobId, runId: `run-${algorithm}`, path: `/runs/${algorithm}` });
      client.emit(episode(jobId, 0, -100 * (i + 1), 'random'));
      client.emit(episode(jobId, 1, -10 * (i + 1), 'mpc'));
      client.emit({ type: 'job/done', jobId });
    }
    expect(client.sentOf('job/start')).toHaveLength(3);
    expect(exp.comparing).toBe(false);
    expect(exp.comparison!.entries.map((e) => [e.algorithm, e.status, e.runId, e.returns, e.policies])).toEqual([
      ['v0.5', 'done', 'run-v0.5', [-100, -10], ['random', 'mpc']],
      ['v1.0', 'done', 'run-v1.0', [-200, -20], ['random', 'mpc']],
      ['v1.5', 'done', 'run-v1.5', [-300, -30], ['random', 'mpc']],
    ]);
  });

  it('the comparison reports progress over all three runs and stops on cancel', () => {
    const { client, exp } = ctx;
    exp.startComparison();
    let jobId = client.sentOf('job/start')[0].jobId;
    client.emit({ type: 'job/done', jobId });
    jobId = client.sentOf('job/start')[1].jobId;
    client.emit({ type: 'job/progress', jobId, done: 50, total: 100, etaSeconds: 10 });
    expect(exp.overall.fraction).toBeCloseTo(1.5 / 3);
    expect(exp.overall.etaSeconds).toBeGreaterThanOrEqual(20);

    exp.cancel();
    expect(client.sentOf('job/cancel')).toEqual([{ type: 'job/cancel', jobId }]);
    // Even a job/done that crossed the cancel on the wire starts nothing more.
    client.emit({ type: 'job/done', jobId });
    expect(client.sentOf('job/start')).toHaveLength(2);
    expect(exp.comparison!.entries.map((e) => e.status)).toEqual(['done', 'cancelled', 'cancelled']);
    expect(exp.comparing).toBe(false);
  });

  it('the uncertainty comparison runs D, DE and PE (v1.5) in order with the same task, seed and sizes', () => {
    const { client, exp } = ctx;
    exp.draft.seed = '11';
    exp.draft.algorithm = 'v1.0';
    expect(exp.startComparison('uncertainty')).toBe(true);
    expect(exp.comparing).toBe(true);
    const expected = [
      { id: 'D', model: { members: 1, probabilistic: false } },
      { id: 'DE', model: { members: 5, probabilistic: false }, uncertainty: { propagation: 'tsinf', sample: false } },
      { id: 'PE', model: { members: 5, probabilistic: true }, uncertainty: { propagation: 'tsinf', sample: true } },
    ];
    for (const [i, { id, model, ...fields }] of expected.entries()) {
      const starts = client.sentOf('job/start');
      expect(starts).toHaveLength(i + 1);
      const { jobId, spec } = starts[i];
      expect(spec).toMatchObject({
        kind: 'experiment',
        label: `uncertainty: ${id}`,
        spec: { task: 'pendulum', algorithm: 'v1.5', seed: 11, episodes: 2, optimizer: { population: 50 }, mpc: { horizon: 8 }, model: { hidden: [32, 32], epochs: 5, ...model }, ...fields },
      });
      client.emit({ type: 'job/run-folder', jobId, runId: `run-${id}`, path: `/runs/${id}` });
      client.emit(episode(jobId, 0, -100 * (i + 1), 'random'));
      client.emit(episode(jobId, 1, -10 * (i + 1), 'mpc'));
      client.emit({ type: 'job/done', jobId });
    }
    expect(client.sentOf('job/start')).toHaveLength(3);
    expect(exp.comparing).toBe(false);
    expect(exp.comparison).toMatchObject({ kind: 'uncertainty', task: 'pendulum', seed: 11 });
    expect(exp.comparison!.entries.map((e) => [e.id, e.label, e.status, e.runId, e.returns])).toEqual([
      ['D', 'D (single model)', 'done', 'run-D', [-100, -10]],
      ['DE', 'DE (deterministic ensemble)', 'done', 'run-DE', [-200, -20]],
      ['PE', 'PE (probabilistic ensemble, PETS)', 'done', 'run-PE', [-300, -30]],
    ]);
  });

  it('the uncertainty comparison keeps the form\'s ensemble size (and elites) for DE and PE', () => {
    const { client, exp } = ctx;
    exp.draft['model.members'] = '3';
    exp.draft['model.elites'] = '2';
    expect(exp.fieldErrors).toEqual({});
    expect(exp.startComparison('uncertainty')).toBe(true);
    for (let i = 0; i < 3; i++) client.emit({ type: 'job/done', jobId: client.sentOf('job/start')[i].jobId });
    const models = client.sentOf('job/start').map((s) => s.spec.kind === 'experiment' ? s.spec.spec.model : null);
    expect(models.map((m) => [m?.members, m?.probabilistic, m?.elites])).toEqual([[1, false, undefined], [3, false, 2], [3, true, 2]]);
  });

  it('an unknown comparison starts nothing', () => {
    const { client, exp } = ctx;
    expect(exp.startComparison('nope')).toBe(false);
    expect(client.sentOf('job/start')).toEqual([]);
    expect(exp.comparison).toBeNull();
  });

  it('a failed comparison run stops the rest', () => {
    const { client, exp } = ctx;
    exp.startComparison();
    const { jobId } = client.sentOf('job/start')[0];
    client.emit({ type: 'job/error', jobId, message: 'boom' });
    expect(client.sentOf('job/start')).toHaveLength(1);
    expect(exp.comparison!.entries.map((e) => e.status)).toEqual(['error', 'error', 'error']);
  });
});

describe('runs store', () => {
  it('lists runs when connected and fetches a picked run once', () => {
    const { client } = attachFakeClient();
    const runs = useRunsStore();
    client.open();
    expect(client.sentOf('runs/list')).toHaveLength(1);
    const summary = { id: 'r1', task: 'cartpole', algorithm: 'v1.5', seed: 0, startedAt: '2026-01-01T00:00:00Z', returns: [1, 2], policies: ['random', 'mpc'] };
    client.emit({ type: 'runs/list', runs: [summary, { ...summary, id: 'r2' }], dir: '/runs' });
    expect(runs.runs.map((r) => r.id)).toEqual(['r1', 'r2']);
    expect(runs.dir).toBe('/runs');

    runs.toggle('r1');
    runs.toggle('r1');
    runs.toggle('r1');
    expect(client.sentOf('runs/get')).toEqual([{ type: 'runs/get', runId: 'r1' }]);
    expect(runs.selected.map((s) => [s.summary.id, s.details])).toEqual([['r1', null]]);
    client.emit({ type: 'runs/metrics', runId: 'r1', spec: { task: 'cartpole' }, records: [{ kind: 'episode', episode: 0, return: 1, steps: 10 }] });
    expect(runs.selected[0].details?.records).toHaveLength(1);

    runs.toggle('r2');
    client.emit({ type: 'runs/list', runs: [summary], dir: '/runs' });
    expect(runs.selectedIds).toEqual(['r1']);
  });
});
