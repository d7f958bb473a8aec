import type { Session } from 'electron';

/**
 * The renderer's Content-Security-Policy, one directive a line.
 *
 * - Scripts come only from our own files: no 'unsafe-eval', no 'unsafe-inline', no remote code.
 * - `style-src 'unsafe-inline'`: Vite's dev server injects component CSS as `<style>` elements, and
 *   libraries may add `<style>` or `style="…"` markup (three.js helpers, SVG icons). Inline CSS cannot
 *   run script, and the other directives leave it nowhere to send data, so the risk is small.
 * - `img-src data: blob:` and `worker-src blob:`: predicted video frames and canvas snapshots are shown
 *   through data/blob URLs, and bundlers emit workers as blob URLs.
 * - `media-src 'self' mbrl-video:`: dataset videos (LeRobot mp4) play from the engine-granted
 *   `mbrl-video://grant/<token>` URLs (video-protocol.ts) and nothing else outside our files.
 * - `connect-src 'self'`: the engine is reached over a MessagePort (Electron) or the page's own origin
 *   (the `mbrl-lab serve` WebSocket), never another host.
 *
 * If the renderer ever runs WebAssembly itself it needs `'wasm-unsafe-eval'` in script-src (today
 * wasm runs only in the engine).
 */
export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self' 'unsafe-inline'",
  "img-src 'self' data: blob:",
  "worker-src 'self' blob:",
  "media-src 'self' mbrl-video:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'none'",
  "frame-ancestors 'none'",
].join('; ');

/**
 * Adds the policy as a response header to everything the session loads.
 *
 * This covers the dev server (http). Pages loaded from file:// have no response headers, so the
 * built index.html must carry the same policy in a `<meta http-equiv="Content-Security-Policy">`
 * (the renderer owns that file; `frame-ancestors` is ignored in a meta tag, which is fine: nothing
 * frames a file:// page).
 */
export function installContentSecurityPolicy(session: Session): void {
  session.webRequest.onHeadersReceived((details, callback) => {
    callback({
      responseHeaders: { ...details.responseHeaders, 'Content-Security-Policy': [CONTENT_SECURITY_POLICY] },
    });
  });
}
