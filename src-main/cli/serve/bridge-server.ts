import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { decodeFrame, encodeFrame, type EngineEvent } from '../../protocol';
import { EngineChild } from './engine-child';
import { serveStatic } from './static-files';
import { isVideoRequest, serveVideo } from './video-route';
import { VideoGrants } from '../../protocol/video-grants';

/** A running `serve`: the HTTP server, its URL, and how to stop it. */
export interface BridgeServer {
  url: string;
  server: Server;
  engine: EngineChild;
  close(): Promise<void>;
}

export interface BridgeOptions {
  /** 0 picks a free port. */
  port: number;
  /** Folder of the built renderer. */
  rendererDir: string;
  engineEnv?: NodeJS.ProcessEnv;
  log?: (line: string) => void;
}

/**
 * `mbrl-lab serve`: the built renderer over HTTP and a WebSocket at /engine that bridges each browser
 * tab to its own connection on one engine child process. Bound to 127.0.0.1 only: the engine reads
 * and writes files, so it must not be reachable from the network.
 */
export async function startBridgeServer(options: BridgeOptions): Promise<BridgeServer> {
  const log = options.log ?? ((line: string) => console.error(line));
  const engine = new EngineChild(options.engineEnv);
  const sockets = new Map<number, WebSocket>();
  let nextConn = 1;
  /** Dataset videos the engine granted (protocol/video-grants.ts), served at /dataset-video/<token>. */
  const videos = new VideoGrants();

  const server = createServer((req, res) => {
    (isVideoRequest(req) ? serveVideo(videos, req, res) : serveStatic(options.rendererDir, req, res)).catch((error: Error) => {
      log(`[serve] ${req.url}: ${error.message}`);
      if (!res.headersSent) res.writeHead(500).end();
    });
  });
  const wss = new WebSocketServer({ server, path: '/engine', maxPayload: 64 * 1024 * 1024 });

  const sendTo = (ws: WebSocket, event: EngineEvent | unknown) => {
    if (ws.readyState === ws.OPEN) ws.send(encodeFrame(event));
  };

  engine.on('message', (conn, data) => {
    const ws = sockets.get(conn);
    if (ws) sendTo(ws, data);
  });
  engine.on('video', (message) => videos.apply(message));
  engine.on('restarted', (message) => {
    videos.clear();
    log(`[serve] ${message}`);
    for (const ws of sockets.values()) sendTo(ws, { type: 'engine/restarted', message } satisfies EngineEvent);
  });
  engine.on('failed', (message) => {
    log(`[serve] ${message}`);
    for (const ws of sockets.values()) sendTo(ws, { type: 'error', message } satisfies EngineEvent);
  });

  wss.on('connection', (ws, req) => {
    // Only pages we served may drive the engine: refuse cross-origin WebSocket handshakes.
    const origin = req.headers.origin;
    const host = req.headers.host;
    if (origin && host && new URL(origin).host !== host) {
      ws.close(1008, 'cross-origin connection refused');
      return;
    }
    const conn = nextConn++;
    sockets.set(conn, ws);
    engine.openConnection(conn);
    ws.on('message', (data, isBinary) => {
      if (!isBinary) return sendTo(ws, { type: 'error', message: 'expected a binary frame' });
      try {
        const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as ArrayBuffer);
        engine.send(conn, decodeFrame(new Uint8Array(buf.buffer, buf.byteOffset, buf.byteLength)));
      } catch (error) {
        sendTo(ws, { type: 'error', message: `undecodable frame: ${(error as Error).message}` });
      }
    });
    ws.on('close', () => {
      sockets.delete(conn);
      engine.closeConnection(conn);
    });
  });

  engine.start();
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/`,
    server,
    engine,
    async close() {
      for (const ws of sockets.values()) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await engine.stop();
    },
  };
}
