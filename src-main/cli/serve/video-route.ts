import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { parseByteRange, SERVE_VIDEO_ROUTE, tokenOfPath, type VideoGrants, videoContentType } from '../../protocol/video-grants';

/** Whether a request is for the dataset video route (`/dataset-video/<token>`). */
export function isVideoRequest(req: IncomingMessage): boolean {
  return (req.url ?? '').startsWith(SERVE_VIDEO_ROUTE);
}

/**
 * Serves a granted dataset video with byte ranges (Chromium seeks a <video> only in a source that
 * answers ranges: without them every seek shows the first frame). GET and HEAD only; the token must
 * be one the engine granted for an open dataset (404 otherwise, the same answer for a token never
 * granted as for a revoked one); `Range` → 206 with Content-Range, a range outside the file → 416.
 * The path comes from the grant, never from the URL, so no URL reaches another file.
 */
export async function serveVideo(grants: VideoGrants, req: IncomingMessage, res: ServerResponse): Promise<void> {
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, { allow: 'GET, HEAD' }).end();
    return;
  }
  const pathname = new URL(req.url ?? '/', 'http://x').pathname;
  const token = pathname.startsWith(SERVE_VIDEO_ROUTE) && pathname.indexOf('/', SERVE_VIDEO_ROUTE.length) < 0 ? tokenOfPath(pathname) : undefined;
  const file = token ? await grants.resolve(token) : undefined;
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) {
    res.writeHead(404, { 'content-type': 'text/plain' }).end('no such video (the dataset may have been closed)');
    return;
  }
  const common = { 'content-type': videoContentType(file), 'accept-ranges': 'bytes', 'x-content-type-options': 'nosniff', 'cache-control': 'no-cache' };
  const range = parseByteRange(req.headers.range, info.size);
  if (range === 'unsatisfiable') {
    res.writeHead(416, { ...common, 'content-range': `bytes */${info.size}` }).end();
    return;
  }
  const { start, end } = range ?? { start: 0, end: info.size - 1 };
  res.writeHead(range ? 206 : 200, { ...common, 'content-length': Math.max(0, end - start + 1), ...(range ? { 'content-range': `bytes ${start}-${end}/${info.size}` } : {}) });
  if (req.method === 'HEAD' || info.size === 0) {
    res.end();
    return;
  }
  const stream = createReadStream(file, { start, end });
  stream.on('error', () => res.destroy());
  stream.pipe(res);
}
