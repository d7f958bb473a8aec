/** `mbrl-lab foresight`: the real command line on a tiny evaluation spec, and its one-line errors. */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readForesightEvalSpec } from '../../src-main/cli/foresight-command';

const CLI = join(__dirname, '..', '..', 'bin', 'mbrl-lab.mjs');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 300_000 });

/** Tiny sizes: 16×16 frames, a 3-step fit and one MPC round of one episode, 2 tasks of 6 steps; the pipeline, not the result. */
const tiny = {
  kind: 'foresight-eval',
  task: 'planar-push-pixels',
  imageSize: 16,
  train: {
    collect: { episodes: 3, steps: 8, actionRepeat: 3, seed: 0, aimProbability: 0.5 },
    model: { widths: [4, 4, 4], kernels: 2, kernelSize: 3 },
    fit: { steps: 3, batchSize: 2, horizon: 3, samplingRampSteps: 2, reportEvery: 1 },
    mpcRounds: { rounds: 1, episodes: 1, steps: 4, fitSteps: 1, noise: 0.3, weight: 2 },
  },
  planning: { horizon: 3, hold: 3, population: 6, iterations: 1, replanEvery: 3, initialStdFraction: 0.5, seed: 0 },
  evaluate: { tasks: 2, seed: 7, minDistance: 10, maxDistance: 20, steps: 6, successRadius: 4, tracking: 'model', baselines: ['random', 'simulator'], heldOutEpisodes: 2, rankCandidates: 5 },
};

describe('mbrl-lab foresight', () => {
  it('collects, trains, scores prediction quality and evaluates the model beside both baselines', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mbrl-cli-foresight-'));
    const spec = join(dir, 'spec.json');
    writeFileSync(spec, JSON.stringify(tiny));
    const out = join(dir, 'run');
    const r = run(['foresight', spec, '--out', out, '--backend', 'wasm']);
    expect(r.stderr).not.toMatch(/Error/);
    expect(r.status).toBe(0);
    expect(r.stderr).toMatch(/^round 1 of 1: the planner's 1 episodes ended a median [\d.]+ px \(16×16 frame\) from their goals/m);
    expect(readdirSync(join(out, 'data')).sort()).toEqual(['planner-rounds.hdf5', 'transitions.hdf5']);
    expect(r.stdout).toMatch(/prediction quality on \d+ held-out windows/);
    expect(r.stdout).toMatch(/^\s+3\s+\d\.\d{5}\s+\d\.\d{5}/m); // the table's step-3 row
    for (const c of ['model', 'random', 'simulator']) expect(r.stdout).toMatch(new RegExp(`^${c}: success \\d/2 \\(\\d+ %\\) within 4 px; final distance px: min [\\d.]+, q1 [\\d.]+, median [\\d.]+, q3 [\\d.]+, max [\\d.]+$`, 'm'));
    expect(r.stdout).toMatch(/^model vs simulator on 5 random plans at each task start \(medians over 2 tasks\): Spearman (-?\d\.\d\d|NaN); \d+ plans leave the block still, .* the model's pick is [\d.]+ px·steps worse than the best; standing still costs [\d.]+ px·steps through the model, [\d.]+ truly$/m);
    expect(r.stdout.match(/^ {2}the block moved \(designated point ≥ 1 px from its start at some step\) in \d\/2 tasks$/gm)).toHaveLength(3);
    const saved = JSON.parse(readFileSync(join(out, 'foresight-eval.json'), 'utf8'));
    expect(saved.results.map((x: { controller: string }) => x.controller)).toEqual(['model', 'random', 'simulator']);
    expect(saved.results[0].tasks).toHaveLength(2);
    expect(saved.quality.mse).toHaveLength(3);
    expect(saved.ranking.map((t: { episodeSeed: number }) => t.episodeSeed)).toEqual([7, 8]);
    expect(saved.wallSeconds.collectAndTrain).toBeGreaterThan(0);
    // The trained model is reusable: baselines only, or the model again from the run folder.
    const again = run(['foresight', spec, '--from', out, '--controllers', 'model', '--out', join(dir, 'again'), '--backend', 'wasm']);
    expect(again.status).toBe(0);
    expect(again.stdout).toMatch(/^model: success \d\/2/m);
    // One task of the two, with its own start: the second (episode seed 8).
    const one = run(['foresight', spec, '--from', out, '--controllers', 'random', '--tasks', '1', '--out', join(dir, 'one'), '--backend', 'wasm']);
    expect(one.status).toBe(0);
    expect(one.stdout).toMatch(/^random: success \d\/1 /m);
    const oneSaved = JSON.parse(readFileSync(join(dir, 'one', 'foresight-eval.json'), 'utf8'));
    expect(oneSaved.results[0].tasks.map((t: { episodeSeed: number }) => t.episodeSeed)).toEqual([8]);
    expect(oneSaved.tasks).toEqual([1]);
    expect(saved.tasks).toBeUndefined();
  }, 600_000);

  it('names the file and the field of a bad spec in one line', () => {
    const dir = mkdtempSync(join(tmpdir(), 'mbrl-cli-foresight-'));
    const spec = join(dir, 'bad.json');
    writeFileSync(spec, JSON.stringify({ ...tiny, evaluate: { ...tiny.evaluate, tasks: 0 } }));
    const bad = run(['foresight', spec, '--out', join(dir, 'x')]);
    expect(bad.status).not.toBe(0);
    expect(bad.stderr.trim()).toMatch(new RegExp(`^mbrl-lab: ${spec.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}: invalid spec: .*evaluate\\.tasks`));
    writeFileSync(spec, JSON.stringify({ ...tiny, planning: { ...tiny.planning, horizon: 4 } }));
    expect(run(['foresight', spec]).stderr.trim()).toBe(`mbrl-lab: ${spec}: invalid spec: planning.horizon: must be a multiple of hold (3)`);
    writeFileSync(spec, JSON.stringify(tiny));
    expect(run(['foresight', spec, '--controllers', 'model,oracle']).stderr.trim()).toBe("mbrl-lab: --controllers: expected some of model, random, simulator, got 'oracle'");
    expect(run(['foresight']).stderr.trim()).toBe('mbrl-lab: foresight: expected one SPEC.json argument');
    expect(run(['foresight', spec, '--tasks', '0,2']).stderr.trim()).toBe(`mbrl-lab: --tasks: task 2 is out of range (${spec}'s evaluate.tasks has 2: 0-1)`);
  }, 300_000);

  it('ships presets that validate: a CPU one on 32×32 frames and a GPU one on 64×64', async () => {
    const dir = join(__dirname, '..', '..', 'resources', 'presets', 'foresight');
    const files = readdirSync(dir).filter((f) => f.endsWith('.json')).sort();
    expect(files).toEqual(['cpu-32.json', 'gpu-64.json']);
    const specs = await Promise.all(files.map((f) => readForesightEvalSpec(join(dir, f))));
    expect(specs.map((s) => s.imageSize)).toEqual([32, 64]);
    for (const s of specs) expect(s.evaluate).toMatchObject({ tasks: 20, minDistance: 10, maxDistance: 20, successRadius: 4, baselines: ['random', 'simulator'] });
  });
});
