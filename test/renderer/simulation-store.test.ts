// @vitest-environment happy-dom
import { beforeEach, describe, expect, it } from 'vitest';
import { nextTick } from 'vue';
import { useSimulationStore } from '../../src-renderer/src/stores/simulation';
import { CARTPOLE, REACHER, attachFakeClient, frame } from './fake-lab-client';

function setup() {
  const { client, engine } = attachFakeClient();
  const sim = useSimulationStore();
  client.open([CARTPOLE, REACHER]);
  client.sent.length = 0;
  return { client, engine, sim };
}

describe('simulation store', () => {
  let ctx: ReturnType<typeof setup>;
  beforeEach(() => {
    ctx = setup();
  });

  it('selects the first task and cannot run until connected', () => {
    const { client } = attachFakeClient();
    const sim = useSimulationStore();
    expect(sim.canRun).toBe(false);
    sim.start();
    expect(client.sent).toEqual([]);
    client.open([CARTPOLE]);
    expect(sim.taskId).toBe('cartpole');
    expect(sim.canRun).toBe(true);
  });

  it('starts a sim job with a fresh id and the chosen spec', () => {
    const { client, sim } = ctx;
    sim.taskId = 'reacher';
    sim.seed = 7;
    sim.policy = 'keyboard';
    sim.start();
    const [req] = client.sentOf('job/start');
    expect(req.spec).toEqual({ kind: 'sim', task: 'reacher', seed: 7, policy: 'keyboard', speed: 1 });
    expect(req.jobId).toBe(sim.jobId);
    expect(sim.running).toBe(true);

    const first = sim.jobId;
    sim.start();
    expect(sim.jobId).not.toBe(first);
    expect(client.sentOf('job/cancel')).toEqual([{ type: 'job/cancel', jobId: first }]);
  });

  it('sends pause, resume, step and reset commands for its job', () => {
    const { client, sim } = ctx;
    sim.start();
    const jobId = sim.jobId!;
    sim.togglePause();
    expect(sim.paused).toBe(true);
    sim.togglePause();
    expect(sim.paused).toBe(false);
    sim.stepOnce();
    sim.reset();
    sim.reset(99);
    expect(client.sentOf('sim/command')).toEqual([
      { type: 'sim/command', jobId, command: 'pause' },
      { type: 'sim/command', jobId, command: 'resume' },
      { type: 'sim/command', jobId, command: 'pause' },
      { type: 'sim/command', jobId, command: 'step' },
      { type: 'sim/command', jobId, command: 'reset' },
      { type: 'sim/command', jobId, command: 'reset', seed: 99 },
    ]);
    expect(sim.seed).toBe(99);
  });

  it('new seed resets a running job with it', () => {
    const { client, sim } = ctx;
    sim.newSeed();
    expect(client.sent).toEqual([]);
    sim.start();
    sim.newSeed();
    const reset = client.sentOf('sim/command').at(-1)!;
    expect(reset.command).toBe('reset');
    expect(reset.seed).toBe(sim.seed);
  });

  it('stop cancels the job and ignores its later frames', () => {
    const { client, sim } = ctx;
    sim.start();
    const jobId = sim.jobId!;
    sim.stop();
    expect(client.sentOf('job/cancel')).toEqual([{ type: 'job/cancel', jobId }]);
    expect(sim.running).toBe(false);
    client.emit(frame(jobId));
    expect(sim.framesReceived).toBe(0);
  });

  it('sends keyboard actions only for keyboard jobs, without repeats', () => {
    const { client, sim } = ctx;
    sim.start();
    sim.setKeyboardAction([1]);
    expect(client.sentOf('sim/action')).toEqual([]);

    sim.policy = 'keyboard';
    sim.start();
    sim.setKeyboardAction([1]);
    sim.setKeyboardAction([1]);
    sim.setKeyboardAction([0]);
    expect(client.sentOf('sim/action')).toEqual([
      { type: 'sim/action', jobId: sim.jobId, action: [1] },
      { type: 'sim/action', jobId: sim.jobId, action: [0] },
    ]);
  });

  it('counts its frames, updates readouts and keeps poses out of reactive state', () => {
    const { client, sim } = ctx;
    sim.start();
    const jobId = sim.jobId!;
    client.emit({ type: 'job/started', jobId, kind: 'sim' });
    client.emit(frame(jobId, { step: 1, reward: 0.5, return: 0.5 }));
    client.emit(frame('someone-else', { step: 40 }));
    client.emit(frame(jobId, { step: 2, time: 0.04, reward: 0.25, return: 0.75 }));
    expect(sim.framesReceived).toBe(2);
    expect(sim.step).toBe(2);
    expect(sim.time).toBeCloseTo(0.04);
    expect(sim.episodeReturn).toBeCloseTo(0.75);
    expect(sim.rewardTrace).toEqual([0.5, 0.25]);
    expect(sim.poseVersion).toBe(2);
    const poses = sim.getPoses();
    expect(poses).toBeInstanceOf(Float32Array);
    expect(poses?.[7]).toBeCloseTo(0.3);
  });

  it('records returns of finished episodes once', () => {
    const { client, sim } = ctx;
    sim.start();
    const jobId = sim.jobId!;
    client.emit(frame(jobId, { episode: 0, return: 12, terminated: true }));
    client.emit({ type: 'job/metric', jobId, record: { kind: 'episode', episode: 0, return: 12, steps: 12 } });
    client.emit(frame(jobId, { episode: 1, step: 1, return: 1 }));
    client.emit(frame(jobId, { episode: 1, step: 500, return: 30, truncated: true }));
    expect(sim.episodeReturns).toEqual([12, 30]);
    expect(sim.episode).toBe(1);
  });

  it('keeps the scene of its job and ends the job on error, done or disconnect', async () => {
    const { client, engine, sim } = ctx;
    sim.start();
    let jobId = sim.jobId!;
    const scene = { task: 'cartpole', bodies: [{ name: 'world' }], geoms: [], camera: { eye: [0, -3, 1], target: [0, 0, 0] } } as const;
    client.emit({ type: 'sim/scene', jobId, scene: structuredClone(scene) as never, info: CARTPOLE });
    expect(sim.scene?.task).toBe('cartpole');

    client.emit({ type: 'job/error', jobId, message: 'mujoco exploded' });
    expect(sim.running).toBe(false);
    expect(engine.notice?.message).toContain('mujoco exploded');

    sim.start();
    jobId = sim.jobId!;
    client.emit({ type: 'job/done', jobId });
    expect(sim.running).toBe(false);

    sim.start();
    client.setState('closed');
    await nextTick();
    expect(sim.running).toBe(false);
  });
});
