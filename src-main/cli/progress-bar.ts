/** Formats seconds as m:ss or h:mm:ss. */
export function formatDuration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  const h = Math.floor(s / 3600);
  const m = Math.floor((s % 3600) / 60);
  const ss = String(s % 60).padStart(2, '0');
  return h ? `${h}:${String(m).padStart(2, '0')}:${ss}` : `${m}:${ss}`;
}

/**
 * One progress line on a terminal (redrawn in place), or plain occasional lines when the stream
 * is not a TTY (logs, CI), so long runs show where they are either way.
 */
export class ProgressBar {
  private lastPlain = 0;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr, private readonly width = 30) {}

  update(done: number, total: number, etaSeconds?: number, message = ''): void {
    const frac = total > 0 ? Math.min(1, done / total) : 0;
    const filled = Math.round(frac * this.width);
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(this.width - filled)}]`;
    const eta = etaSeconds === undefined ? '' : ` ETA ${formatDuration(etaSeconds)}`;
    const line = `${bar} ${done}/${total}${eta} ${message}`;
    if (this.stream.isTTY) {
      this.stream.write(`\r${line.slice(0, (this.stream.columns ?? 100) - 1)}\x1b[K`);
      if (done >= total) this.stream.write('\n');
    } else if (done >= total || Date.now() - this.lastPlain > 2000) {
      this.lastPlain = Date.now();
      this.stream.write(`${line}\n`);
    }
  }
}
