/**
 * The `mbrl-lab` command: serve, run, bench. Errors the user can fix are printed as one line
 * (no stack trace) with a non-zero exit code. Commands load lazily: each pulls in only what it needs.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { BACKEND_PREFERENCE, type BackendChoice } from '../engine/tf-backend';
import { CliError } from './spec-file';

const USAGE = `Usage:
  mbrl-lab serve [--port N] [--backend B]   the workbench in your browser (127.0.0.1 only)
  mbrl-lab run SPEC.json --out DIR [--backend B]
                                            a headless run: DIR/run.json and DIR/metrics.jsonl
  mbrl-lab dataset inspect PATH [--json]    a recorded dataset (robomimic, D4RL, Minari, LeRobot, .npy/.npz):
                                            format, episodes, steps, every array's shape and dtype
  mbrl-lab dataset export PATH --to robomimic|npz --out FILE [--episodes 0,2,5-7] [--state KEY,...] [--action KEY]
                                            episodes (all or a subset) as robomimic HDF5 or an .npz replay buffer
  mbrl-lab dataset train PATH --out DIR [--state KEY,...] [--action KEY] [--members K] [--probabilistic]
                         [--epochs N] [--hidden 200,200] [--holdout 0.2] [--horizon H] [--batch N] [--seed S] [--backend B]
                                            fit a dynamics model/ensemble on a dataset's episodes; open-loop RMSE vs horizon
                                            on held-out episodes: DIR/run.json, DIR/metrics.jsonl, DIR/checkpoints/
  mbrl-lab collect TASK --out DIR [--episodes N] [--steps T] [--seed S] [--repeat K] [--aim P] [--size WxH]
                                            random episodes of an image task (e.g. point-mass-pixels, planar-push-pixels;
                                            --aim P: that share of held actions heads for the object)
                                            into a run folder: DIR/data/transitions.hdf5 (robomimic, obs/<camera>_image)
  mbrl-lab foresight SPEC.json [--out DIR] [--from RUN] [--controllers model,random,simulator] [--tasks 0,2,5-7] [--backend B]
                                            visual foresight's evaluation (specs: resources/presets/foresight/): collect random
                                            pushes and train the video model (or load RUN's), prediction quality vs copy-last-frame,
                                            then N random pushing tasks: success rate and final-distance distribution per controller
                                            (--tasks: only those of the N, each with its own start and goal)
  mbrl-lab latent SPEC.json [--out DIR] [--controllers latent,true-state,random] [--backend B]
                                            a latent-model job from pixels (specs: resources/presets/latent/): collect random
                                            episodes, train (e.g. E2C), then the spec's control episodes per controller (the
                                            latent planner, the same planner on the true state, random): success rate and
                                            final-distance distribution; DIR/latent-eval.json, DIR/model/
  mbrl-lab bench [--json] [--only GROUPS] [--backend B,...]
                                            benchmarks (env, planning, training, pets, all) on each backend named, or on every
                                            one that loads but cpu; appended to bench/RESULTS.md
Backends: ${BACKEND_PREFERENCE.join(', ')}. Default: the fastest on this machine, measured at first start and
remembered (the engine's settings folder: MBRL_LAB_CONFIG_DIR, else .mbrl-lab beside the runs folder); the UI's
status bar changes it. --backend webgpu also accepts a software adapter (SwiftShader, lavapipe).`;

function backendArg(value: string | undefined): BackendChoice | undefined {
  if (value === undefined) return undefined;
  if (!(BACKEND_PREFERENCE as readonly string[]).includes(value)) throw new CliError(`--backend: expected one of ${BACKEND_PREFERENCE.join(', ')}, got '${value}'`);
  return value as BackendChoice;
}

async function main(argv: string[]): Promise<void> {
  const [command, ...rest] = argv;
  const parse = (options: NonNullable<ParseArgsConfig['options']>) => {
    try {
      return parseArgs({ args: rest, options, allowPositionals: true, strict: true });
    } catch (error) {
      throw new CliError(`${command}: ${(error as Error).message}`);
    }
  };
  switch (command) {
    case 'serve': {
      const { values } = parse({ port: { type: 'string', default: '5173' }, backend: { type: 'string' } });
      const port = Number(values.port);
      if (!Number.isInteger(port) || port < 0 || port > 65535) throw new CliError(`--port: expected a port number, got '${String(values.port)}'`);
      const backend = backendArg(values.backend as string | undefined);
      return (await import('./serve-command')).serveCommand(port, backend ? { MBRL_LAB_BACKEND: backend } : {});
    }
    case 'run': {
      const { values, positionals } = parse({ out: { type: 'string' }, backend: { type: 'string' } });
      if (positionals.length !== 1) throw new CliError('run: expected one SPEC.json argument');
      if (!values.out) throw new CliError('run: --out DIR is required');
      return (await import('./run-command')).runCommand(positionals[0], values.out as string, backendArg(values.backend as string | undefined));
    }
    case 'dataset':
      return (await import('./dataset-command')).datasetCommand(rest);
    case 'collect': {
      const { values, positionals } = parse({
        out: { type: 'string' },
        episodes: { type: 'string' },
        steps: { type: 'string' },
        seed: { type: 'string' },
        repeat: { type: 'string' },
        aim: { type: 'string' },
        size: { type: 'string' },
      });
      if (positionals.length !== 1) throw new CliError('collect: expected one TASK argument');
      if (!values.out) throw new CliError('collect: --out DIR is required');
      return (await import('./collect-command')).collectCommand({ task: positionals[0], ...(values as Record<string, string | undefined>), out: values.out as string });
    }
    case 'foresight': {
      const { values, positionals } = parse({ out: { type: 'string' }, from: { type: 'string' }, controllers: { type: 'string' }, tasks: { type: 'string' }, backend: { type: 'string' } });
      if (positionals.length !== 1) throw new CliError('foresight: expected one SPEC.json argument');
      const backend = backendArg(values.backend as string | undefined);
      const { out, from, controllers, tasks } = values as Record<string, string | undefined>;
      return (await import('./foresight-command')).foresightCommand({ spec: positionals[0], out, from, controllers, tasks, backend });
    }
    case 'latent': {
      const { values, positionals } = parse({ out: { type: 'string' }, controllers: { type: 'string' }, backend: { type: 'string' } });
      if (positionals.length !== 1) throw new CliError('latent: expected one SPEC.json argument');
      const backend = backendArg(values.backend as string | undefined);
      return (await import('./latent-command')).latentCommand({ spec: positionals[0], out: values.out as string | undefined, controllers: values.controllers as string | undefined, backend });
    }
    case 'bench': {
      const { values } = parse({ json: { type: 'boolean', default: false }, only: { type: 'string' }, backend: { type: 'string' } });
      return (await import('./bench-command')).benchCommand(Boolean(values.json), { only: values.only as string | undefined, backends: values.backend as string | undefined });
    }
    case undefined:
    case 'help':
    case '--help':
    case '-h':
      console.log(USAGE);
      return;
    default:
      throw new CliError(`unknown command '${command}'\n${USAGE}`);
  }
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof CliError) console.error(`mbrl-lab: ${error.message}`);
  else console.error(`mbrl-lab: ${(error as Error)?.message ?? String(error)}`);
  process.exitCode = 1;
});
