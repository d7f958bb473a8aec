import { resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

/**
 * Where the workbench page comes from: the built `out/renderer/index.html`, or the electron-vite dev
 * server during `npm run dev`.
 */
export type RendererLocation = { kind: 'file'; path: string } | { kind: 'dev-server'; url: string };

/**
 * Whether `url` is our own renderer page (any hash or query), and not some other page that a link,
 * a redirect or an injected frame brought into a window.
 *
 * For file:// the whole path must match, not just the origin: every file:// page has the origin
 * 'null', so the origin alone would also admit any HTML file on disk.
 *
 * @param platform decides case-insensitive comparison of Windows paths; a parameter for tests.
 */
export function isRendererUrl(
  url: string | undefined,
  location: RendererLocation,
  platform: NodeJS.Platform = process.platform,
): boolean {
  if (!url) return false;
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return false;
  }
  if (location.kind === 'dev-server') return parsed.origin === new URL(location.url).origin;
  if (parsed.protocol !== 'file:' || parsed.host !== '') return false;
  parsed.hash = '';
  parsed.search = '';
  let path: string;
  try {
    path = fileURLToPath(parsed);
  } catch {
    return false;
  }
  const [a, b] = [resolve(path), resolve(location.path)];
  return platform === 'win32' ? a.toLowerCase() === b.toLowerCase() : a === b;
}
