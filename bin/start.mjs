#!/usr/bin/env node
// `npm start`: the desktop app when Electron's runtime is installed, the browser workbench
// (`mbrl-lab serve`) when it is not. Electron ≥ 42 fetches its binary at first launch
// (`npx install-electron`) rather than at `npm install`, so a fresh checkout may lack it.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(import.meta.url);

/**
 * The Electron executable, or undefined when its runtime is not installed.
 *
 * `require('electron')` returns the path when the binary is there; when it is not, it starts a
 * download itself (a silent ~100 MB fetch, or a stack trace when offline) and throws if that fails.
 * So we require it only when the binary it names already exists, and leave the download to
 * `npx install-electron`, which the user runs knowingly and which shows its progress.
 */
function electronBinary() {
  let packageDir;
  try {
    packageDir = dirname(require.resolve('electron/package.json'));
  } catch {
    return undefined;
  }
  if (!process.env.ELECTRON_OVERRIDE_DIST_PATH) {
    const pathFile = join(packageDir, 'path.txt');
    if (!existsSync(pathFile) || !existsSync(join(packageDir, 'dist', readFileSync(pathFile, 'utf8')))) return undefined;
  }
  try {
    return require('electron');
  } catch {
    return undefined;
  }
}

/**
 * Runs a command with our stdio, passes Ctrl-C and termination on to it, and resolves with its
 * exit code (128 + signal number when a signal ended it, as shells report).
 *
 * Each kind of signal is forwarded once: a terminal's Ctrl-C already reaches the child directly
 * (same process group), and a second copy from us must not look like "press Ctrl-C again to force".
 */
function run(command, args, options = {}) {
  return new Promise((resolvePromise, reject) => {
    const child = spawn(command, args, { cwd: root, stdio: 'inherit', ...options });
    const forwarded = new Set();
    const forward = (signal) => {
      if (forwarded.has(signal)) return;
      forwarded.add(signal);
      child.kill(signal);
    };
    const signals = ['SIGINT', 'SIGTERM', 'SIGHUP'];
    for (const signal of signals) process.on(signal, forward);
    child.once('error', reject);
    child.once('exit', (code, signal) => {
      for (const s of signals) process.off(s, forward);
      resolvePromise(code ?? 128 + (signal ? signalNumber(signal) : 1));
    });
  });
}

function signalNumber(signal) {
  return { SIGHUP: 1, SIGINT: 2, SIGKILL: 9, SIGTERM: 15 }[signal] ?? 1;
}

async function main() {
  const electron = electronBinary();
  if (!electron) {
    console.log(
      `Electron's runtime is not installed here (run "npx install-electron" to get it); starting the browser workbench instead.`,
    );
    return run(process.execPath, [join(root, 'bin', 'mbrl-lab.mjs'), 'serve', ...process.argv.slice(2)]);
  }
  // Build first: the app runs from out/, and a stale build would show yesterday's code.
  const electronVite = join(dirname(require.resolve('electron-vite/package.json')), 'bin', 'electron-vite.js');
  const built = await run(process.execPath, [electronVite, 'build']);
  if (built !== 0) return built;
  // ELECTRON_RUN_AS_NODE, inherited from some tools, would start Electron as plain Node.
  const env = { ...process.env };
  delete env.ELECTRON_RUN_AS_NODE;
  return run(electron, ['.', ...process.argv.slice(2)], { env });
}

main().then(
  (code) => process.exit(code),
  (error) => {
    console.error(`npm start failed: ${error instanceof Error ? error.message : String(error)}`);
    process.exit(1);
  },
);
