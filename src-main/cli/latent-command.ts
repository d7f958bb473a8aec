/**
 * `mbrl-lab latent SPEC.json [--out DIR] [--controllers latent,true-state,random] [--backend B]`: a latent
 * job (issue 6) in this process, with a progress bar: collect random episodes of an image task, train
 * the latent model, then run the spec's control episodes with each controller asked for (the learned
 * latent planner and the baselines, through the same job code) and print each one's success rate and
 * final-distance distribution. Everything lands in DIR/latent-eval.json (the model in DIR/model/).
 */
import { join } from 'node:path';
import { runLatentJob, type LatentJobEvent, type LatentJobSpec } from '../engine/jobs/latent-job';
import type { LatentControllerKind } from '../engine/jobs/latent-controllers';
import type { JobContext } from '../engine/jobs/job';
import { writeFileAtomic } from '../engine/run/atomic-write';
import type { BackendChoice } from '../engine/tf-backend';
import { LatentJobSpec as LatentJobSpecSchema } from '../protocol';
import { quantile } from '../mbrl/util';
import { startEvalRun } from './eval-run';
import { CliError, parseControllers, readSpecFile } from './spec-file';

/** Options as parsed from the command line. */
export interface LatentArgs {
  spec: string;
  out?: string;
  controllers?: string;
  backend?: BackendChoice;
}

const CONTROLLERS: readonly LatentControllerKind[] = ['latent', 'true-state', 'random'];

/** One control episode as recorded. */
export interface LatentEpisodeRecord {
  episode: number;
  return: number;
  steps: number;
  success: boolean | null;
  measures: Record<string, number>;
}

/** What one controller achieved over the spec's control episodes. */
export interface LatentControllerResult {
  controller: LatentControllerKind;
  episodes: LatentEpisodeRecord[];
  /** Share of episodes judged successful, in [0, 1]; null when the task has no success predicate. */
  successRate: number | null;
  wallSeconds: number;
}

/** Reads and validates a latent job spec; errors name the file and the field. */
export async function readLatentSpec(path: string): Promise<LatentJobSpec & { kind: 'latent' }> {
  const spec = await readSpecFile(path, LatentJobSpecSchema);
  if (!spec.plan) throw new CliError(`${path}: invalid spec: plan: required (the control episodes to score)`);
  return spec as LatentJobSpec & { kind: 'latent' };
}

/** One line per controller: success rate and, for each measure, min / quartiles / max. */
export function describeResult(r: LatentControllerResult): string {
  const n = r.episodes.length;
  const wins = r.episodes.filter((e) => e.success).length;
  const rate = r.successRate === null ? 'no success predicate for this task' : `success ${wins}/${n} (${(100 * r.successRate).toFixed(0)} %)`;
  const names = [...new Set(r.episodes.flatMap((e) => Object.keys(e.measures)))];
  const parts = names.map((name) => {
    const v = r.episodes.map((e) => e.measures[name]).filter(Number.isFinite).sort((a, b) => a - b);
    const f = (q: number) => quantile(v, q).toFixed(3);
    return `${name}: min ${f(0)}, q1 ${f(0.25)}, median ${f(0.5)}, q3 ${f(0.75)}, max ${f(1)}`;
  });
  return [`${r.controller}: ${rate}`, ...parts, `${r.wallSeconds.toFixed(0)} s`].join('; ');
}

export async function latentCommand(args: LatentArgs): Promise<void> {
  const spec = await readLatentSpec(args.spec);
  const controllers = parseControllers(args.controllers, CONTROLLERS, [spec.plan!.controller ?? 'latent']);
  const run = await startEvalRun(spec.task, 'latent-eval', args.out, args.backend);
  const { out, backend, bar, abort, machine, date } = run;
  // The Ctrl-C listener goes with the run, whatever ends it.
  try {
    const { kind: _kind, ...jobSpec } = spec;
    const results: LatentControllerResult[] = [];
    const record = { spec, backend, machine, date, results, curves: [] as unknown[] };
    const save = () => writeFileAtomic(join(out, 'latent-eval.json'), `${JSON.stringify(record, null, 1)}\n`);

    for (const controller of controllers) {
      if (abort.signal.aborted) break;
      const started = Date.now();
      const episodes: LatentEpisodeRecord[] = [];
      let loss = '';
      const ctx: JobContext = {
        jobId: `cli-${controller}`,
        signal: abort.signal,
        emit: () => {},
        progress: (done, total, text = '') => {
          // A rough ETA: the units so far (episodes and epochs) at the rate so far.
          const elapsed = (Date.now() - started) / 1000;
          const note = text.startsWith('training') ? loss : '';
          bar.update(done, total, done > 0 ? (elapsed * (total - done)) / done : undefined, `${controller}: ${text}${note}`);
        },
      };
      const emit = (e: LatentJobEvent) => {
        if (e.type === 'latent/curve') {
          record.curves.push({ controller, epoch: e.epoch, train: e.train, val: e.val, transitionsPerSecond: e.transitionsPerSecond });
          loss = `, loss ${(e.val.total ?? e.train.total).toFixed(1)} (${e.transitionsPerSecond.toFixed(0)} transitions/s)`;
        } else if (e.type === 'latent/episode') {
          episodes.push({ episode: e.episode, return: e.return, steps: e.steps, success: e.success, measures: e.measures });
        }
      };
      const job: LatentJobSpec = { ...jobSpec, plan: { ...jobSpec.plan!, controller }, ...(controller === 'latent' ? { checkpointDir: join(out, 'model') } : {}) };
      let trained;
      try {
        trained = await runLatentJob(job, ctx, emit);
      } catch (error) {
        throw new CliError(`latent (${controller}): ${(error as Error).message}`);
      } finally {
        trained?.model.dispose();
      }
      const judged = episodes.filter((e) => e.success !== null);
      const result: LatentControllerResult = {
        controller,
        episodes,
        successRate: judged.length ? judged.filter((e) => e.success).length / judged.length : null,
        wallSeconds: (Date.now() - started) / 1000,
      };
      results.push(result);
      await save();
      console.log(describeResult(result));
    }
    await save();
    console.log(`${abort.signal.aborted ? 'cancelled' : 'finished'}: ${results.length} controller(s) on ${spec.task} (${backend}); written to ${join(out, 'latent-eval.json')}`);
  } finally {
    run.end();
  }
}
