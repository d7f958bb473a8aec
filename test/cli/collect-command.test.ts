/** `mbrl-lab collect`: the real command line end to end, and its one-line errors. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';

const CLI = join(__dirname, '..', '..', 'bin', 'mbrl-lab.mjs');
const run = (args: string[]) => spawnSync(process.execPath, [CLI, ...args], { encoding: 'utf8', timeout: 120_000 });

describe('mbrl-lab collect', () => {
  it('collects random image episodes into a run folder with progress, readable by dataset inspect', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mbrl-cli-collect-')), 'run');
    const r = run(['collect', 'planar-push-pixels', '--episodes', '2', '--steps', '6', '--repeat', '3', '--aim', '0.5', '--size', '32x32', '--out', out]);
    expect(r.stderr).toMatch(/2\/2/); // the progress bar's last line
    expect(r.stdout).toMatch(/finished: 2 episode\(s\), 12 transitions of planar-push-pixels/);
    expect(r.status).toBe(0);
    expect(JSON.parse(readFileSync(join(out, 'run.json'), 'utf8')).spec).toMatchObject({ kind: 'collect', episodes: 2, steps: 6, actionRepeat: 3, aimProbability: 0.5, width: 32, height: 32 });
    const inspect = run(['dataset', 'inspect', join(out, 'data', 'transitions.hdf5'), '--json']);
    expect(inspect.status).toBe(0);
    const summary = JSON.parse(inspect.stdout);
    expect(summary).toMatchObject({ format: 'robomimic', steps: 12 });
    expect(summary.arrays['data/demo_1/obs/top_image']).toMatchObject({ shape: [6, 32, 32, 3], dtype: 'uint8' });
  });

  it('names the bad argument in one line and writes nothing', () => {
    const out = join(mkdtempSync(join(tmpdir(), 'mbrl-cli-collect-')), 'run');
    const unknown = run(['collect', 'pendulum', '--out', out]);
    expect(unknown.status).not.toBe(0);
    expect(unknown.stderr.trim()).toBe(
      "mbrl-lab: collect: unknown image task 'pendulum'; known image tasks: pendulum-pixels, cartpole-pixels, reacher-pixels, point-mass-pixels, planar-push-pixels",
    );
    const badSize = run(['collect', 'pendulum-pixels', '--size', '64', '--out', out]);
    expect(badSize.stderr.trim()).toBe("mbrl-lab: --size: expected WxH such as 64x64, got '64'");
    const tooLong = run(['collect', 'pendulum-pixels', '--steps', '500', '--out', out]);
    expect(tooLong.stderr.trim()).toBe('mbrl-lab: collect: steps: expected an integer in 1..200, got 500');
    const badAim = run(['collect', 'planar-push-pixels', '--aim', '2', '--out', out]);
    expect(badAim.stderr.trim()).toBe("mbrl-lab: --aim: expected a probability in [0, 1], got '2'");
    const noAim = run(['collect', 'pendulum-pixels', '--aim', '0.5', '--out', out]);
    expect(noAim.stderr.trim()).toBe('mbrl-lab: collect: aim: pendulum-pixels has no scripted exploration to aim with');
    expect(existsSync(out)).toBe(false);
  });
});
