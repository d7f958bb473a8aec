import { open, type FileHandle } from 'node:fs/promises';

/**
 * Appends one JSON object per line to metrics.jsonl. Each line is written with a single append and
 * flushed, so a reader (or a crash) sees whole lines only, except possibly a torn last line.
 */
export class MetricsLog {
  private constructor(private readonly handle: FileHandle) {}

  static async open(path: string): Promise<MetricsLog> {
    return new MetricsLog(await open(path, 'a'));
  }

  /** Appends a record; it must have a `kind`. */
  async append(record: { readonly kind: string }): Promise<void> {
    await this.handle.appendFile(`${JSON.stringify(record)}\n`);
    await this.handle.datasync();
  }

  async close(): Promise<void> {
    await this.handle.close();
  }
}
