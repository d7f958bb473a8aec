import { EventEmitter } from 'node:events';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { EngineSupervisor, type EngineRestart } from '../../src-main/app/engine-supervisor';

/** A stand-in for Electron's UtilityProcess: events, kill, postMessage. */
class FakeChild extends EventEmitter {
  pid: number | undefined = undefined;
  stdout = null;
  stderr = null;
  posted: Array<{ message: unknown; transfer: unknown[] }> = [];
  constructor(readonly modulePath: string, readonly options: Record<string, unknown>) {
    super();
  }
  spawn(pid = 4242): void {
    this.pid = pid;
    this.emit('spawn');
  }
  /** Exits as if the OS process ended with `code`. */
  exit(code: number): void {
    this.pid = undefined;
    this.emit('exit', code);
  }
  kill = vi.fn(() => {
    queueMicrotask(() => this.exit(0));
    return true;
  });
  postMessage(message: unknown, transfer: unknown[] = []): void {
    this.posted.push({ message, transfer });
  }
}

class FakePort {
  close = vi.fn();
}

const { children } = vi.hoisted(() => ({ children: [] as FakeChild[] }));

vi.mock('electron', () => ({
  utilityProcess: {
    fork: (modulePath: string, _args: string[], options: Record<string, unknown>) => {
      const child = new FakeChild(modulePath, options);
      children.push(child);
      return child;
    },
  },
  MessageChannelMain: class {
    port1 = new FakePort();
    port2 = new FakePort();
  },
}));

const last = (): FakeChild => children[children.length - 1]!;

describe('EngineSupervisor', () => {
  let supervisor: EngineSupervisor;

  beforeEach(() => {
    vi.useFakeTimers();
    children.length = 0;
    supervisor = new EngineSupervisor({
      enginePath: '/app/out/main/engine.js',
      resourcesDir: '/app/resources',
      maxRestarts: 3,
      restartWindowMs: 60_000,
      restartDelayMs: () => 100,
    });
  });

  afterEach(() => {
    vi.useRealTimers();
  });

  it('forks the engine with its name, piped stdio and the resources folder', () => {
    supervisor.start();
    expect(children).toHaveLength(1);
    expect(last().modulePath).toBe('/app/out/main/engine.js');
    expect(last().options).toMatchObject({
      serviceName: 'MBRL Lab engine',
      stdio: 'pipe',
      env: { MBRL_LAB_RESOURCES: '/app/resources', MBRL_LAB_HOST: 'electron-utility' },
    });
  });

  it('hands one end of a new channel to the engine and returns the other', () => {
    supervisor.start();
    last().spawn();
    const port = supervisor.connect();
    expect(last().posted).toHaveLength(1);
    const [{ message, transfer }] = last().posted;
    expect(message).toEqual({ type: 'engine/connect' });
    expect(transfer).toHaveLength(1);
    expect(transfer[0]).not.toBe(port);
  });

  it('holds ports asked for before the engine spawned and delivers them on spawn', () => {
    supervisor.start();
    supervisor.connect();
    expect(last().posted).toHaveLength(0);
    last().spawn();
    expect(last().posted).toHaveLength(1);
  });

  it('restarts after an unexpected exit and reports it', async () => {
    const restarted = vi.fn<(r: EngineRestart) => void>();
    const exits = vi.fn();
    supervisor.on('restarted', restarted);
    supervisor.on('exit', exits);
    supervisor.start();
    last().spawn();
    last().exit(139);

    expect(exits).toHaveBeenCalledWith(expect.objectContaining({ code: 139, expected: false }));
    expect(children).toHaveLength(1);
    // A port asked for during the back-off goes to the next engine.
    supervisor.connect();
    await vi.advanceTimersByTimeAsync(100);
    expect(children).toHaveLength(2);
    expect(restarted).toHaveBeenCalledOnce();
    expect(restarted.mock.calls[0]![0]).toMatchObject({ attempt: 1, exit: { code: 139, expected: false } });
    last().spawn();
    expect(last().posted).toHaveLength(1);
  });

  it('does not restart after a deliberate stop', async () => {
    const restarted = vi.fn();
    supervisor.on('restarted', restarted);
    const exits = vi.fn();
    supervisor.on('exit', exits);
    supervisor.start();
    last().spawn();
    await supervisor.stop();

    expect(last().kill).toHaveBeenCalledOnce();
    expect(exits).toHaveBeenCalledWith(expect.objectContaining({ code: 0, expected: true }));
    await vi.advanceTimersByTimeAsync(60_000);
    expect(children).toHaveLength(1);
    expect(restarted).not.toHaveBeenCalled();
    expect(() => supervisor.connect()).toThrow(/stopping|not running/);
  });

  it('cancels a pending restart when stopped during the back-off', async () => {
    supervisor.start();
    last().exit(1);
    await supervisor.stop();
    await vi.advanceTimersByTimeAsync(1000);
    expect(children).toHaveLength(1);
  });

  it('gives up after maxRestarts within the window, and start() tries again', async () => {
    const gaveUp = vi.fn();
    const restarted = vi.fn();
    supervisor.on('gave-up', gaveUp);
    supervisor.on('restarted', restarted);
    supervisor.start();
    for (let i = 0; i < 3; i++) {
      last().spawn();
      last().exit(1);
      await vi.advanceTimersByTimeAsync(100);
    }
    expect(restarted).toHaveBeenCalledTimes(3);
    expect(children).toHaveLength(4);

    last().spawn();
    last().exit(1);
    await vi.advanceTimersByTimeAsync(10_000);
    expect(children).toHaveLength(4);
    expect(gaveUp).toHaveBeenCalledOnce();
    expect(supervisor.alive).toBe(false);
    expect(() => supervisor.connect()).toThrow(/keeps crashing/);

    supervisor.start();
    expect(children).toHaveLength(5);
  });

  it('counts restarts only within the window', async () => {
    const gaveUp = vi.fn();
    supervisor.on('gave-up', gaveUp);
    supervisor.start();
    for (let i = 0; i < 6; i++) {
      last().spawn();
      last().exit(1);
      // Crashes 30 s apart: never more than two restarts in any minute.
      await vi.advanceTimersByTimeAsync(30_000);
    }
    expect(gaveUp).not.toHaveBeenCalled();
    expect(children).toHaveLength(7);
  });

  it('survives a fatal-error event (an unhandled one would throw in main)', () => {
    supervisor.start();
    expect(() => last().emit('error', 'FatalError', 'engine.js:1', '{}')).not.toThrow();
  });
});
