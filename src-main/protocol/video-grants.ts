/**
 * Video files of open datasets, served to the viewer by URL.
 *
 * The engine opens datasets; the process that serves media is another one (`mbrl-lab serve`'s
 * HTTP server, Electron main's `mbrl-video:` protocol). When the viewer asks for an episode's video
 * (`dataset/video`), the engine grants one unguessable token for exactly that file and tells the
 * media host over its private channel to its parent (a `video/grant` message); the viewer gets a
 * URL holding only the token. Closing the dataset or the connection revokes its grants. A URL
 * therefore names (dataset, key, episode) through the engine, never a path, and nothing else on
 * the disk can be fetched through it.
 */

/** Electron's privileged scheme for dataset videos: `mbrl-video://grant/<token>`. */
export const VIDEO_SCHEME = 'mbrl-video';
/** The serve route for dataset videos: `/dataset-video/<token>` on the page's own origin. */
export const SERVE_VIDEO_ROUTE = '/dataset-video/';

/** 128 random bits as 32 lowercase hex digits. */
const TOKEN = /^[0-9a-f]{32}$/;

/** Engine → media host (never from a renderer). `owner` is '<connection>/<datasetId>'. */
export type VideoGrantMessage =
  | { type: 'video/grant'; token: string; file: string; owner: string }
  /** Revokes the grants of `owner` and of every owner below it ('<connection>' revokes a whole connection). */
  | { type: 'video/revoke'; owner: string };

/** Whether `value` is a well-formed grant message (checked before a host acts on it). */
export function isVideoGrantMessage(value: unknown): value is VideoGrantMessage {
  const m = value as Partial<Record<string, unknown>> | null;
  if (!m || typeof m !== 'object' || typeof m.owner !== 'string' || !m.owner) return false;
  if (m.type === 'video/revoke') return true;
  return m.type === 'video/grant' && typeof m.token === 'string' && TOKEN.test(m.token) && typeof m.file === 'string' && m.file.length > 0;
}

/** The URL a viewer plays a granted video from, for the host the engine runs under. */
export function videoUrl(host: 'electron' | 'serve', token: string): string {
  return host === 'electron' ? `${VIDEO_SCHEME}://grant/${token}` : `${SERVE_VIDEO_ROUTE}${token}`;
}

/** The token of a video URL's path ('/dataset-video/<token>' or '/<token>'), or undefined. */
export function tokenOfPath(pathname: string): string | undefined {
  const token = pathname.slice(pathname.lastIndexOf('/') + 1);
  return TOKEN.test(token) ? token : undefined;
}

/** A byte range of a file of `size` bytes: bytes [start, end], both inclusive (HTTP's convention). */
export interface ByteRange {
  start: number;
  end: number;
}

/**
 * Parses an HTTP Range header against a file of `size` bytes (RFC 9110 §14): 'bytes=a-b', 'bytes=a-'
 * and 'bytes=-n' (the last n bytes). Returns undefined where the whole file should be sent (no
 * header, another unit, several ranges: a 200 is always a correct answer), 'unsatisfiable' for a
 * range outside the file (416).
 */
export function parseByteRange(header: string | null | undefined, size: number): ByteRange | 'unsatisfiable' | undefined {
  if (!header) return undefined;
  const m = /^bytes=(\d*)-(\d*)$/.exec(header.trim());
  if (!m || (m[1] === '' && m[2] === '')) return undefined;
  if (m[1] === '') {
    const n = Number(m[2]);
    if (n === 0 || size === 0) return 'unsatisfiable';
    return { start: Math.max(0, size - n), end: size - 1 };
  }
  const start = Number(m[1]);
  const end = m[2] === '' ? size - 1 : Math.min(Number(m[2]), size - 1);
  if (start >= size || end < start) return 'unsatisfiable';
  return { start, end };
}

/** A media host's grants: token → file, with the owner that revokes it. */
export class VideoGrants {
  private readonly files = new Map<string, { file: string; owner: string }>();
  private readonly waiting = new Map<string, Array<() => void>>();

  get size(): number {
    return this.files.size;
  }

  /** Applies a grant or revoke message from the engine; anything malformed is ignored. */
  apply(message: unknown): void {
    if (!isVideoGrantMessage(message)) return;
    if (message.type === 'video/grant') {
      this.files.set(message.token, { file: message.file, owner: message.owner });
      for (const wake of this.waiting.get(message.token) ?? []) wake();
      this.waiting.delete(message.token);
      return;
    }
    for (const [token, grant] of this.files) {
      if (grant.owner === message.owner || grant.owner.startsWith(`${message.owner}/`)) this.files.delete(token);
    }
  }

  /** Forgets every grant (the engine restarted: its datasets are gone). */
  clear(): void {
    this.files.clear();
  }

  /**
   * The file granted to `token`. In Electron the grant (engine → main) and the URL (engine →
   * renderer) travel on different channels, so a request may arrive first: wait up to `waitMs`.
   */
  async resolve(token: string, waitMs = 0): Promise<string | undefined> {
    const now = this.files.get(token)?.file;
    if (now || waitMs <= 0 || !TOKEN.test(token)) return now;
    await new Promise<void>((resolve) => {
      const wake = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        const list = this.waiting.get(token)?.filter((w) => w !== wake) ?? [];
        if (list.length) this.waiting.set(token, list);
        else this.waiting.delete(token);
        resolve();
      }, waitMs);
      this.waiting.set(token, [...(this.waiting.get(token) ?? []), wake]);
    });
    return this.files.get(token)?.file;
  }
}

/** Content type of a dataset video by its extension (LeRobot writes mp4). */
export function videoContentType(file: string): string {
  if (file.endsWith('.webm')) return 'video/webm';
  if (file.endsWith('.mkv')) return 'video/x-matroska';
  return 'video/mp4';
}

/**
 * Seconds into a video file to seek to for frame `step` of an episode whose frame 0 is at `from`:
 * the middle of the frame, from + (step + ½) / fps, so float rounding of the timestamp or a
 * decoder's choice of the nearest frame cannot land on a neighbour; clamped to the episode.
 */
export function frameTime(video: { from: number; to: number; fps: number; frames: number }, step: number): number {
  const k = Math.max(0, Math.min(Math.round(step), video.frames - 1));
  return Math.min(video.from + (k + 0.5) / video.fps, Math.max(video.from, video.to - 1e-3));
}
