// @vitest-environment happy-dom
import { describe, expect, it } from 'vitest';
import { useJobRun } from '../../src-renderer/src/stores/job-run';
import { attachFakeClient } from './fake-lab-client';

describe('useJobRun', () => {
  it('starts one job at a time, follows its lifecycle and ignores other jobs', () => {
    const { client, engine } = attachFakeClient();
    client.open([]);
    const job = useJobRun(engine, 'test');
    expect(job.start({ kind: 'sim', task: 'pendulum', seed: 0, policy: 'random' }, 5, 'a')).toBe(true);
    expect(job.start({ kind: 'sim', task: 'pendulum', seed: 0, policy: 'random' })).toBe(false);
    const id = job.jobId.value!;
    expect(id).toMatch(/^test-a-/);
    expect(job.progress.value.total).toBe(5);
    job.track({ type: 'job/started', jobId: id, kind: 'sim' });
    job.track({ type: 'job/progress', jobId: 'other', done: 9, total: 9 });
    job.track({ type: 'job/progress', jobId: id, done: 2, total: 5, etaSeconds: 3, message: 'half' });
    expect(job.phase.value).toBe('running');
    expect(job.progress.value).toEqual({ done: 2, total: 5, etaSeconds: 3, message: 'half' });
    job.cancel();
    expect(client.sentOf('job/cancel')).toEqual([{ type: 'job/cancel', jobId: id }]);
    job.track({ type: 'job/error', jobId: id, message: 'boom' });
    expect(job.phase.value).toBe('error');
    expect(job.errorMessage.value).toBe('boom');
    expect(job.running.value).toBe(false);
  });

  it('reports a start while disconnected instead of waiting for a job', () => {
    const { engine } = attachFakeClient();
    const job = useJobRun(engine, 'test');
    expect(job.start({ kind: 'sim', task: 'pendulum', seed: 0, policy: 'random' })).toBe(false);
    expect(job.phase.value).toBe('idle');
  });
});
