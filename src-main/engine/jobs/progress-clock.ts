/**
 * Turns (done, total) into an ETA from the average rate since the first report.
 * Why average and not instantaneous: episode lengths vary, and a jumpy ETA is worse than a late one.
 */
export class ProgressClock {
  private readonly startedAt = performance.now();

  /** Seconds remaining at the mean rate so far; undefined before any work is done. */
  eta(done: number, total: number): number | undefined {
    if (done <= 0 || total <= done) return done >= total ? 0 : undefined;
    const elapsed = (performance.now() - this.startedAt) / 1000;
    return (elapsed / done) * (total - done);
  }
}
