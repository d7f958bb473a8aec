import { basename, join } from 'node:path';
import type { DatasetTrainJobSpec } from '../../protocol';
import type { Job, JobContext } from '../jobs/job';
import { newRunId } from '../run/runs-index';
import { trainOnDataset } from './train-on-dataset';

/**
 * Training on a recorded dataset, started from the Datasets view: the same path as
 * `mbrl-lab dataset train` (trainOnDataset) into a new folder under the runs directory, with
 * progress (epochs, ETA), a `train` metric per epoch, cancel between epochs, and after the fit one
 * `dataset/prediction` per held-out episode (the ensemble's open-loop prediction against it).
 */
export class DatasetTrainJob implements Job {
  constructor(
    private readonly spec: DatasetTrainJobSpec,
    private readonly runsDir: string,
  ) {}

  async run(ctx: JobContext): Promise<void> {
    const { spec } = this;
    const { jobId } = ctx;
    const name = basename(spec.path.replace(/[/\\]+$/, '')).replace(/\.[^.]*$/, '') || 'dataset';
    const runId = newRunId(`dataset-${name}`, spec.members > 1 ? `ensemble${spec.members}` : 'model');
    const dir = join(this.runsDir, runId);
    ctx.emit({ type: 'job/run-folder', jobId, runId, path: dir });
    ctx.progress(0, spec.epochs, 'reading the dataset');
    await trainOnDataset(
      {
        path: spec.path,
        out: dir,
        state: spec.state,
        action: spec.action,
        members: spec.members,
        probabilistic: spec.probabilistic,
        epochs: spec.epochs,
        hidden: spec.hidden,
        holdout: spec.holdout,
        seed: spec.seed,
        horizon: spec.horizon,
        batchSize: spec.batchSize,
      },
      {
        signal: ctx.signal,
        onEpoch: (e) => {
          ctx.emit({
            type: 'job/metric',
            jobId,
            record: { kind: 'train', fit: 0, epoch: e.epoch, epochs: e.epochs, train_loss: e.trainLoss, val_loss: Number.isNaN(e.valLoss) ? null : e.valLoss, transitions: e.transitions },
          });
          ctx.progress(e.epoch, spec.epochs, `epoch ${e.epoch}/${spec.epochs}${e.heldOutRmse !== null ? ` · held-out RMSE ${e.heldOutRmse.toPrecision(3)}` : ''}`);
        },
        onPrediction: (p) =>
          ctx.emit({
            type: 'dataset/prediction',
            jobId,
            episode: p.episode,
            name: p.name,
            obsDim: p.obsDim,
            steps: p.steps,
            memberCount: p.memberCount,
            dimNames: p.dimNames,
            truth: p.truth,
            members: p.members,
            mean: p.mean,
            std: p.std,
            rmse: p.rmse,
          }),
      },
    );
  }
}
