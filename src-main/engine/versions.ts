import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);

function versionOf(packageJson: string): string | undefined {
  try {
    return (require(packageJson) as { version: string }).version;
  } catch {
    return undefined;
  }
}

/** Versions worth recording with a run: the app, Node, and the numeric libraries. */
export function engineVersions(): Record<string, string> {
  const out: Record<string, string> = { node: process.versions.node };
  if (process.versions.electron) out.electron = process.versions.electron;
  const app = versionOf('../../package.json') ?? process.env.npm_package_version;
  if (app) out['mbrl-lab'] = app;
  for (const pkg of ['@tensorflow/tfjs-core', 'mujoco-js']) {
    const v = versionOf(`${pkg}/package.json`);
    if (v) out[pkg] = v;
  }
  return out;
}
