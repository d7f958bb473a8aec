import { decodeFrame, encodeFrame, type RequestInput } from '@protocol';
import { ClientBase } from './client-base';

/** The part of the DOM WebSocket this client uses (a test passes a fake). */
export interface WebSocketLike {
  binaryType: string;
  readonly readyState: number;
  onopen: ((ev: Event) => void) | null;
  onclose: ((ev: CloseEvent) => void) | null;
  onerror: ((ev: Event) => void) | null;
  onmessage: ((ev: MessageEvent) => void) | null;
  send(data: ArrayBuffer): void;
  close(): void;
}

export interface WebSocketClientOptions {
  /** Creates the socket; defaults to the DOM WebSocket. */
  createSocket?: (url: string) => WebSocketLike;
  /** First reconnect delay, ms; doubles per failed attempt. */
  minDelayMs?: number;
  /** Longest reconnect delay, ms. */
  maxDelayMs?: number;
}

const OPEN = 1;

/**
 * LabClient over the `mbrl-lab serve` WebSocket bridge. Every message, both ways, is one binary
 * frame made by encodeFrame, so typed arrays stay binary. When the socket closes (page reload of
 * the bridge, bridge restart) it reconnects with exponential back-off until {@link close}.
 */
export class WebSocketLabClient extends ClientBase {
  private socket: WebSocketLike | null = null;
  private retryTimer: ReturnType<typeof setTimeout> | null = null;
  private attempt = 0;
  private closedForGood = false;
  private readonly createSocket: (url: string) => WebSocketLike;
  private readonly minDelayMs: number;
  private readonly maxDelayMs: number;

  constructor(
    private readonly url: string,
    options: WebSocketClientOptions = {},
  ) {
    super();
    this.createSocket = options.createSocket ?? ((u) => new WebSocket(u));
    this.minDelayMs = options.minDelayMs ?? 250;
    this.maxDelayMs = options.maxDelayMs ?? 5000;
    this.connect();
  }

  send(request: RequestInput): void {
    if (!this.socket || this.socket.readyState !== OPEN) {
      console.warn(`[lab] not connected; dropped request ${request.type}`);
      return;
    }
    this.socket.send(encodeFrame(request));
  }

  close(): void {
    this.closedForGood = true;
    if (this.retryTimer) clearTimeout(this.retryTimer);
    this.retryTimer = null;
    this.socket?.close();
    this.socket = null;
    this.setState('closed');
  }

  /** Decodes one binary frame and passes the event on; public so tests can drive the decode path. */
  handleFrame(data: unknown): void {
    if (!(data instanceof ArrayBuffer) && !(data instanceof Uint8Array)) {
      console.warn('[lab] dropped a non-binary WebSocket message');
      return;
    }
    let message: unknown;
    try {
      message = decodeFrame(data);
    } catch (err) {
      console.warn('[lab] dropped an undecodable frame:', (err as Error).message);
      return;
    }
    this.receive(message);
  }

  private connect(): void {
    this.setState('connecting');
    let socket: WebSocketLike;
    try {
      socket = this.createSocket(this.url);
    } catch (err) {
      console.warn('[lab] could not open WebSocket:', (err as Error).message);
      this.scheduleReconnect();
      return;
    }
    socket.binaryType = 'arraybuffer';
    socket.onopen = () => {
      this.attempt = 0;
      this.setState('open');
    };
    socket.onmessage = (ev) => this.handleFrame(ev.data);
    // onerror is always followed by onclose; reconnecting happens there.
    socket.onerror = () => undefined;
    socket.onclose = () => {
      if (this.socket !== socket) return;
      this.socket = null;
      if (this.closedForGood) return;
      this.setState('closed');
      this.scheduleReconnect();
    };
    this.socket = socket;
  }

  private scheduleReconnect(): void {
    if (this.closedForGood || this.retryTimer) return;
    const delay = Math.min(this.maxDelayMs, this.minDelayMs * 2 ** this.attempt);
    this.attempt++;
    this.retryTimer = setTimeout(() => {
      this.retryTimer = null;
      this.connect();
    }, delay);
  }
}
