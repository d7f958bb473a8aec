import { join } from 'node:path';
import type { Env, TaskFunctions, TaskInfo } from '../mbrl/env';
import type { Connection, EngineEvent, JobSpec, Request } from '../protocol';
import { parseWith, Request as RequestSchema, transferablesOf } from '../protocol';
import type { Job, JobContext } from './jobs/job';
import { listForesightPresets, listLatentPresets, listPresets } from './presets';
import { listRuns, readMetrics, readRunInfo } from './run/runs-index';
import { ProgressClock } from './jobs/progress-clock';
import { ExperimentJob } from './jobs/experiment-job';
import { SimJob } from './jobs/sim-job';
import { DatasetSessions, oneLine } from './datasets/dataset-sessions';
import { DatasetTrainJob } from './datasets/dataset-train-job';
import { LatentJob } from './jobs/latent-job';
import { ForesightJob } from './jobs/foresight-job';

/** What the engine needs from its surroundings; entry points (engine main, CLI, tests) provide it. */
export interface EngineServices {
  /** The `engine/info` reply (backend, host, versions, pid). */
  info: Extract<EngineEvent, { type: 'engine/info' }>;
  listTasks(): TaskInfo[];
  makeEnv(task: string): Promise<Env>;
  /** Per-step and batched reward/termination of a task. */
  taskFunctions(task: string): TaskFunctions;
  /** Where experiments started from the UI write their run folders. */
  runsDir: string;
  log(line: string): void;
  /**
   * Switches the tfjs backend ('auto': the measured fastest) and remembers the setting; resolves to
   * the new `engine/info`. Absent where the backend is fixed (tests).
   */
  setBackend?(setting: Extract<Request, { type: 'engine/set-backend' }>['backend'], remeasure: boolean): Promise<Extract<EngineEvent, { type: 'engine/info' }>>;
}

interface RunningJob {
  job: Job;
  controller: AbortController;
}

/**
 * The engine's request loop. Serves any number of connections; each owns its jobs, which are
 * cancelled when it closes. Never throws on bad input: a malformed request gets an `error` event,
 * a failing job gets `job/error`, and the engine carries on.
 */
export class Engine {
  private readonly jobs = new Map<Connection, Map<string, RunningJob>>();
  /** Datasets each connection has open for browsing (closed when it goes). */
  private readonly datasets = new Map<Connection, DatasetSessions>();
  /** A backend switch in progress: jobs wait for it, so none starts on the backend being replaced. */
  private backendSwitch: Promise<void> | null = null;

  constructor(private readonly services: EngineServices) {}

  /** Starts serving a connection. */
  attach(conn: Connection): void {
    this.jobs.set(conn, new Map());
    this.datasets.set(conn, new DatasetSessions(process.cwd(), this.services));
    conn.onMessage((data) => {
      try {
        this.receive(conn, data);
      } catch (error) {
        this.send(conn, { type: 'error', message: `engine failed on a request: ${(error as Error).message}` });
      }
    });
    conn.onClose(() => {
      for (const running of this.jobs.get(conn)?.values() ?? []) running.controller.abort();
      this.jobs.delete(conn);
      void this.datasets.get(conn)?.closeAll();
      this.datasets.delete(conn);
    });
  }

  /** Number of jobs running across all connections. */
  get runningJobs(): number {
    let n = 0;
    for (const m of this.jobs.values()) n += m.size;
    return n;
  }

  private receive(conn: Connection, data: unknown): void {
    const parsed = parseWith(RequestSchema, data);
    if (!parsed.ok) {
      const type = (data as { type?: unknown })?.type;
      const what = typeof type === 'string' ? `'${type}'` : 'message';
      this.send(conn, { type: 'error', message: `malformed ${what}: ${parsed.error}` });
      return;
    }
    this.dispatch(conn, parsed.value);
  }

  private dispatch(conn: Connection, request: Request): void {
    switch (request.type) {
      case 'engine/info':
        return this.send(conn, this.services.info);
      case 'task/list':
        return this.send(conn, { type: 'task/list', tasks: this.services.listTasks() });
      case 'job/start':
        return void this.start(conn, request.jobId, request.spec);
      case 'presets/list':
        return void listPresets().then(({ presets, errors }) => this.send(conn, { type: 'presets/list', presets, errors }));
      case 'presets/latent':
        return void listLatentPresets().then(({ presets, errors }) => this.send(conn, { type: 'presets/latent', presets, errors }));
      case 'presets/foresight':
        return void listForesightPresets().then(({ presets, errors }) => this.send(conn, { type: 'presets/foresight', presets, errors }));
      case 'runs/list':
        return void this.listRuns(conn);
      case 'runs/get':
        return void this.getRun(conn, request.runId);
      case 'engine/set-backend':
        return void this.setBackend(conn, request.backend, request.remeasure ?? false);
      case 'job/cancel': {
        const running = this.jobs.get(conn)?.get(request.jobId);
        if (!running) return this.send(conn, { type: 'error', message: `job/cancel: no running job '${request.jobId}'` });
        running.controller.abort();
        return;
      }
      case 'sim/command':
      case 'sim/action': {
        const running = this.jobs.get(conn)?.get(request.jobId);
        if (!running?.job.handle) return this.send(conn, { type: 'error', message: `${request.type}: no simulation '${request.jobId}'` });
        return running.job.handle(request);
      }
      case 'dataset/open':
        return this.serveDataset(conn, (d) => d.open(request.path));
      case 'dataset/episode':
        return this.serveDataset(conn, (d) => d.episode(request.datasetId, request.episode, request.fields, request.start, request.end));
      case 'dataset/close':
        return this.serveDataset(conn, async (d) => {
          if (!(await d.close(request.datasetId))) throw new Error(`dataset/close: no open dataset '${request.datasetId}'`);
        });
      case 'dataset/frame':
        return this.serveDataset(conn, (d) => d.frame(request.datasetId, request.episode, request.field, request.step));
      case 'dataset/video':
        return this.serveDataset(conn, (d) => d.video(request.datasetId, request.episode, request.key));
      case 'dataset/replay':
        return this.serveDataset(conn, (d) => d.replay(request.datasetId, request.episode, request.task, request.fields));
      case 'dataset/upload':
        return this.serveDataset(conn, (d) => d.upload(request));
      case 'dataset/export':
        return this.serveDataset(conn, (d) => d.export(request.datasetId, request));
    }
  }

  /** Runs a dataset request; its reply (if any) or a one-line `error` goes back, the engine carries on. */
  private serveDataset(conn: Connection, work: (datasets: DatasetSessions) => Promise<EngineEvent | EngineEvent[] | void>): void {
    const datasets = this.datasets.get(conn);
    if (!datasets) return;
    work(datasets).then(
      (events) => {
        for (const event of Array.isArray(events) ? events : events ? [events] : []) this.send(conn, event);
      },
      (error: unknown) => this.send(conn, { type: 'error', message: oneLine(error) }),
    );
  }

  private async start(conn: Connection, jobId: string, spec: JobSpec): Promise<void> {
    const jobs = this.jobs.get(conn);
    if (!jobs) return;
    if (jobs.has(jobId)) return this.send(conn, { type: 'job/error', jobId, message: `a job '${jobId}' is already running` });
    const controller = new AbortController();
    const clock = new ProgressClock();
    const ctx: JobContext = {
      jobId,
      signal: controller.signal,
      emit: (event) => this.send(conn, event),
      progress: (done, total, message) =>
        this.send(conn, { type: 'job/progress', jobId, done, total, etaSeconds: clock.eta(done, total), message }),
    };
    // Register before any await so a cancel that arrives during set-up finds the job.
    const placeholder: RunningJob = { job: { run: async () => {} }, controller };
    jobs.set(jobId, placeholder);
    try {
      await this.backendSwitch;
      placeholder.job = await this.createJob(spec, ctx.emit);
      this.send(conn, { type: 'job/started', jobId, kind: spec.kind });
      await placeholder.job.run(ctx);
      this.send(conn, controller.signal.aborted ? { type: 'job/cancelled', jobId } : { type: 'job/done', jobId });
    } catch (error) {
      this.services.log(`job ${jobId} failed: ${(error as Error).message ?? error}`);
      this.send(conn, { type: 'job/error', jobId, message: (error as Error).message ?? String(error) });
    } finally {
      jobs.delete(jobId);
    }
  }

  private async createJob(spec: JobSpec, emit: (event: EngineEvent) => void): Promise<Job> {
    if (spec.kind === 'dataset-train') return new DatasetTrainJob(spec, this.services.runsDir);
    if (spec.kind === 'latent') {
      const { kind: _kind, ...latent } = spec;
      return new LatentJob(latent, emit);
    }
    if (spec.kind === 'foresight') return new ForesightJob(spec, this.services.runsDir);
    const task = spec.kind === 'experiment' ? spec.spec.task : spec.task;
    const info = this.services.listTasks().find((t) => t.id === task);
    if (!info) {
      const known = this.services.listTasks().map((t) => t.id).join(', ');
      throw new Error(`unknown task '${task}'; known tasks: ${known}`);
    }
    switch (spec.kind) {
      case 'sim':
        return new SimJob(spec, await this.services.makeEnv(spec.task), info);
      case 'experiment':
        return new ExperimentJob(spec, this.services);
    }
  }

  /** Switches the backend when no job runs anywhere (their tensors live on the old one); every client gets the new info. */
  private async setBackend(conn: Connection, setting: Extract<Request, { type: 'engine/set-backend' }>['backend'], remeasure: boolean): Promise<void> {
    if (!this.services.setBackend) return this.send(conn, { type: 'error', message: 'engine/set-backend: this engine cannot switch backends' });
    if (this.runningJobs > 0) {
      return this.send(conn, { type: 'error', message: `engine/set-backend: ${this.runningJobs} job(s) running; stop them first (the backend was not changed)` });
    }
    if (this.backendSwitch) return this.send(conn, { type: 'error', message: 'engine/set-backend: a backend switch is already under way' });
    const switching = this.services.setBackend(setting, remeasure);
    this.backendSwitch = switching.then(
      () => {},
      () => {},
    );
    try {
      this.services.info = await switching;
      this.services.log(`[engine] tfjs backend: ${this.services.info.backend} via ${this.services.info.backendDetail}`);
      for (const other of this.jobs.keys()) this.send(other, this.services.info);
    } catch (error) {
      this.send(conn, { type: 'error', message: `engine/set-backend: ${(error as Error).message.split('\n')[0]}` });
    } finally {
      this.backendSwitch = null;
    }
  }

  private async listRuns(conn: Connection): Promise<void> {
    const dir = this.services.runsDir;
    this.send(conn, { type: 'runs/list', runs: await listRuns(dir), dir });
  }

  private async getRun(conn: Connection, runId: string): Promise<void> {
    // Run ids are folder names from runs/list: refuse anything that could leave the runs folder.
    if (!/^[A-Za-z0-9._-]+$/.test(runId) || runId.startsWith('.')) return this.send(conn, { type: 'error', message: `runs/get: invalid run id '${runId}'` });
    const dir = join(this.services.runsDir, runId);
    const info = await readRunInfo(dir);
    if (!info) return this.send(conn, { type: 'error', message: `runs/get: no run '${runId}' in ${this.services.runsDir}` });
    this.send(conn, { type: 'runs/metrics', runId, spec: (info.spec ?? {}) as Record<string, unknown>, records: await readMetrics(dir) });
  }

  private send(conn: Connection, event: EngineEvent): void {
    try {
      conn.post(event, transferablesOf(event));
    } catch (error) {
      this.services.log(`could not send ${event.type}: ${(error as Error).message}`);
    }
  }
}
