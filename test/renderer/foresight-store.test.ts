// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { ForesightJobSpec } from '@protocol';
import { splitFrames } from '../../src-renderer/src/components/frames';
import { blendHeat, DEFAULT_FORESIGHT_SETTINGS, foresightJobSpec, pixelMapAt, useForesightStore, type ForesightPlan } from '../../src-renderer/src/stores/foresight';
import { attachFakeClient } from './fake-lab-client';

function setup() {
  const { client } = attachFakeClient();
  client.open([]);
  return { client, fs: useForesightStore() };
}

const S = 4;
const frame = (value: number) => new Uint8Array(S * S * 3).fill(value);

/** A plan of horizon 2 for 2 designated pixels whose maps put all mass on pixel index (k + d). */
function plan(step: number): ForesightPlan {
  const H = 2;
  const D = 2;
  const maps = new Float32Array(H * S * S * D);
  for (let k = 0; k < H; k++) for (let d = 0; d < D; d++) maps[(k * S * S + (k + d)) * D + d] = 1;
  return { step, size: S, horizon: H, designated: D, predictedFrames: new Uint8Array(H * S * S * 3).fill(step), pixelMaps: maps, plan: new Float32Array(4), planMs: 5 };
}

describe('foresight store', () => {
  it('builds valid specs for the frame, train and plan jobs', () => {
    const pairs = [{ designated: [3, 4] as [number, number], goal: [10, 12] as [number, number] }, { designated: [5, 5] as [number, number], goal: null }];
    for (const what of [{ kind: 'frame' as const }, { kind: 'train' as const }, { kind: 'plan' as const, runId: 'run-1', pairs }]) {
      expect(() => ForesightJobSpec.parse(foresightJobSpec(DEFAULT_FORESIGHT_SETTINGS, what))).not.toThrow();
    }
    const planSpec = foresightJobSpec(DEFAULT_FORESIGHT_SETTINGS, { kind: 'plan', runId: 'run-1', pairs });
    // Only complete pairs are sent, as engine pixels (x = column, y = row).
    expect(planSpec.plan?.target).toEqual({ kind: 'pixels', designated: [{ x: 3, y: 4 }], goals: [{ x: 10, y: 12 }] });
    expect(planSpec.from).toBe('run-1');
    const imageSpec = foresightJobSpec({ ...DEFAULT_FORESIGHT_SETTINGS, target: 'image' }, { kind: 'plan', runId: 'run-1', pairs: [] });
    expect(ForesightJobSpec.parse(imageSpec).plan).toMatchObject({ target: { kind: 'image' }, tracking: 'model' });
  });

  it('reads one designated pixel\'s map at one plan step out of [H, S, S, D]', () => {
    const p = plan(0);
    expect(Array.from(pixelMapAt(p, 0, 0)).indexOf(1)).toBe(0);
    expect(Array.from(pixelMapAt(p, 1, 1)).indexOf(1)).toBe(2);
    expect(pixelMapAt(p, 5, 0).every((v) => v === 0)).toBe(true);
    expect(splitFrames(p.predictedFrames, S, S)).toHaveLength(2);
    // Blended over a frame, the map tints only where it has mass.
    const blended = blendHeat({ width: S, height: S, rgb: frame(100) }, pixelMapAt(p, 1, 1));
    expect(Array.from(blended.rgb.subarray(0, 3))).toEqual([100, 100, 100]);
    expect(Array.from(blended.rgb.subarray(6, 9))).not.toEqual([100, 100, 100]);
  });

  it('loads the frame, trains, then plans from the trained run and keeps its own job\'s events', () => {
    const { client, fs } = setup();
    expect(fs.loadFrame()).toBe(true);
    const [frameReq] = client.sentOf('job/start');
    client.emit({ type: 'foresight/frame', jobId: frameReq.jobId, task: 'planar-push-pixels', seed: 1000, size: S, frame: frame(7) });
    client.emit({ type: 'job/done', jobId: frameReq.jobId });
    expect(fs.startFrame?.width).toBe(S);
    expect(fs.readyToRun).toBe(false);

    fs.settings.imageSize = S;
    fs.pairs = [{ designated: [1, 1], goal: null }];
    expect(fs.readyToRun).toBe(false);
    expect(fs.train()).toBe(true);
    const trainReq = client.sentOf('job/start')[1];
    expect(trainReq.spec.kind === 'foresight' && trainReq.spec.train?.fit?.steps).toBe(DEFAULT_FORESIGHT_SETTINGS.trainSteps);
    const id = trainReq.jobId;
    client.emit({ type: 'job/started', jobId: id, kind: 'foresight' });
    client.emit({ type: 'foresight/frame', jobId: id, task: 'planar-push-pixels', seed: 1000, size: S, frame: frame(7) });
    client.emit({ type: 'job/run-folder', jobId: id, runId: 'run-7', path: '/runs/run-7' });
    client.emit({ type: 'foresight/train', jobId: id, step: 1, steps: 2, trainLoss: 0.1, valLoss: null, truthProbability: 1, sequencesPerSecond: 3 });
    client.emit({ type: 'foresight/train', jobId: 'someone-else', step: 1, steps: 2, trainLoss: 9, valLoss: 9, truthProbability: 1, sequencesPerSecond: 3 });
    client.emit({ type: 'job/progress', jobId: id, done: 1, total: 2, message: 'train' });
    expect(fs.trainCurve).toEqual([{ step: 1, trainLoss: 0.1, valLoss: null }]);
    expect(fs.progress.done).toBe(1);
    // Pixels placed while it trains survive (same frame size); Run waits for the model.
    expect(fs.pairs).toHaveLength(1);
    fs.pairs = [{ designated: [1, 1], goal: [3, 2] }];
    expect(fs.readyToRun).toBe(false);
    client.emit({ type: 'job/done', jobId: id });
    expect(fs.trainedRunId).toBe('run-7');
    expect(fs.readyToRun).toBe(true);

    expect(fs.run()).toBe(true);
    const planReq = client.sentOf('job/start')[2];
    expect(planReq.spec).toMatchObject({ kind: 'foresight', from: 'run-7', plan: { target: { kind: 'pixels', designated: [{ x: 1, y: 1 }], goals: [{ x: 3, y: 2 }] } } });
    const pid = planReq.jobId;
    expect(fs.run()).toBe(false);
    client.emit({ type: 'job/started', jobId: pid, kind: 'foresight' });
    client.emit({ type: 'foresight/plan', jobId: pid, ...plan(0) });
    client.emit({ type: 'foresight/executed', jobId: pid, step: 0, frame: frame(1), distances: Float32Array.of(5) });
    client.emit({ type: 'foresight/plan', jobId: pid, ...plan(1) });
    client.emit({ type: 'foresight/executed', jobId: pid, step: 1, frame: frame(2), distances: Float32Array.of(3) });
    client.emit({ type: 'foresight/executed', jobId: id, step: 2, frame: frame(3), distances: Float32Array.of(99) });
    expect(fs.plans).toHaveLength(2);
    expect(fs.latestPlan?.step).toBe(1);
    expect(fs.executed.map((e) => e.distances[0])).toEqual([5, 3]);
    client.emit({ type: 'job/done', jobId: pid });
    expect(fs.phase).toBe('done');
    // The model stays: another run may start from it; editing targets forgets the run's results.
    expect(fs.readyToRun).toBe(true);
    fs.clearRun();
    expect(fs.plans).toHaveLength(0);
    // Toward the goal image no pairs are needed.
    fs.pairs = [];
    expect(fs.readyToRun).toBe(false);
    fs.settings.target = 'image';
    expect(fs.readyToRun).toBe(true);
  });

  it('reports a failed job and drops the pairs when the frame changes size', () => {
    const { client, fs } = setup();
    fs.loadFrame();
    const [req] = client.sentOf('job/start');
    client.emit({ type: 'foresight/frame', jobId: req.jobId, task: 'planar-push-pixels', seed: 1000, size: S, frame: frame(7) });
    fs.pairs = [{ designated: [1, 1], goal: [2, 2] }];
    client.emit({ type: 'foresight/frame', jobId: req.jobId, task: 'planar-push-pixels', seed: 1000, size: 8, frame: new Uint8Array(8 * 8 * 3) });
    expect(fs.pairs).toEqual([]);
    client.emit({ type: 'job/error', jobId: req.jobId, message: 'foresight: cannot read the trained model' });
    expect(fs.phase).toBe('error');
    expect(fs.errorMessage).toMatch(/trained model/);
  });
});
