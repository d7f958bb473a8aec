import { createReadStream } from 'node:fs';
import { stat } from 'node:fs/promises';
import { Readable } from 'node:stream';
import { protocol, type Session } from 'electron';
import { parseByteRange, tokenOfPath, VIDEO_SCHEME, type VideoGrants, videoContentType } from '../protocol/video-grants';
import { isRendererUrl, type RendererLocation } from './renderer-location';

/** How long a request waits for its grant (engine → main) when it beat it here (engine → renderer). */
const GRANT_WAIT_MS = 2000;

/**
 * Declares `mbrl-video:` before the app is ready (Electron allows it only then): standard (a URL
 * with a host, so relative resolution and the media cache work), secure (a secure context, like
 * file://), stream (the media element reads the body as it arrives and seeks by range). No
 * bypassCSP: the page's CSP names it in media-src and nowhere else, so only <video> may load it.
 */
export function registerVideoScheme(): void {
  protocol.registerSchemesAsPrivileged([{ scheme: VIDEO_SCHEME, privileges: { standard: true, secure: true, stream: true, corsEnabled: true } }]);
}

/** Serves granted dataset videos on `session` (our windows' session) as `mbrl-video://grant/<token>`. */
export function handleVideoProtocol(session: Session, grants: VideoGrants, renderer: RendererLocation): void {
  session.protocol.handle(VIDEO_SCHEME, (request) => videoResponse(grants, request, renderer));
}

/**
 * The response to one `mbrl-video:` request: the granted file, whole (200) or the asked byte range
 * (206, Content-Range), 416 for a range outside it, 404 for a token the engine never granted or has
 * revoked (its dataset closed), 403 for a request another page made (a Referer that is not our
 * renderer; file:// pages send none), 405 for anything but GET/HEAD. An unknown token waits
 * `waitMs` for its grant first. The file is the grant's; the
 * URL carries only a token, so no URL names a path.
 */
export async function videoResponse(grants: VideoGrants, request: Request, renderer: RendererLocation, waitMs = GRANT_WAIT_MS): Promise<Response> {
  if (request.method !== 'GET' && request.method !== 'HEAD') return new Response(null, { status: 405, headers: { allow: 'GET, HEAD' } });
  const referrer = request.headers.get('referer') || (request.referrer && request.referrer !== 'about:client' ? request.referrer : '');
  if (referrer && !isRendererUrl(referrer, renderer)) return new Response('forbidden', { status: 403 });
  let url: URL;
  try {
    url = new URL(request.url);
  } catch {
    return new Response('bad url', { status: 400 });
  }
  const token = url.protocol === `${VIDEO_SCHEME}:` && url.host === 'grant' ? tokenOfPath(url.pathname) : undefined;
  const file = token && url.pathname === `/${token}` ? await grants.resolve(token, waitMs) : undefined;
  const info = file ? await stat(file).catch(() => null) : null;
  if (!file || !info?.isFile()) return new Response('no such video (the dataset may have been closed)', { status: 404 });
  const headers: Record<string, string> = { 'content-type': videoContentType(file), 'accept-ranges': 'bytes', 'x-content-type-options': 'nosniff' };
  // CORS for our own pages only (the Referer check above passed): a crossOrigin <video> then
  // leaves the canvas it is drawn on readable. file:// pages send the origin "null".
  const origin = request.headers.get('origin');
  if (origin) headers['access-control-allow-origin'] = origin;
  const range = parseByteRange(request.headers.get('range'), info.size);
  if (range === 'unsatisfiable') return new Response(null, { status: 416, headers: { ...headers, 'content-range': `bytes */${info.size}` } });
  const { start, end } = range ?? { start: 0, end: info.size - 1 };
  headers['content-length'] = String(Math.max(0, end - start + 1));
  if (range) headers['content-range'] = `bytes ${start}-${end}/${info.size}`;
  const body = request.method === 'HEAD' || info.size === 0 ? null : (Readable.toWeb(createReadStream(file, { start, end })) as ReadableStream<Uint8Array>);
  return new Response(body, { status: range ? 206 : 200, headers });
}
