/**
 * CPU time per OS thread of this process (Linux: utime + stime from /proc/self/task/<tid>/stat, in
 * clock ticks of 10 ms). On a shared machine wall times are noisy; the busiest thread's CPU time is
 * what bounds a parallel computation's latency on an otherwise idle machine with a core per thread.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';

/** CPU ms by thread id; null where /proc is not there (not Linux). */
export function threadCpuSnapshot(): Map<string, number> | null {
  if (!existsSync('/proc/self/task')) return null;
  const out = new Map<string, number>();
  for (const tid of readdirSync('/proc/self/task')) {
    try {
      // Fields after the ") " that ends the thread's name: state is field 3, utime 14, stime 15.
      const fields = readFileSync(`/proc/self/task/${tid}/stat`, 'utf8').split(') ').at(-1)!.split(' ');
      out.set(tid, (Number(fields[11]) + Number(fields[12])) * 10);
    } catch {
      // The thread ended between the listing and the read.
    }
  }
  return out;
}

/** The largest CPU ms any one thread used between two snapshots (NaN without /proc). */
export function busiestThreadMs(before: Map<string, number> | null, after: Map<string, number> | null): number {
  if (!before || !after) return NaN;
  let most = 0;
  for (const [tid, ms] of after) most = Math.max(most, ms - (before.get(tid) ?? 0));
  return most;
}
