import type { EngineEventOf, ForesightEvalSpec, LatentJobSpec } from '@protocol';

/**
 * The presets of the pixel methods, as the Latent space and Visual foresight views offer them: the
 * spec files of resources/presets/latent and resources/presets/foresight (listed and validated by the
 * engine: `presets/latent`, `presets/foresight`), each with a title and a one-line description made
 * from its spec, so a preset whose contents change reads right without a renderer change.
 */
export interface PixelPreset<S> {
  /** The file name without `.json`, e.g. `e2c-point-mass`. */
  id: string;
  title: string;
  /** One line: task, model and its sizes, data, training and control. */
  description: string;
  spec: S;
  /** Why the view cannot take this preset (it is still listed); null when it can. */
  unusable: string | null;
}

export type LatentPresetItem = PixelPreset<LatentJobSpec>;
export type ForesightPresetItem = PixelPreset<ForesightEvalSpec>;
/** A preset as the engine lists it. */
export type EngineLatentPreset = EngineEventOf<'presets/latent'>['presets'][number];
export type EngineForesightPreset = EngineEventOf<'presets/foresight'>['presets'][number];

const MODEL_NAMES: Readonly<Record<LatentJobSpec['model']['kind'], string>> = {
  e2c: 'E2C',
  deterministic: 'Lecture model (deterministic)',
  stochastic: 'Lecture model (VAE encoder)',
};

const plural = (n: number, word: string, many = `${word}s`) => `${n} ${n === 1 ? word : many}`;
const widths = (w: readonly number[]) => w.join('×');

/** Title and description of a latent-job preset, from its spec. */
export function describeLatentPreset(spec: LatentJobSpec): { title: string; description: string } {
  const m = spec.model;
  const hidden = m.hidden.length ? ` + dense ${widths(m.hidden)}` : '';
  // The keypoint encoder has its own (usually no) hidden layers; `hidden` is then the decoder's only.
  const encoder = m.keypoints
    ? `${m.keypoints.channels} keypoints (${m.keypoints.kernel}×${m.keypoints.kernel})${m.keypoints.hidden?.length ? ` + dense ${widths(m.keypoints.hidden)}` : ''} → code, decoder MLP ${widths(m.hidden)}`
    : m.stages.length
      ? `patch convs ${m.stages.map((s) => `${s.patch}/${s.channels}`).join(' → ')}${hidden}`
      : `MLP ${m.hidden.length ? `${widths(m.hidden)} ` : ''}on the image`;
  const w = spec.image?.width;
  const h = spec.image?.height ?? w;
  const frames = `${w ? `${w}×${h}` : "the task's"} frames${(spec.image?.frameStack ?? 1) > 1 ? ` ×${spec.image!.frameStack} stacked` : ''}${(spec.image?.supersample ?? 1) > 1 ? `, anti-aliased ${spec.image!.supersample}×${spec.image!.supersample}` : ''}`;
  const parts = [`latent dim ${m.latentDim}, ${encoder}, ${frames}`];
  if (spec.collect) {
    const c = spec.collect;
    const exploring = c.exploringStarts === undefined ? [] : Array.isArray(c.exploringStarts) ? c.exploringStarts : [c.exploringStarts];
    const extra = exploring.length ? ` + ${exploring.reduce((n, set) => n + set.episodes, 0)} from exploring starts` : '';
    parts.push(`${plural(c.episodes, 'episode')}${c.steps ? ` × ${c.steps} steps` : ''}${(c.actionRepeat ?? 1) > 1 ? ` (repeat ${c.actionRepeat})` : ''}${extra}`);
  } else if (spec.data) {
    parts.push(`frames of ${spec.data.dataset}#${spec.data.imageKey}`);
  }
  parts.push(`${plural(spec.fit.epochs, 'epoch')} (batch ${spec.fit.batchSize})`);
  if (spec.mpcRounds) parts.push(`${plural(spec.mpcRounds.rounds, 'MPC round')} × ${plural(spec.mpcRounds.episodes, 'episode')}`);
  const p = spec.plan;
  if (p) {
    const planner = p.planner === 'ilqr' ? `iLQR ×${p.ilqr?.iterations ?? '?'}` : `CEM ${p.cem ? `${p.cem.population}×${p.cem.iterations}` : ''}`.trim();
    const toward = p.mode === 'goal' ? 'toward the goal image' : 'on the learned reward';
    const controller = p.controller && p.controller !== 'latent' ? ` (${p.controller} baseline)` : '';
    const offset = p.offsetCorrection ? ', offset-free (one-step code error fed back)' : '';
    parts.push(`control: ${planner} ${toward}${offset}, H ${p.horizon}, ${plural(p.episodes, 'episode')}${controller}`);
  }
  return { title: `${MODEL_NAMES[m.kind]} · ${spec.task}`, description: `${parts.join('; ')}.` };
}

/** Title and description of a visual-foresight evaluation preset, from its spec. */
export function describeForesightPreset(spec: ForesightEvalSpec): { title: string; description: string } {
  const size = spec.imageSize ?? 64;
  const m = spec.train.model ?? {};
  const model = [m.widths ? `widths ${m.widths.join('/')}` : '', m.kernels ? `${m.kernels} kernels${m.kernelSize ? ` ${m.kernelSize}×${m.kernelSize}` : ''}` : ''].filter(Boolean).join(', ');
  const parts = [`CDNA on ${size}×${size} frames${model ? ` (${model})` : ''}`];
  const c = spec.train.collect;
  if (c) parts.push(`${plural(c.episodes, 'random push', 'random pushes')} × ${c.steps} steps${c.goalPushEpisodes ? ` (${Math.round(100 * c.goalPushEpisodes)} % going around the block to push it)` : ''}`);
  const f = spec.train.fit;
  if (f?.steps) parts.push(`${f.steps} Adam steps${f.batchSize ? ` (batch ${f.batchSize}${f.horizon ? `, horizon ${f.horizon}` : ''})` : ''}`);
  const r = spec.train.mpcRounds;
  if (r) parts.push(`${plural(r.rounds, 'MPC round')} × (${plural(r.episodes, 'planner episode')}, ${r.fitSteps} steps${r.fitHorizon ? ` at horizon ${r.fitHorizon}` : ''})`);
  const pl = spec.planning;
  const icem = [pl.noiseBeta ? `colored noise β ${pl.noiseBeta}` : '', pl.keepElites ? plural(pl.keepElites, 'kept elite') : '', pl.returnBest ? 'best candidate' : ''].filter(Boolean);
  parts.push(`CEM ${pl.population}×${pl.iterations}${icem.length ? ` (iCEM: ${icem.join(', ')})` : ''}${(pl.hold ?? 1) > 1 ? ` over held ×${pl.hold}` : ''}, H ${pl.horizon}${pl.replanEvery ? `, replan every ${pl.replanEvery}` : ''}${pl.actuatorLimits ? ", knowing the pusher's slide limits" : ''}`);
  parts.push(`${spec.evaluate.steps}-step episodes (the CLI evaluates ${plural(spec.evaluate.tasks, 'task')})`);
  return { title: `CDNA ${size}×${size} · ${spec.task}`, description: `${parts.join('; ')}.` };
}

/** Titles made unique: where two presets would read the same, the file name is added. */
function uniqueTitles<S>(items: PixelPreset<S>[]): PixelPreset<S>[] {
  const count = new Map<string, number>();
  for (const p of items) count.set(p.title, (count.get(p.title) ?? 0) + 1);
  return items.map((p) => ((count.get(p.title) ?? 0) > 1 ? { ...p, title: `${p.title} (${p.id})` } : p));
}

/** The Latent space view's list: every listed preset, by id; one that trains on a dataset file is listed but unusable here. */
export function buildLatentPresets(fromEngine: readonly EngineLatentPreset[]): LatentPresetItem[] {
  return uniqueTitles(
    [...fromEngine]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((p) => ({ id: p.id, ...describeLatentPreset(p.spec), spec: p.spec, unusable: p.spec.data ? 'trains on a recorded dataset file: run it with `mbrl-lab latent`' : null })),
  );
}

/** The Visual foresight view's list: every listed preset, by id. */
export function buildForesightPresets(fromEngine: readonly EngineForesightPreset[]): ForesightPresetItem[] {
  return uniqueTitles(
    [...fromEngine]
      .sort((a, b) => a.id.localeCompare(b.id))
      .map((p) => ({ id: p.id, ...describeForesightPreset(p.spec), spec: p.spec, unusable: p.spec.train.collect ? null : 'collects nothing (train.collect is missing): run it with `mbrl-lab foresight`' })),
  );
}
