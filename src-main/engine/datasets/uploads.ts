import { mkdir, open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** Where browser uploads are stored: one folder per upload under the system's temp folder. */
export const UPLOADS_DIR = join(tmpdir(), 'mbrl-lab-uploads');

/** A file name safe to create: the base name, with anything but letters, digits, '.', '-', '_' replaced. */
export function safeFileName(name: string): string {
  const base = name.split(/[/\\]/).pop() ?? '';
  const clean = base.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '');
  return clean.slice(-200) || 'upload.bin';
}

interface Pending {
  path: string;
  size: number;
  received: number;
}

/** One chunk of an upload, as `dataset/upload` carries it. */
export interface UploadChunk {
  uploadId: string;
  name: string;
  size: number;
  offset: number;
  data: Uint8Array;
}

/**
 * Files uploaded from the browser (`mbrl-lab serve`, where the engine cannot see the user's disk),
 * received in ordered chunks so a file of any size passes the WebSocket's frame limit and memory
 * holds one chunk at a time. Each lands in its own folder under {@link UPLOADS_DIR}; `remove`
 * deletes it once the dataset is closed.
 */
export class Uploads {
  private readonly pending = new Map<string, Pending>();
  private readonly done = new Set<string>();

  constructor(private readonly root: string = UPLOADS_DIR) {}

  /**
   * Appends a chunk. Returns the bytes received and, after the last chunk, the stored file's path.
   * Throws an Error with one line on an out-of-order chunk or a size overrun (the upload is dropped).
   */
  async receive(chunk: UploadChunk): Promise<{ received: number; path?: string }> {
    let p = this.pending.get(chunk.uploadId);
    if (!p) {
      if (chunk.offset !== 0) throw new Error(`dataset/upload: ${chunk.name}: no upload '${chunk.uploadId}' started (first chunk must be at offset 0)`);
      const dir = join(this.root, chunk.uploadId);
      await rm(dir, { recursive: true, force: true });
      await mkdir(dir, { recursive: true });
      p = { path: join(dir, safeFileName(chunk.name)), size: chunk.size, received: 0 };
      await (await open(p.path, 'w')).close();
      this.pending.set(chunk.uploadId, p);
    }
    const fail = async (problem: string) => {
      this.pending.delete(chunk.uploadId);
      await rm(join(this.root, chunk.uploadId), { recursive: true, force: true });
      return new Error(`dataset/upload: ${chunk.name}: ${problem}`);
    };
    if (chunk.offset !== p.received) throw await fail(`chunk at byte ${chunk.offset}, expected ${p.received}`);
    if (chunk.size !== p.size || p.received + chunk.data.length > p.size) throw await fail(`more bytes than the announced ${p.size}`);
    const handle = await open(p.path, 'a');
    try {
      await handle.write(chunk.data);
    } finally {
      await handle.close();
    }
    p.received += chunk.data.length;
    if (p.received < p.size) return { received: p.received };
    this.pending.delete(chunk.uploadId);
    this.done.add(chunk.uploadId);
    return { received: p.received, path: p.path };
  }

  /** Whether `path` is a file this object stored (so closing its dataset may delete it). */
  owns(path: string): string | undefined {
    for (const id of this.done) if (path.startsWith(join(this.root, id))) return id;
    return undefined;
  }

  /** Deletes one upload's folder. */
  async remove(uploadId: string): Promise<void> {
    this.pending.delete(uploadId);
    this.done.delete(uploadId);
    await rm(join(this.root, uploadId), { recursive: true, force: true });
  }

  /** Deletes every upload of this object (the connection went). */
  async removeAll(): Promise<void> {
    const ids = [...this.pending.keys(), ...this.done];
    this.pending.clear();
    this.done.clear();
    await Promise.allSettled(ids.map((id) => rm(join(this.root, id), { recursive: true, force: true })));
  }
}
