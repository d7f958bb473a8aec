/**
 * Runs the PyTorch references (bench/reference/*.py) in the same bench run as our measurements, so
 * the ratio compares the two on the same machine under the same load. They need a python3 that can
 * `import torch` — Debian's python3-torch (apt-get install python3-torch libopenblas0-pthread;
 * without OpenBLAS torch falls back to a generic BLAS and is several times slower, an unfair
 * reference). The interpreter is /usr/bin/python3, or MBRL_BENCH_PYTHON when set.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath } from 'node:url';

const REFERENCE_DIR = fileURLToPath(new URL('./reference/', import.meta.url));

/** The reference's environment, as bench/reference/common.py reports it. */
export interface ReferenceInfo {
  torch?: string;
  python?: string;
  torch_threads?: number;
  torch_interop_threads?: number;
  cpu_capability?: string | null;
  OPENBLAS_CORETYPE?: string | null;
  OMP_NUM_THREADS?: string | null;
  blas_libraries?: string[];
  openblas_config?: string;
  openblas_core?: string;
  openblas_threads?: number;
  /** The torch device of a script that can run on a GPU (cdna_video.py --device): 'cpu' or the GPU's name. */
  device?: string;
}

let cachedPython: string | null | undefined;

/** The python3 that can import torch, or null (then the benchmarks run without a reference). */
export function torchPython(): string | null {
  if (cachedPython !== undefined) return cachedPython;
  const python = process.env.MBRL_BENCH_PYTHON || '/usr/bin/python3';
  cachedPython = null;
  if (python.includes('/') && !existsSync(python)) return null;
  const probe = spawnSync(python, ['-c', 'import torch'], { stdio: 'ignore', timeout: 60_000 });
  if (probe.status === 0) cachedPython = python;
  return cachedPython;
}

/** Why the reference is missing, for the "reference skipped: …" line. */
export const REFERENCE_MISSING = 'python3-torch not installed';

/** One line about the reference's setup, e.g. "PyTorch 1.13.0a0, 1 thread, OpenBLAS (Cooperlake, 2 threads)". */
export function describeReference(info: ReferenceInfo): string {
  const threads = info.torch_threads === 1 ? '1 thread' : `${info.torch_threads} threads`;
  const blas = info.openblas_config
    ? `OpenBLAS ${info.openblas_config.split(' ')[1] ?? ''} (${info.openblas_core}, ${info.openblas_threads} threads)`
    : `BLAS: ${(info.blas_libraries ?? []).join(', ') || 'unknown'}`;
  const coretype = info.OPENBLAS_CORETYPE ? `, OPENBLAS_CORETYPE=${info.OPENBLAS_CORETYPE}` : '';
  const gpu = info.device && info.device !== 'cpu' ? ` on ${info.device} (CUDA)` : '';
  return `PyTorch ${info.torch}${gpu} (python ${info.python}, CPU ${info.cpu_capability ?? '?'}), ${threads}, ${blas}${coretype}`;
}

/**
 * Where the PyTorch reference runs: MBRL_BENCH_TORCH_DEVICE (cpu, cuda, cuda:N), default cpu, for the
 * scripts that take --device (cdna_video.py). A GPU backend's rows compare fairly only with the
 * reference on the same GPU.
 */
export function referenceTorchDevice(): string {
  const device = process.env.MBRL_BENCH_TORCH_DEVICE?.trim() || 'cpu';
  if (!/^(cpu|cuda(:\d+)?)$/.test(device)) throw new Error(`MBRL_BENCH_TORCH_DEVICE: '${device}' is not cpu, cuda or cuda:N`);
  return device;
}

/** A temporary folder for files handed to the references; removed by the returned cleanup. */
export async function referenceTempDir(): Promise<{ dir: string; cleanup: () => Promise<void> }> {
  const dir = await mkdtemp(join(tmpdir(), 'mbrl-bench-'));
  return { dir, cleanup: () => rm(dir, { recursive: true, force: true }) };
}

/** Writes bytes into the folder and returns the path. */
export async function writeReferenceFile(dir: string, name: string, bytes: Uint8Array | string): Promise<string> {
  const path = join(dir, name);
  await writeFile(path, bytes);
  return path;
}

/**
 * A reference script in --serve mode: set up and warmed up, it times one unit (an MPC action, an
 * epoch) per {@link step}. The suite alternates our runs and the reference's, so that both see the
 * same background load (the bench machines are shared and noisy). Times are measured inside python.
 */
export class ReferenceProcess {
  private readonly pending: { resolve: (obj: Record<string, unknown>) => void; reject: (e: Error) => void }[] = [];
  private readonly queued: Record<string, unknown>[] = [];
  private stderr = '';
  private exited: Error | null = null;
  info: ReferenceInfo = {};

  private constructor(private readonly child: ChildProcessWithoutNullStreams, private readonly script: string) {
    child.stderr.on('data', (chunk: Buffer) => {
      this.stderr = (this.stderr + chunk.toString()).slice(-4000);
    });
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (!line.trim()) return;
      let obj: Record<string, unknown>;
      try {
        obj = JSON.parse(line) as Record<string, unknown>;
      } catch {
        return; // not ours (a library printing to stdout)
      }
      const waiter = this.pending.shift();
      if (waiter) waiter.resolve(obj);
      else this.queued.push(obj);
    });
    child.on('error', (error) => this.fail(error));
    child.on('exit', (code, signal) => this.fail(new Error(`reference ${script} exited (${signal ?? code})${this.stderrTail()}`)));
  }

  /** Starts bench/reference/<script> --serve with args and waits until it is warmed up. */
  static async start(python: string, script: string, args: string[]): Promise<ReferenceProcess> {
    const child = spawn(python, [join(REFERENCE_DIR, script), ...args, '--serve'], { cwd: REFERENCE_DIR, stdio: ['pipe', 'pipe', 'pipe'] });
    const ref = new ReferenceProcess(child, script);
    try {
      ref.info = ((await ref.next()).info ?? {}) as ReferenceInfo;
      const ready = await ref.next();
      if (ready.ready !== true) throw new Error(`reference ${script}: expected {"ready": true}, got ${JSON.stringify(ready)}`);
    } catch (error) {
      ref.close();
      throw error;
    }
    return ref;
  }

  /** Times one unit in the reference; resolves to its milliseconds. */
  async step(): Promise<number> {
    if (this.exited) throw this.exited;
    this.child.stdin.write('step\n');
    const reply = await this.next();
    if (typeof reply.ms !== 'number') throw new Error(`reference ${this.script}: expected {"ms": …}, got ${JSON.stringify(reply)}`);
    return reply.ms;
  }

  /** Ends the process. */
  close(): void {
    if (this.exited) return;
    this.exited = new Error(`reference ${this.script} closed`);
    this.child.stdin.end('quit\n');
    setTimeout(() => this.child.kill(), 5000).unref();
  }

  private next(): Promise<Record<string, unknown>> {
    const queued = this.queued.shift();
    if (queued) return Promise.resolve(queued);
    if (this.exited) return Promise.reject(this.exited);
    return new Promise((resolve, reject) => this.pending.push({ resolve, reject }));
  }

  private fail(error: Error): void {
    if (!this.exited) this.exited = error;
    for (const waiter of this.pending.splice(0)) waiter.reject(this.exited);
  }

  private stderrTail(): string {
    const tail = this.stderr.trim().split('\n').slice(-3).join(' | ');
    return tail ? `: ${tail}` : '';
  }
}
