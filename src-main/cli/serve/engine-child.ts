import { type ChildProcess, fork } from 'node:child_process';
import { EventEmitter } from 'node:events';
import { createRequire } from 'node:module';
import { fileURLToPath } from 'node:url';
import type { ChildEnvelope } from '../../engine/hosts/child-host';

const require = createRequire(import.meta.url);

/** The engine entry: TypeScript source run through tsx (the CLI runs from source too). */
export const ENGINE_ENTRY = fileURLToPath(new URL('../../engine/main.ts', import.meta.url));
/** Loads h5wasm before tsx's hooks, so its 4 MB module is not transformed (bin/preload-h5wasm.mjs). */
const H5WASM_PRELOAD = new URL('../../../bin/preload-h5wasm.mjs', import.meta.url).href;

interface EngineChildEvents {
  message: [conn: number, data: unknown];
  /** A dataset video grant or revoke from the engine (protocol/video-grants.ts). */
  video: [message: unknown];
  /** The child died unexpectedly and a new one was started. */
  restarted: [reason: string];
  /** Too many crashes in a row: gave up. */
  failed: [reason: string];
}

/**
 * Supervises the engine as a Node child process for `mbrl-lab serve`: forks it, holds messages until
 * it is ready, multiplexes client connections over its IPC channel, and restarts it if it crashes
 * (at most `maxRestarts` within a minute).
 */
export class EngineChild extends EventEmitter<EngineChildEvents> {
  private child: ChildProcess | null = null;
  private ready = false;
  private queue: ChildEnvelope[] = [];
  private stopping = false;
  private crashes: number[] = [];
  private readonly open = new Set<number>();

  constructor(private readonly env: NodeJS.ProcessEnv = {}, private readonly maxRestarts = 5) {
    super();
  }

  start(): void {
    this.ready = false;
    const tsx = require.resolve('tsx');
    const child = fork(ENGINE_ENTRY, [], {
      execArgv: ['--import', H5WASM_PRELOAD, '--import', `file://${tsx}`],
      serialization: 'advanced',
      stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
      env: { ...process.env, ...this.env, MBRL_LAB_HOST: 'node-child' },
    });
    this.child = child;
    child.on('message', (raw) => {
      const env = raw as ChildEnvelope;
      if (env.kind === 'ready') {
        this.ready = true;
        // Connections opened before a restart must exist again in the new engine.
        for (const conn of this.open) child.send({ conn, kind: 'open' } satisfies ChildEnvelope);
        for (const queued of this.queue.splice(0)) child.send(queued);
      } else if (env.kind === 'message') this.emit('message', env.conn, env.data);
      else if (env.kind === 'video') this.emit('video', env.data);
    });
    child.on('exit', (code, signal) => {
      if (this.child !== child) return;
      this.child = null;
      if (this.stopping) return;
      const reason = `the engine stopped unexpectedly (${signal ?? `exit code ${code}`})`;
      const now = Date.now();
      this.crashes = [...this.crashes.filter((t) => now - t < 60_000), now];
      if (this.crashes.length > this.maxRestarts) return void this.emit('failed', `${reason}; gave up after ${this.maxRestarts} restarts in a minute`);
      this.start();
      this.emit('restarted', `${reason} and was restarted`);
    });
  }

  /** Opens a client connection with the given id. */
  openConnection(conn: number): void {
    this.open.add(conn);
    this.post({ conn, kind: 'open' });
  }

  closeConnection(conn: number): void {
    this.open.delete(conn);
    this.post({ conn, kind: 'close' });
  }

  send(conn: number, data: unknown): void {
    this.post({ conn, kind: 'message', data });
  }

  /** The child's pid, for tests that need to crash it. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  async stop(): Promise<void> {
    this.stopping = true;
    const child = this.child;
    if (!child) return;
    await new Promise<void>((resolve) => {
      child.once('exit', () => resolve());
      child.kill();
    });
  }

  private post(envelope: ChildEnvelope): void {
    // 'open' for a connection is re-sent on ready, so only queue what would be lost.
    if (this.ready && this.child?.connected) this.child.send(envelope);
    else if (envelope.kind !== 'open') this.queue.push(envelope);
  }
}
