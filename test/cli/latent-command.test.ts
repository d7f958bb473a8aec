/** `mbrl-lab latent`: the real command line end to end on a tiny spec, and its one-line errors. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(__dirname, '..', '..', 'bin', 'mbrl-lab.mjs');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 240_000 });

const tiny = {
  kind: 'latent',
  task: 'point-mass-pixels',
  collect: { episodes: 3, steps: 20, seed: 1 },
  model: { kind: 'e2c', latentDim: 2, stages: [{ patch: 4, channels: 8 }], hidden: [32], dynamicsHidden: [16], rewardHidden: [], activation: 'relu', pixelStd: 0.1, meanImageOffset: true, inputBlur: 1, seed: 0 },
  fit: { epochs: 1, batchSize: 20, learningRate: 0.001, valFraction: 0.1, seed: 0 },
  plan: { episodes: 2, steps: 5, mode: 'goal', planner: 'ilqr', horizon: 4, ilqr: { iterations: 3, stateCost: 0.1, finalStateCost: 10, actionCost: 0.01 }, seed: 1000 },
};

function writeSpec(spec: unknown): { dir: string; path: string } {
  const dir = mkdtempSync(join(tmpdir(), 'mbrl-cli-latent-'));
  const path = join(dir, 'spec.json');
  writeFileSync(path, JSON.stringify(spec));
  return { dir, path };
}

describe('mbrl-lab latent', () => {
  it('trains, runs the control episodes per controller, prints success rates and final distances, and writes latent-eval.json and the model', () => {
    const { dir, path } = writeSpec(tiny);
    const out = join(dir, 'out');
    const r = run(['latent', path, '--out', out, '--controllers', 'latent,random', '--backend', 'wasm']);
    // The progress bar (off a terminal it prints a line at most every 2 s, so which phases show depends on speed).
    expect(r.stderr).toMatch(/^\[[#-]+\] \d+\/\d+ .*latent: /m);
    expect(r.stdout).toMatch(/^latent: success \d\/2 \(\d+ %\); finalDistance: min [\d.]+, q1 [\d.]+, median [\d.]+, q3 [\d.]+, max [\d.]+; \d+ s$/m);
    expect(r.stdout).toMatch(/^random: success \d\/2 /m);
    expect(r.stdout).toMatch(/finished: 2 controller\(s\) on point-mass-pixels \(wasm\)/);
    expect(r.status).toBe(0);
    const record = JSON.parse(readFileSync(join(out, 'latent-eval.json'), 'utf8'));
    expect(record.results.map((x: { controller: string }) => x.controller)).toEqual(['latent', 'random']);
    for (const res of record.results) {
      expect(res.episodes).toHaveLength(2);
      for (const e of res.episodes) expect(e.measures.finalDistance).toBeGreaterThanOrEqual(0);
      expect(res.successRate).toBe(res.episodes.filter((e: { success: boolean }) => e.success).length / 2);
    }
    expect(record.curves).toHaveLength(1);
    expect(record.machine.cpus).toBeGreaterThan(0);
    expect(existsSync(join(out, 'model', 'model.json'))).toBe(true);
  }, 240_000);

  it('names the bad argument or field in one line', () => {
    const { path: noPlan } = writeSpec({ ...tiny, plan: undefined });
    const a = run(['latent', noPlan, '--out', join(tmpdir(), 'never')]);
    expect(a.status).not.toBe(0);
    expect(a.stderr.trim()).toBe(`mbrl-lab: ${noPlan}: invalid spec: plan: required (the control episodes to score)`);
    const { path: bad } = writeSpec({ ...tiny, plan: { ...tiny.plan, controller: 'oracle' } });
    expect(run(['latent', bad]).stderr.trim()).toMatch(new RegExp(`^mbrl-lab: ${bad}: invalid spec: plan.controller`));
    const { path: ok } = writeSpec(tiny);
    expect(run(['latent', ok, '--controllers', 'latent,best']).stderr.trim()).toBe("mbrl-lab: --controllers: expected some of latent, true-state, random, got 'best'");
    expect(run(['latent']).stderr.trim()).toBe('mbrl-lab: latent: expected one SPEC.json argument');
  }, 120_000);
});
