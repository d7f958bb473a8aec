import { EventEmitter } from 'node:events';
import { MessageChannelMain, utilityProcess, type MessagePortMain, type UtilityProcess } from 'electron';

/** How the engine process ended. */
export interface EngineExit {
  /** Exit code from waitpid / GetExitCodeProcess. */
  code: number;
  /** True when we asked it to stop (stop() or app quit); false for a crash or an unexpected exit. */
  expected: boolean;
  /** The last lines the engine wrote to stderr, oldest first: the likely cause of a crash. */
  stderrTail: string[];
}

/** A new engine replaced one that exited unexpectedly. Clients must ask for new ports. */
export interface EngineRestart {
  /** The exit that caused the restart. */
  exit: EngineExit;
  /** Restarts within the current window, this one included (1 … maxRestarts). */
  attempt: number;
}

/** Events of {@link EngineSupervisor}, for a typed EventEmitter. */
export interface EngineSupervisorEvents {
  /** The OS process is running (pid known). */
  spawn: [pid: number | undefined];
  /** Every exit, expected or not. */
  exit: [exit: EngineExit];
  /** An unexpected exit was followed by a new engine. */
  restarted: [restart: EngineRestart];
  /** Too many unexpected exits in a short time: no more restarts until start() is called. */
  'gave-up': [exit: EngineExit];
  /** A line the engine wrote to stdout or stderr. */
  log: [stream: 'stdout' | 'stderr', line: string];
  /** A message the engine posted to main (dataset video grants: protocol/video-grants.ts). */
  message: [data: unknown];
}

/** Settings of {@link EngineSupervisor}. */
export interface EngineSupervisorOptions {
  /** The engine's entry script (`out/main/engine.js`). */
  enginePath: string;
  /** Folder of models, presets and datasets; the engine reads it from MBRL_LAB_RESOURCES. */
  resourcesDir: string;
  /**
   * Where the engine keeps its per-machine settings (the backend choice); handed over as
   * MBRL_LAB_CONFIG_DIR unless the environment already sets it. The app passes its userData folder.
   */
  configDir?: string;
  /** Most restarts allowed within {@link restartWindowMs}. Default 5. */
  maxRestarts?: number;
  /** Milliseconds over which restarts are counted. Default 60 000. */
  restartWindowMs?: number;
  /** Milliseconds to wait before restart number `attempt` (1-based). Default 250 · 2^(attempt-1), at most 8 s. */
  restartDelayMs?: (attempt: number) => number;
}

const STDERR_TAIL_LINES = 20;

/** The default back-off: quick for a one-off crash, slower when the engine keeps dying. */
export function defaultRestartDelayMs(attempt: number): number {
  return Math.min(250 * 2 ** (attempt - 1), 8000);
}

/**
 * Runs the engine in an Electron utility process and keeps it running.
 *
 * The utility process is a Node.js process that Chromium's service machinery starts and reaps, so
 * a crashing engine (a native tfjs error, an out-of-memory) cannot take the window with it. When it
 * exits without being asked, the supervisor starts a new one after a back-off, at most
 * `maxRestarts` times per `restartWindowMs`, then gives up and says so ('gave-up') instead of
 * looping on a crash that happens at every start.
 *
 * Clients get their own MessagePort to the engine from {@link connect}: data flows renderer ⇄ engine
 * directly and never through the main process.
 */
export class EngineSupervisor extends EventEmitter<EngineSupervisorEvents> {
  private child: UtilityProcess | undefined;
  private spawned = false;
  /** Engine-side ports made by connect() while no engine was spawned; delivered on 'spawn'. */
  private pendingPorts: MessagePortMain[] = [];
  private restartTimes: number[] = [];
  private restartTimer: ReturnType<typeof setTimeout> | undefined;
  private stopping = false;
  private gaveUp = false;
  private stderrTail: string[] = [];
  private readonly maxRestarts: number;
  private readonly restartWindowMs: number;
  private readonly restartDelayMs: (attempt: number) => number;

  constructor(private readonly options: EngineSupervisorOptions) {
    super();
    this.maxRestarts = options.maxRestarts ?? 5;
    this.restartWindowMs = options.restartWindowMs ?? 60_000;
    this.restartDelayMs = options.restartDelayMs ?? defaultRestartDelayMs;
  }

  /** Whether an engine process exists or is about to be restarted (connect() will succeed). */
  get alive(): boolean {
    return this.child !== undefined || this.restartTimer !== undefined;
  }

  /** The engine's process id while it runs. */
  get pid(): number | undefined {
    return this.child?.pid;
  }

  /**
   * Starts the engine if it is not running. After 'gave-up' this is how the user tries again: the
   * restart count starts from zero.
   */
  start(): void {
    this.stopping = false;
    if (this.gaveUp) {
      this.gaveUp = false;
      this.restartTimes = [];
    }
    if (this.alive) return;
    this.fork();
  }

  /**
   * Stops the engine without restarting it; resolves once the process has exited. Ports handed out
   * earlier close, so clients see their connection end.
   */
  stop(): Promise<void> {
    this.stopping = true;
    this.clearRestartTimer();
    this.closePendingPorts();
    const child = this.child;
    if (!child) return Promise.resolve();
    return new Promise((resolve) => {
      child.once('exit', () => resolve());
      child.kill();
    });
  }

  /**
   * Makes a new channel to the engine and returns the client's end.
   *
   * The engine receives `{ type: 'engine/connect' }` on `process.parentPort` with the other end in
   * `event.ports[0]`. A port asked for while the engine is being restarted is delivered to the new
   * engine. Main never calls `start()` on the returned port: it is meant to be transferred to a
   * renderer, whose side starts it.
   *
   * @throws when the engine was stopped or the supervisor gave up restarting it.
   */
  connect(): MessagePortMain {
    if (this.stopping) throw new Error('The engine is stopping.');
    if (!this.alive) throw new Error(this.gaveUp ? 'The engine keeps crashing and was not restarted.' : 'The engine is not running.');
    const { port1: enginePort, port2: clientPort } = new MessageChannelMain();
    if (this.child && this.spawned) this.post(this.child, enginePort);
    else this.pendingPorts.push(enginePort);
    return clientPort;
  }

  private post(child: UtilityProcess, port: MessagePortMain): void {
    child.postMessage({ type: 'engine/connect' }, [port]);
  }

  private fork(): UtilityProcess {
    this.stderrTail = [];
    this.spawned = false;
    const child = utilityProcess.fork(this.options.enginePath, [], {
      serviceName: 'MBRL Lab engine',
      // Piped, not inherited: lines are tagged and the tail of stderr goes into crash reports. A
      // pipe must be read, or the engine blocks once the OS buffer is full, so pipeLines always drains.
      stdio: 'pipe',
      env: {
        ...(this.options.configDir ? { MBRL_LAB_CONFIG_DIR: this.options.configDir } : {}),
        ...process.env,
        MBRL_LAB_RESOURCES: this.options.resourcesDir,
        MBRL_LAB_HOST: 'electron-utility',
      },
    });
    this.child = child;
    pipeLines(child.stdout, (line) => this.emit('log', 'stdout', line));
    pipeLines(child.stderr, (line) => this.stderrLine(line));
    // A V8 fatal error. 'exit' follows; the listener is needed anyway, because an 'error' event
    // that nobody listens to is thrown, and would take the main process down with the engine.
    child.on('error', (type, location) => this.stderrLine(`${type} at ${location}`));
    child.on('message', (data: unknown) => {
      if (this.child === child) this.emit('message', data);
    });
    child.once('spawn', () => {
      if (this.child !== child) return;
      this.spawned = true;
      const ports = this.pendingPorts;
      this.pendingPorts = [];
      for (const port of ports) this.post(child, port);
      this.emit('spawn', child.pid);
    });
    child.once('exit', (code) => this.onExit(child, code));
    return child;
  }

  private stderrLine(line: string): void {
    this.stderrTail.push(line);
    if (this.stderrTail.length > STDERR_TAIL_LINES) this.stderrTail.shift();
    this.emit('log', 'stderr', line);
  }

  private onExit(child: UtilityProcess, code: number): void {
    if (this.child !== child) return;
    this.child = undefined;
    this.spawned = false;
    const exit: EngineExit = { code, expected: this.stopping, stderrTail: [...this.stderrTail] };
    this.emit('exit', exit);
    if (exit.expected) return;

    const now = Date.now();
    this.restartTimes = this.restartTimes.filter((t) => now - t < this.restartWindowMs);
    if (this.restartTimes.length >= this.maxRestarts) {
      this.gaveUp = true;
      this.closePendingPorts();
      this.emit('gave-up', exit);
      return;
    }
    this.restartTimes.push(now);
    const attempt = this.restartTimes.length;
    this.restartTimer = setTimeout(() => {
      this.restartTimer = undefined;
      try {
        this.fork();
      } catch (error) {
        // fork() throws only for a bad path or options, which another try will not fix.
        this.gaveUp = true;
        this.closePendingPorts();
        this.emit('gave-up', { ...exit, stderrTail: [...exit.stderrTail, String(error)] });
        return;
      }
      this.emit('restarted', { exit, attempt });
    }, this.restartDelayMs(attempt));
  }

  private clearRestartTimer(): void {
    if (this.restartTimer !== undefined) clearTimeout(this.restartTimer);
    this.restartTimer = undefined;
  }

  /** Closing our end tells the client at the other end that this connection is over. */
  private closePendingPorts(): void {
    for (const port of this.pendingPorts) port.close();
    this.pendingPorts = [];
  }
}

/** Calls `onLine` for each complete line of a text stream (UTF-8), and for a last unterminated one. */
function pipeLines(stream: NodeJS.ReadableStream | null, onLine: (line: string) => void): void {
  if (!stream) return;
  stream.setEncoding('utf8');
  let rest = '';
  stream.on('data', (chunk: string) => {
    const lines = (rest + chunk).split(/\r?\n/);
    rest = lines.pop() ?? '';
    for (const line of lines) onLine(line);
  });
  stream.on('end', () => {
    if (rest) onLine(rest);
    rest = '';
  });
}
